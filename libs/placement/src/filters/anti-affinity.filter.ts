import type { FilterPlugin } from '../plugin.js';

// Members of an anti-affinity group must not share a host, so one host failure takes out one
// member. The fleet's group index stamps the groups' rows when the request is compiled: one read
// per host.
export const antiAffinityFilter: FilterPlugin = {
  name: 'AntiAffinityFilter',
  relevant: (plan) => plan.antiAffinityGroups.length > 0,
  // Every group has its own name; keeping it out of the shape lets members share cached results.
  perRequest: true,
  filter(plan, fleet, cells, from, to) {
    const marks = fleet.groupMarks;
    const stamp = plan.antiAffinityStamp;
    for (let row = from; row < to; row++) if (marks[row] === stamp) cells[row] = 0;
  },
  explain(plan, fleet, row) {
    const here = plan.antiAffinityGroups.filter((g) => fleet.rowsInGroup(g)?.has(row));
    return `anti-affinity group ${here.join(', ')} already has a member on this host`;
  },
};
