import type { RequestPlan } from '../plan.js';
import { bestSlot, keepCellsWithAtLeast, numaName, type FilterPlugin } from '../plugin.js';

// VFs per physnet. With 'required' every VF must be on the VM's cell, so this narrows the cells;
// with 'preferred' any cell of the host will do (NumaLocalityScorer rewards the local ones), so it
// only checks host totals and leaves the candidate cells as they are.
export const sriovFilter: FilterPlugin = {
  name: 'SriovFilter',
  relevant: (plan) => plan.vfTotal > 0,
  filter(plan, fleet, cells, from, to) {
    const stride = fleet.stride;
    // One pass per physnet with its column and count hoisted: the inner loops stay tiny.
    for (const need of plan.vfNeeds) {
      const count = need.count;
      if (!plan.vfRequired) {
        const perHost = need.hosts;
        for (let row = from; row < to; row++) if (perHost[row]! < count) cells[row] = 0;
        continue;
      }
      keepCellsWithAtLeast(need.cells, count, stride, cells, from, to);
    }
  },
  explain(plan, fleet, row, cells) {
    if (!plan.vfRequired) return `${shortfalls(plan, (n) => n.hosts[row]!, 'host').join(', ')} (counting all cells)`;
    const slot = bestSlot(fleet, row, cells, (s) => -missing(plan, s));
    return slot < 0 ? 'no NUMA cell left to check' : shortfalls(plan, (n) => n.cells[slot]!, numaName(fleet, slot)).join(', ');
  },
};

function missing(plan: RequestPlan, slot: number): number {
  let n = 0;
  for (const need of plan.vfNeeds) n += Math.max(0, need.count - need.cells[slot]!);
  return n;
}

type Need = RequestPlan['vfNeeds'][number];

function shortfalls(plan: RequestPlan, have: (need: Need) => number, where: string): string[] {
  return plan.vfNeeds
    .filter((need) => have(need) < need.count)
    .map((need) => `${where} has ${have(need)} free VFs on physnet ${need.physnet}, needs ${need.count}`);
}

