// Service chains: the model, the checks with reasons and the OpenFlow rendering (pure: no I/O).
export {
  type ChainFacts, type ChainHop, type ChainPoint, type Classifier, type ConnectionPoint, type Ethertype, type FailMode, FLOW_PRIORITY_BASE,
  type HopInstance, type InstanceFacts, isNetworkPoint, L4_PROTOCOLS, MAX_CHAIN_PRIORITY, type NetworkFacts, type NetworkPoint, type PortFacts,
  type PortRange, type ServiceChain,
} from './model.js';
export { type TunnelFacts } from './model.js';
export { classifierProblems, classifiersOverlap, portRangeMasks, reverseClassifier } from './classifier.js';
export { checkChain } from './check.js';
export { flowCookie, groupField, groupId, isChainGroupId, MAX_GROUP_HOPS } from './ids.js';
export { END_POSITION, MAX_TUNNELED_HOPS, receiveGroupId, tunnelKey } from './ids.js';
export { type BridgeRules, classifierMatches, renderChain } from './render.js';
export { chainsFromNsd, type NsdChainOptions, type NsdChains } from './nsd.js';
export {
  chainInstanceIds, factsFromRecords, type InstanceRecord, type PortRecord, RECORDS_ONLY, type SwitchPort, type SwitchPortLookup,
  type VmRecord,
} from './records.js';
export {
  APPLY_CHAIN_JOB, type ApplyChainJob, applyChainJobId, type ChainEvent, chainEvent, type ChainEventFields, type ChainTraceRequest, REFRESH_CHAINS_JOB, type RefreshChainsJob,
  TRACE_CHAIN_JOB, type TraceChainJob, type ChainTraceAnswer, type ChainTraceError, type ChainTraceErrorKind, type ChainTraceResult, isChainTraceError,
} from './jobs.js';
export { type BridgeFlowStats, type ChainCounters, chainCounters, flowStats, type HopInstanceCount, type PacketCount } from './counters.js';
export {
  type ChainTrace, type ChainTraceHop, type ChainTraceRule, type ChainTraceSegment, combineSegments, explainSegment, nextTraceStart,
  traceRule, type TraceStart, TraceStartError, traceStart,
} from './trace.js';
