import { XMLParser } from 'fast-xml-parser';
import type { CellTopology } from './topology.js';

const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', parseAttributeValue: false, isArray: (name) => ARRAYS.has(name) });
const ARRAYS = new Set(['cell', 'cpu', 'pages', 'address', 'capability', 'sibling']);

type Node = Record<string, unknown>;
const asNodes = (v: unknown): Node[] => (Array.isArray(v) ? (v as Node[]) : v === undefined ? [] : [v as Node]);
const int = (v: unknown): number | null => (v === undefined || v === '' ? null : Number.parseInt(String(v), 10));
const text = (v: unknown): string => (typeof v === 'object' && v !== null ? String((v as Node)['#text'] ?? '') : String(v ?? ''));

/** "0-3,8,10-11" as libvirt writes CPU sets. */
export function parseCpuSet(set: string): number[] {
  return set
    .split(',')
    .filter((part) => part.trim() !== '')
    .flatMap((part) => {
      const [from, to] = part.split('-').map((n) => Number.parseInt(n, 10));
      return to === undefined ? [from] : Array.from({ length: to - from + 1 }, (_, i) => from + i);
    });
}

/** NUMA cells, CPUs and hugepage totals from `virsh capabilities` (free counts come separately). */
export function parseCapabilitiesTopology(xml: string): CellTopology[] {
  const doc = parser.parse(xml) as Node;
  const cells = asNodes((((doc.capabilities as Node)?.host as Node)?.topology as Node)?.cells as Node);
  return cells.flatMap((c) => asNodes(c.cell)).map((cell) => ({
    cellId: int(cell.id) ?? 0,
    memoryKb: int(text(cell.memory)) ?? 0,
    cpus: asNodes((cell.cpus as Node)?.cpu).map((cpu) => ({
      cpuId: int(cpu.id) ?? 0,
      coreId: int(cpu.core_id),
      socketId: int(cpu.socket_id),
      siblings: cpu.siblings === undefined ? [] : parseCpuSet(String(cpu.siblings)),
    })),
    hugepages: asNodes(cell.pages)
      .map((p) => ({ pageSizeKb: int(p.size) ?? 0, total: int(text(p)) ?? 0, free: 0 }))
      .filter((p) => p.pageSizeKb > 4 && p.pageSizeKb !== 8),
  }));
}

/** `virsh freepages --all`: "Node 0:" then "2048KiB: 136" lines. */
export function parseFreePages(output: string): Map<number, Map<number, number>> {
  const result = new Map<number, Map<number, number>>();
  let cell: Map<number, number> | undefined;
  for (const line of output.split('\n')) {
    const node = /^Node (\d+):/.exec(line.trim());
    if (node) result.set(Number(node[1]), (cell = new Map()));
    const pages = /^(\d+)KiB:\s*(\d+)/.exec(line.trim());
    if (pages && cell) cell.set(Number(pages[1]), Number(pages[2]));
  }
  return result;
}

export interface NodeDevice {
  name: string;
  parent: string | null;
  pciAddress: string | null;
  numaNode: number | null;
  netdevNames: string[];
  virtFunctions: string[];
  physFunction: string | null;
}

const formatPci = (domain: number, bus: number, slot: number, fn: number): string =>
  `${domain.toString(16).padStart(4, '0')}:${bus.toString(16).padStart(2, '0')}:${slot.toString(16).padStart(2, '0')}.${fn.toString(16)}`;
// <address domain='0x0000' bus='0x3b' .../> is hexadecimal; <capability type='pci'><bus>59</bus> is decimal.
const pciFromAddress = (a: Node): string =>
  formatPci(...([a.domain, a.bus, a.slot, a.function].map((v) => Number.parseInt(String(v), 16)) as [number, number, number, number]));

/** One `virsh nodedev-dumpxml` document: a PCI device (with SR-IOV capabilities) or a net device. */
export function parseNodeDevice(xml: string): NodeDevice {
  const device = (parser.parse(xml) as Node).device as Node;
  const caps = asNodes(device.capability);
  const pci = caps.find((c) => c.type === 'pci');
  const net = caps.find((c) => c.type === 'net');
  const nested = asNodes(pci?.capability);
  const pciAddress =
    pci && pci.domain !== undefined ? formatPci(Number(text(pci.domain)), Number(text(pci.bus)), Number(text(pci.slot)), Number(text(pci.function))) : null;
  return {
    name: text(device.name),
    parent: device.parent === undefined ? null : text(device.parent),
    pciAddress,
    numaNode: int((pci?.numa as Node | undefined)?.node),
    netdevNames: net ? [text(net.interface)] : [],
    virtFunctions: asNodes(nested.find((c) => c.type === 'virt_functions')?.address).map(pciFromAddress),
    physFunction: asNodes(nested.find((c) => c.type === 'phys_function')?.address).map(pciFromAddress)[0] ?? null,
  };
}

/** libvirt's node device name for a PCI address: 0000:3b:02.1 -> pci_0000_3b_02_1. */
export const pciDeviceName = (pciAddress: string): string => `pci_${pciAddress.replace(/[:.]/g, '_')}`;

/**
 * Whether the host can run x86_64 guests under KVM: libvirt lists a `<domain type='kvm'/>` for
 * that arch only where /dev/kvm is usable (else guests are emulated, as on CI). A garbled answer
 * throws rather than quietly saying no: on a production host every VNF would then run emulated.
 */
export function kvmAvailable(capabilitiesXml: string): boolean {
  const capabilities = (parser.parse(capabilitiesXml, true) as Node).capabilities;
  if (typeof capabilities !== 'object' || capabilities === null) throw new Error('not a libvirt capabilities document');
  return asNodes((capabilities as Node).guest).some((guest) =>
    asNodes(guest.arch).some((arch) => arch.name === 'x86_64' && asNodes(arch.domain).some((domain) => domain.type === 'kvm')),
  );
}
