import type { FilterPlugin } from '../plugin.js';

// Members of one scaling group must not share a host, so one host failure takes out one member.
// The fleet's group index stamps the group's rows when the request is compiled: one read per host.
export const antiAffinityFilter: FilterPlugin = {
  name: 'AntiAffinityFilter',
  relevant: (plan) => plan.group !== undefined,
  // Every scaling group has its own name; keeping it out of the shape lets members share cached results.
  perRequest: true,
  filter(plan, fleet, cells, from, to) {
    const marks = fleet.groupMarks;
    const stamp = plan.groupStamp;
    for (let row = from; row < to; row++) if (marks[row] === stamp) cells[row] = 0;
  },
  explain: (plan) => `anti-affinity group ${plan.group} already has a member on this host`,
};
