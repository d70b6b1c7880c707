import type { CellSnapshot, HostSnapshot, PlacementRequest } from '../types.js';

// Compact builders for specs: a cell is described by counts, and ids/PCI addresses are derived
// deterministically so tests can assert exact resources.

export interface CellSpec {
  /** Free dedicated CPUs: a count (ids from cellId * 64 + 8 upwards) or explicit ids. */
  cpus?: number | number[];
  shared?: number;
  smallMb?: number;
  hugepages?: { pageSizeKb: number; free: number }[];
  /** PMD cores: a count of cores with `slotsPerCore` free slots each, or explicit cores. */
  pmd?: number | { cpuId: number; freeQueueSlots: number[] }[];
  slotsPerCore?: number;
  /** Free VFs per physnet on this cell. */
  vfs?: Record<string, number>;
}

const hex2 = (n: number): string => n.toString(16).padStart(2, '0');

/** VF k of PF `pf` on `cellId`: 0000:<bus>:<dev>.<fn>, fixed width so string order = address order. */
export function vfAddress(cellId: number, pf: number, k: number): string {
  return `0000:${hex2(0x18 + cellId * 0x40 + pf)}:${hex2(0x02 + (k >> 3))}.${k & 7}`;
}

export function pfAddress(cellId: number, pf: number): string {
  return `0000:${hex2(0x18 + cellId * 0x40 + pf)}:00.0`;
}

export function makeCell(cellId: number, spec: CellSpec = {}): CellSnapshot {
  const base = cellId * 64;
  const cpus = spec.cpus ?? 8;
  const slots = spec.slotsPerCore ?? 4;
  const pmd = spec.pmd ?? 2;
  return {
    cellId,
    freeCpus: typeof cpus === 'number' ? Array.from({ length: cpus }, (_, i) => base + 8 + i) : [...cpus],
    sharedCpus: spec.shared ?? 4,
    freeMemoryMb: spec.smallMb ?? 8192,
    hugepages: (spec.hugepages ?? [{ pageSizeKb: 1048576, free: 16 }]).map((hp) => ({ ...hp })),
    pmdCores:
      typeof pmd === 'number'
        ? Array.from({ length: pmd }, (_, i) => ({ cpuId: base + 2 + i, freeQueueSlots: Array.from({ length: slots }, (_, s) => s) }))
        : pmd.map((core) => ({ cpuId: core.cpuId, freeQueueSlots: [...core.freeQueueSlots] })),
    vfs: Object.entries(spec.vfs ?? {}).map(([physnet, n], pf) => ({
      physnet,
      free: Array.from({ length: n }, (_, k) => ({ pciAddress: vfAddress(cellId, pf, k), pfPciAddress: pfAddress(cellId, pf) })),
    })),
  };
}

export interface HostOptions {
  hostId?: string;
  enabled?: boolean;
  up?: boolean;
  /** Groups with one member on the host each. */
  groups?: string[];
  vhostUser?: HostSnapshot['vhostUser'];
}

export function makeHost(name: string, cells: CellSpec[], options: HostOptions = {}): HostSnapshot {
  return {
    hostId: options.hostId ?? `id-${name}`,
    name,
    enabled: options.enabled ?? true,
    up: options.up ?? true,
    cells: cells.map((spec, i) => makeCell(i, spec)),
    groups: new Map((options.groups ?? []).map((g) => [g, 1])),
    ...(options.vhostUser ? { vhostUser: options.vhostUser } : {}),
  };
}

export function makeRequest(overrides: Partial<PlacementRequest> = {}): PlacementRequest {
  return {
    requestId: 'req-1',
    vcpus: 4,
    cpuPolicy: 'dedicated',
    memoryMb: 4096,
    pageSize: 1048576,
    virtioPorts: 0,
    sriovPorts: [],
    vfNumaAffinity: 'required',
    ...overrides,
  };
}
