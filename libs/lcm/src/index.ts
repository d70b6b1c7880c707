// VNF lifecycle domain (no framework): operation states, the jobs and events the API and worker share.
export { ACTIVE_OP_STATES, canApply, isFinal, nextOpState, OP_STATES, type OpEvent, type OpState, OpStateError } from './op-state.js';
export { lcmEventChannel, type LcmEvent, type OpAction, RUN_OP_JOB, type RunOpJob, runOpJobId } from './jobs.js';
