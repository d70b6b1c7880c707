import type { CellCapacityView } from '../api/types.js';

type TotalKey = 'totalCpus' | 'totalMemoryMb' | 'totalHugepages' | 'totalPmdQueues' | 'totalVfs';
/** A cell as the API gives it; an API from before the totals gives only the free figures. */
export type CellInput = Omit<CellCapacityView, TotalKey> & Partial<Pick<CellCapacityView, TotalKey>>;

/** One bar: used = total - free; total null when the API does not say it (only free is known). */
export interface CapacityBar {
  key: string;
  label: string;
  unit: string;
  free: number;
  total: number | null;
  used: number | null;
  /** 0..100 used, null when the total is unknown. */
  percent: number | null;
}

export interface CellBars {
  cellId: number;
  bars: CapacityBar[];
}

function bar(key: string, label: string, unit: string, free: number, total: number | undefined | null): CapacityBar {
  if (total === undefined || total === null || !Number.isFinite(total)) return { key, label, unit, free, total: null, used: null, percent: null };
  const used = Math.max(0, total - free);
  const percent = total > 0 ? Math.min(100, Math.round((used / total) * 100)) : 0;
  return { key, label, unit, free, total, used, percent };
}

const keysOf = (...records: (Record<string, number> | undefined)[]): string[] =>
  [...new Set(records.flatMap((r) => Object.keys(r ?? {})))].sort();

/** Per NUMA cell: dedicated CPUs, memory, hugepages per size, PMD queues, VFs per physnet. */
export function cellBars(capacity: CellInput[]): CellBars[] {
  return [...capacity]
    .sort((a, b) => a.cellId - b.cellId)
    .map((cell) => ({
      cellId: cell.cellId,
      bars: [
        bar('cpus', 'Dedicated CPUs', 'CPUs', cell.freeCpus, cell.totalCpus),
        bar('memory', 'Memory', 'MiB', cell.freeMemoryMb, cell.totalMemoryMb),
        ...keysOf(cell.freeHugepages, cell.totalHugepages).map((size) =>
          bar(`hugepages-${size}`, `Hugepages ${size}`, 'pages', cell.freeHugepages?.[size] ?? 0, cell.totalHugepages ? cell.totalHugepages[size] ?? 0 : undefined),
        ),
        bar('pmd', 'PMD queues', 'queues', cell.freePmdQueues, cell.totalPmdQueues),
        ...keysOf(cell.freeVfs, cell.totalVfs).map((physnet) =>
          bar(`vfs-${physnet}`, `VFs ${physnet}`, 'VFs', cell.freeVfs?.[physnet] ?? 0, cell.totalVfs ? cell.totalVfs[physnet] ?? 0 : undefined),
        ),
      ],
    }));
}

/** A bar's words: "3 used / 8 (5 free)" or "5 free" when the total is unknown. */
export const barText = (b: CapacityBar): string =>
  b.total === null ? `${b.free} ${b.unit} free` : `${b.used} used / ${b.total} ${b.unit} (${b.free} free)`;

