import type { FleetView } from '../fleet.js';
import { pickPool, POOL_NONE, type RequestPlan } from '../plan.js';
import { bestSlot, keepCellsWithAtLeast, numaName, type FilterPlugin } from '../plugin.js';

// Guest memory comes from the same cell as its CPUs (numatune strict), out of one pool: small pages
// or one hugepage size, tried in the order plan.huge lists them (see compileRequest).
export const memoryFilter: FilterPlugin = {
  name: 'MemoryFilter',
  relevant: () => true,
  filter(plan, fleet, cells, from, to) {
    const stride = fleet.stride;
    if (plan.huge.length === 1 && !plan.smallOk) {
      // The common case, an explicit page size: one column, hoisted.
      keepCellsWithAtLeast(plan.huge[0]!.column, plan.huge[0]!.pages, stride, cells, from, to);
      return;
    }
    for (let row = from; row < to; row++) {
      let out = cells[row]!;
      if (out === 0) continue;
      const base = row * stride;
      for (let m = out; m !== 0; m &= m - 1) {
        const bit = m & -m;
        if (pickPool(plan, fleet, base + 31 - Math.clz32(bit)) === POOL_NONE) out &= ~bit;
      }
      cells[row] = out;
    }
  },
  explain(plan, fleet, row, cells) {
    const slot = bestSlot(fleet, row, cells, (s) => closeness(plan, fleet, s));
    return slot < 0 ? 'no NUMA cell left to check' : `${numaName(fleet, slot)} has ${pools(plan, fleet, slot).join(', ')}`;
  },
};

/** "2 MiB" / "1 GiB" pages read better than KiB counts. */
export function formatPageSize(kb: number): string {
  if (kb % 1048576 === 0) return `${kb / 1048576} GiB`;
  if (kb % 1024 === 0) return `${kb / 1024} MiB`;
  return `${kb} KiB`;
}

// Share of the need that the cell's best acceptable pool covers, to pick the cell to report.
function closeness(plan: RequestPlan, fleet: FleetView, slot: number): number {
  let best = plan.smallOk ? fleet.smallMb[slot]! / plan.memoryMb : 0;
  for (const o of plan.huge) best = Math.max(best, o.column[slot]! / o.pages);
  return best;
}

function pools(plan: RequestPlan, fleet: FleetView, slot: number): string[] {
  const out = plan.huge
    // For 'large'/'any', sizes the cell has none of are noise; an explicit size is always shown.
    .filter((o) => typeof plan.request.pageSize === 'number' || o.column[slot]! > 0)
    .map((o) => `${o.column[slot]} free ${formatPageSize(o.pageSizeKb)} hugepages, needs ${o.pages} (${plan.memoryMb} MiB)`);
  if (plan.smallOk) out.push(`${fleet.smallMb[slot]} MiB free in small pages, needs ${plan.memoryMb} MiB`);
  if (out.length === 0) out.push(`no free hugepages, needs ${plan.memoryMb} MiB`);
  return out;
}
