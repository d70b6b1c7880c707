export { cellsFromNodeInfo, discoverHost, type DiscoveryTarget } from './discover.js';
export { kvmAvailable, parseCapabilitiesTopology, parseCpuSet, parseFreePages, parseNodeDevice, pciDeviceName } from './libvirt-xml.js';
export { OvsdbSwitchProbe, VirshProbe, type HypervisorProbe, type SwitchFacts, type SwitchProbe } from './probes.js';
export type { CellTopology, HostTopology, PfTopology } from './topology.js';
export {
  checkVhostUserReadiness,
  DEFAULT_VSWITCHD_PATHS,
  isLocalOvsdbRemote,
  MEMPOOL_RING_PACKAGE,
  VswitchdFiles,
  type VhostUserReadiness,
  type VswitchdFacts,
  type VswitchdPaths,
} from './vhost-user-readiness.js';
