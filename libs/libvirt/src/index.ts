// libvirt driver: typed domain XML (connection pool over @unraid/libvirt comes with the lifecycle work).
export type {
  DiskSpec, DomainMetadata, DomainSpec, DomainType, GuestNumaCell, HostdevInterfaceSpec, InterfaceSpec, MemoryBacking,
  VcpuPin, VhostUserInterfaceSpec,
} from './domain-spec.js';
export { CLOUD_INIT_TARGET, MAX_VCPUS } from './domain-spec.js';
export { type CheckedDomain, checkDomainSpec } from './check-domain.js';
export { buildDomainXml, domainElement, METADATA_NAMESPACE, METADATA_PREFIX } from './domain-xml.js';
export { el, escapeAttribute, escapeText, serialize, XmlBuildError, type XmlChild, type XmlElement } from './xml.js';
