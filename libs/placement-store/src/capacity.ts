import type { HostSnapshot } from '#vim/placement';

/**
 * Capacity per NUMA cell, in counts only: what a dashboard shows, nothing that names hardware.
 * Each free figure has its total next to it (used = total - free), counted alike: CPUs are the
 * dedicated ones (the cell's CPUs less the reserved ones and the PMD cores), memory is small-page
 * memory (the cell's less its hugepage pools), hugepages are per page size (`2048KiB`), PMD queues
 * are the cell's PMD cores times the host's slots per core, VFs are per physnet.
 */
export interface CellCapacity {
  cellId: number;
  freeCpus: number;
  totalCpus: number;
  freeMemoryMb: number;
  totalMemoryMb: number;
  freeHugepages: Record<string, number>;
  totalHugepages: Record<string, number>;
  freePmdQueues: number;
  totalPmdQueues: number;
  freeVfs: Record<string, number>;
  totalVfs: Record<string, number>;
}

const pageKey = (pageSizeKb: number): string => `${pageSizeKb}KiB`;

export function capacityOf(host: HostSnapshot): CellCapacity[] {
  return host.cells.map((cell) => {
    const freeCpus = cell.freeCpus.length;
    const freeHugepages = Object.fromEntries(cell.hugepages.map((p) => [pageKey(p.pageSizeKb), p.free]));
    const freePmdQueues = cell.pmdCores.reduce((n, core) => n + core.freeQueueSlots.length, 0);
    const freeVfs = Object.fromEntries(cell.vfs.map((v) => [v.physnet, v.free.length]));
    // A snapshot made by hand has no totals: nothing is known to be used.
    const totals = cell.totals ?? {
      cpus: freeCpus,
      memoryMb: cell.freeMemoryMb,
      hugepages: cell.hugepages.map((p) => ({ pageSizeKb: p.pageSizeKb, total: p.free })),
      pmdQueues: freePmdQueues,
      vfs: freeVfs,
    };
    const totalVfs = { ...totals.vfs };
    return {
      cellId: cell.cellId,
      freeCpus,
      totalCpus: totals.cpus,
      freeMemoryMb: cell.freeMemoryMb,
      totalMemoryMb: totals.memoryMb,
      freeHugepages: { ...Object.fromEntries(totals.hugepages.map((p) => [pageKey(p.pageSizeKb), 0])), ...freeHugepages },
      totalHugepages: Object.fromEntries(totals.hugepages.map((p) => [pageKey(p.pageSizeKb), p.total])),
      freePmdQueues,
      totalPmdQueues: totals.pmdQueues,
      // Every physnet the cell has VFs on, also when all of them are claimed (0 free).
      freeVfs: Object.fromEntries(Object.keys({ ...totalVfs, ...freeVfs }).sort().map((physnet) => [physnet, freeVfs[physnet] ?? 0])),
      totalVfs: Object.fromEntries(Object.keys(totalVfs).sort().map((physnet) => [physnet, totalVfs[physnet]])),
    };
  });
}
