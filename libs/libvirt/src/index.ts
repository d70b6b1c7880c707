// libvirt: typed domain XML, and the hypervisor driver (interface, @unraid/libvirt implementation) the lifecycle uses.
export type {
  DiskSpec, DomainMetadata, DomainSpec, DomainType, GuestNumaCell, HostdevInterfaceSpec, InterfaceSpec, MemoryBacking,
  VcpuPin, VhostUserInterfaceSpec,
} from './domain-spec.js';
export { CLOUD_INIT_TARGET, MAX_VCPUS } from './domain-spec.js';
export { type CheckedDomain, checkDomainSpec } from './check-domain.js';
export { buildDomainXml, domainElement, METADATA_NAMESPACE, METADATA_PREFIX, QEMU_NAMESPACE } from './domain-xml.js';
export { el, escapeAttribute, escapeText, serialize, XmlBuildError, type XmlChild, type XmlElement } from './xml.js';
export type {
  DomainRef, DomainState, DomainStatus, HypervisorDriver, LibvirtErrorDetails, LibvirtOperation, PowerState, PowerStateName,
} from './driver/hypervisor-driver.js';
export { isUp, LibvirtError } from './driver/hypervisor-driver.js';
export { parseDomstate, qemuLogTail } from './driver/virsh-state.js';
export { describePower, GuestNotRunningError, QEMU_LOG_LINES, quotedLog, watchGuest } from './guest-watch.js';
export { UnraidHypervisorDriver, type UnraidDriverOptions } from './driver/unraid-driver.js';
export { cleanConsoleLine, CONSOLE_TAIL_MAX_BYTES, type ConsoleTail, readConsoleTail } from './console-log.js';
