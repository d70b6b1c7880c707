import { pageSizeId, physnetId } from './intern.js';
import type { HostSnapshot } from './types.js';

// What one snapshot contributes to the fleet table, computed once per snapshot object and cached:
// snapshots are treated as immutable (applyPlacement returns a new one), so identity is the key,
// and a caller that reorders or re-slices its host array only pays a copy, not a recount.

/** Cells beyond this index are never candidates: a host's candidate cells are a 31-bit mask. */
export const MAX_CELLS = 31;

/** Per-cell numbers, in this order, CELL_FIELDS per cell in HostRow.cellNums. */
export const F_CELL_ID = 0;
export const F_FREE_CPUS = 1;
export const F_SHARED_CPUS = 2;
export const F_SMALL_MB = 3;
export const F_HUGE_MB = 4;
export const F_PMD_SLOTS = 5;
export const F_PMD_CORES = 6;
export const F_VF_TOTAL = 7;
export const CELL_FIELDS = 8;

export interface HostRow {
  readonly host: HostSnapshot;
  readonly cellCount: number;
  readonly cellNums: Float64Array;
  /** Flat triples [cell index, page size id, free pages]. */
  readonly huge: readonly number[];
  /** Flat triples [cell index, physnet id, free VFs]. */
  readonly vfs: readonly number[];
  readonly usable: boolean;
  readonly freeCpus: number;
  readonly memoryMb: number;
}

const cache = new WeakMap<HostSnapshot, HostRow>();

export function hostRow(host: HostSnapshot): HostRow {
  let row = cache.get(host);
  if (row === undefined) {
    row = compile(host);
    cache.set(host, row);
  }
  return row;
}

function compile(host: HostSnapshot): HostRow {
  const cellCount = Math.min(host.cells.length, MAX_CELLS);
  const cellNums = new Float64Array(cellCount * CELL_FIELDS);
  const huge: number[] = [];
  const vfs: number[] = [];
  let freeCpus = 0;
  let memoryMb = 0;
  for (let k = 0; k < cellCount; k++) {
    const cell = host.cells[k]!;
    const o = k * CELL_FIELDS;
    // Distinct counts: a duplicated id in a snapshot must not be counted (and handed out) twice.
    const cpus = distinct(cell.freeCpus);
    let hugeMb = 0;
    const firstTriple = huge.length; // this cell's [k, size id, free] triples start here
    const sizes: number[] = [];
    for (const hp of cell.hugepages) {
      const at = sizes.indexOf(hp.pageSizeKb);
      if (at >= 0) huge[firstTriple + 3 * at + 2]! += hp.free; // same size listed twice: add up
      else {
        sizes.push(hp.pageSizeKb);
        huge.push(k, pageSizeId(hp.pageSizeKb), hp.free);
      }
      hugeMb += (hp.pageSizeKb * hp.free) / 1024;
    }
    let pmdSlots = 0;
    for (const core of cell.pmdCores) pmdSlots += distinct(core.freeQueueSlots);
    let vfTotal = 0;
    for (const [physnet, n] of vfsByPhysnet(cell)) {
      vfs.push(k, physnetId(physnet), n);
      vfTotal += n;
    }
    cellNums[o + F_CELL_ID] = cell.cellId;
    cellNums[o + F_FREE_CPUS] = cpus;
    cellNums[o + F_SHARED_CPUS] = cell.sharedCpus;
    cellNums[o + F_SMALL_MB] = cell.freeMemoryMb;
    cellNums[o + F_HUGE_MB] = hugeMb;
    cellNums[o + F_PMD_SLOTS] = pmdSlots;
    cellNums[o + F_PMD_CORES] = cell.pmdCores.length;
    cellNums[o + F_VF_TOTAL] = vfTotal;
    freeCpus += cpus;
    memoryMb += cell.freeMemoryMb + hugeMb;
  }
  return { host, cellCount, cellNums, huge, vfs, usable: host.enabled && host.up, freeCpus, memoryMb };
}

/** Number of distinct values; inventory lists are normally sorted, which needs no Set. */
function distinct<T extends number | string>(values: readonly T[]): number {
  for (let i = 1; i < values.length; i++) if (!(values[i - 1]! < values[i]!)) return new Set(values).size;
  return values.length;
}

/** Distinct free VFs per physnet of a cell, as [physnet, count] (a physnet may be listed under several PFs). */
function vfsByPhysnet(cell: HostSnapshot['cells'][number]): [string, number][] {
  const groups = cell.vfs;
  const out: [string, number][] = [];
  for (let g = 0; g < groups.length; g++) {
    const physnet = groups[g]!.physnet;
    if (out.some(([p]) => p === physnet)) continue; // counted with its first group
    let addresses: string[] | undefined;
    for (let h = g + 1; h < groups.length; h++) {
      if (groups[h]!.physnet === physnet) (addresses ??= pci(groups[g]!.free)).push(...pci(groups[h]!.free));
    }
    out.push([physnet, distinct(addresses ?? pci(groups[g]!.free))]);
  }
  return out;
}

function pci(vfs: readonly { pciAddress: string }[]): string[] {
  const out = new Array<string>(vfs.length);
  for (let i = 0; i < vfs.length; i++) out[i] = vfs[i]!.pciAddress;
  return out;
}
