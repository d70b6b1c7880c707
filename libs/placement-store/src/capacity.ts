import type { HostSnapshot } from '#vim/placement';

/** Free capacity per NUMA cell, in counts only: what a dashboard shows, nothing that names hardware. */
export interface CellCapacity {
  cellId: number;
  freeCpus: number;
  freeMemoryMb: number;
  freeHugepages: Record<string, number>;
  freePmdQueues: number;
  freeVfs: Record<string, number>;
}

export function capacityOf(host: HostSnapshot): CellCapacity[] {
  return host.cells.map((cell) => ({
    cellId: cell.cellId,
    freeCpus: cell.freeCpus.length,
    freeMemoryMb: cell.freeMemoryMb,
    freeHugepages: Object.fromEntries(cell.hugepages.map((p) => [`${p.pageSizeKb}KiB`, p.free])),
    freePmdQueues: cell.pmdCores.reduce((n, core) => n + core.freeQueueSlots.length, 0),
    freeVfs: Object.fromEntries(cell.vfs.map((v) => [v.physnet, v.free.length])),
  }));
}
