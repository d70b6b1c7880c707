export { OvsdbClient, OvsdbError, parseRemote, type TransactionFailure } from './ovsdb-client.js';
export { cpusInMask, readSwitchInfo, type SwitchInfo } from './switch-info.js';
export {
  addFlows, addGroups, checkFlowLine, cookieMatch, deleteFlowsByCookie, dumpFlowsByCookie, MAX_FLOW_LINE_LENGTH, type OfctlInvocation,
  type OfctlOptions, type OpenFlowVersion,
} from './commands.js';
export {
  createVhostUserClientPortOps, findPortOp, MAX_EXTERNAL_IDS, type OvsdbOperation, removePortOps, type VhostUserClientPortSpec,
} from './port-ops.js';
export {
  type FoundPort, type InterfaceStatus, OvsError, ownerExternalIds, type SwitchDriver, VDU_INSTANCE_ID_KEY, VNF_INSTANCE_ID_KEY,
} from './driver/switch-driver.js';
export { OvsdbSwitchDriver } from './driver/ovsdb-switch-driver.js';
