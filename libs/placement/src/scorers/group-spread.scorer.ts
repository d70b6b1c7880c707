import type { ScorerPlugin } from '../plugin.js';

export interface GroupSpreadOptions {
  weight?: number;
}

// The VMs of one VDU whose descriptor names no affinity group: a host without one of them is
// preferred (one host failure then takes out fewer of them), but a host that already has one is
// still taken when it is the only one with room: a preference, unlike AntiAffinityFilter. The
// default weight (10) outweighs the other default scorers together (1 + 2 + 1), so the VMs spread
// whenever another host fits. Rates a member's host 0 and every other host 1.
export function groupSpreadScorer(options: GroupSpreadOptions = {}): ScorerPlugin {
  const weight = options.weight ?? 10;
  return {
    name: 'GroupSpreadScorer',
    weight,
    relevant: (plan) => plan.spreadGroup !== undefined,
    perRequest: true,
    rows: (plan, fleet) => (plan.spreadGroup === undefined ? undefined : fleet.rowsInGroup(plan.spreadGroup)),
    score(plan, fleet, cells, from, to, totals) {
      const members = plan.spreadGroup === undefined ? undefined : fleet.rowsInGroup(plan.spreadGroup);
      if (members === undefined) return;
      const stride = fleet.stride;
      for (let row = from; row < to; row++) {
        if (!members.has(row)) continue;
        for (let m = cells[row]!; m !== 0; m &= m - 1) totals[row * stride + 31 - Math.clz32(m & -m)] -= weight;
      }
    },
  };
}
