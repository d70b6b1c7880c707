import { XMLParser } from 'fast-xml-parser';
import { type HypervisorProbe, VirshProbe } from '../../../inventory/src/probes.js';
import type { DomainType } from '../domain-spec.js';

type Node = Record<string, unknown>;

const LISTS = new Set(['capabilities.guest', 'capabilities.guest.arch', 'capabilities.guest.arch.domain']);
const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (_name, jpath) => LISTS.has(String(jpath)) });
const nodes = (value: unknown): Node[] => (Array.isArray(value) ? (value as Node[]) : []);

/**
 * 'kvm' when the host can run x86_64 guests under KVM (libvirt lists a `<domain type='kvm'/>`
 * for that arch only where /dev/kvm is usable), else 'qemu' (TCG emulation, as on CI).
 */
export function domainTypeFromCapabilities(capabilitiesXml: string): DomainType {
  const capabilities = (parser.parse(capabilitiesXml, true) as Node).capabilities;
  // A garbled answer must not quietly become 'qemu': on a production host every VNF would run emulated.
  if (typeof capabilities !== 'object' || capabilities === null) throw new Error('not a libvirt capabilities document');
  const kvm = nodes((capabilities as Node).guest).some((guest) =>
    nodes(guest.arch).some((arch) => arch.name === 'x86_64' && nodes(arch.domain).some((domain) => domain.type === 'kvm')),
  );
  return kvm ? 'kvm' : 'qemu';
}

/** The domain type for a host, from the capabilities that discovery's virsh probe already reads. */
export async function detectDomainType(uri: string, probe: Pick<HypervisorProbe, 'capabilities'> = new VirshProbe(uri)): Promise<DomainType> {
  return domainTypeFromCapabilities(await probe.capabilities());
}
