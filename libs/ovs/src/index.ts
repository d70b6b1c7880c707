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
export {
  chainCookieMatch, chainOfCookie, deleteChainBundle, deleteChainGenerationsBundle, dumpBridgeFlowStats, dumpChainFlows, dumpChainFlowStats, generationCookie, generationCookieMatch, generationFlowLines,
  GENERATION_BITS, installChainBundle, MAX_CHAIN_COOKIE, MAX_GENERATION, MAX_GROUP_ID, type ChainBundleOptions, type ChainGeneration,
  type InstalledGeneration,
} from './chain-bundle.js';
export { flowDrift, type FlowDrift, normaliseFlow } from './flow-drift.js';
export { dumpGroups, groupDrift, type GroupDrift, groupIdOf, normaliseGroup } from './group-drift.js';
export { execOfctl, type FlowInstaller, OfctlError, OfctlFlowInstaller, type OfctlResult, type OfctlRunner } from './driver/flow-installer.js';
export {
  type AppctlInvocation, checkIpv4Address, checkIpv6Address, type FlowTrace, parseTrace, TRACE_FLOW_SAFE, traceFlow, traceInvocation, type TracePacket,
  TraceParseError, type TraceRule,
} from './trace.js';
export { AppctlError, AppctlFlowTracer, type FlowTracer } from './driver/flow-tracer.js';
