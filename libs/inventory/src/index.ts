export { cellsFromNodeInfo, discoverHost, type DiscoveryTarget } from './discover.js';
export { kvmAvailable, parseCapabilitiesTopology, parseCpuSet, parseFreePages, parseNodeDevice, pciDeviceName } from './libvirt-xml.js';
export { OvsdbSwitchProbe, VirshProbe, type HypervisorProbe, type SwitchProbe } from './probes.js';
export type { CellTopology, HostTopology, PfTopology } from './topology.js';
