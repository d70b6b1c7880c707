// VNF lifecycle domain (no framework): operation states, the jobs and events the API and worker share.
export { ACTIVE_OP_STATES, CANCELLABLE_OP_STATES, canApply, isFinal, isRollbackable, nextOpState, OP_STATES, type OpEvent, type OpState, OpStateError } from './op-state.js';
export { lcmEvent, lcmEventChannel, type LcmEvent, type OpAction, RUN_OP_JOB, type RunOpJob, runOpJobId } from './jobs.js';
export { type HostStateEvent, hostStateEvent, vmStateEvent, type VmStateEvent } from './vm-events.js';
// Planning (pure): descriptor + instantiate params -> VMs to place -> what libvirt and OvS are told.
export {
  checkInstantiateParams, type ExtCpBinding, type InstantiateParams, InvalidInstantiateParamsError,
} from './plan/instantiate-params.js';
export { INTERNAL_BRIDGE, planVms, type PlannedPort, type PlannedVm } from './plan/vm-plan.js';
export { consoleLogPath, type HostFacts, type LaunchIds, launchSpec, type LaunchSpec } from './plan/launch-spec.js';
