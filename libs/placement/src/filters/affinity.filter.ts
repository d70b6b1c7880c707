import type { FleetView } from '../fleet.js';
import type { RequestPlan } from '../plan.js';
import type { FilterPlugin } from '../plugin.js';

// Members of an affinity group share one host (SOL006 affinity, scope nfvi-node). Once a group has
// a member, only the hosts that hold members of every such group of the request pass. While none
// has, any host does that has room, in host totals, for the whole group (affinityNeed): the first
// member must not take a host the others then cannot follow it to.
export const affinityFilter: FilterPlugin = {
  name: 'AffinityFilter',
  relevant: (plan) => plan.affinityGroups.length > 0,
  perRequest: true,
  filter(plan, fleet, cells, from, to) {
    const stamp = plan.affinityStamp;
    if (stamp !== 0) {
      const marks = fleet.affinityMarks;
      for (let row = from; row < to; row++) if (marks[row] !== stamp) cells[row] = 0;
      return;
    }
    const need = plan.affinityNeed;
    if (need === undefined) return;
    const cpus = fleet.hostFreeCpus;
    const memory = fleet.hostMemoryMb;
    for (let row = from; row < to; row++) {
      if (cpus[row]! < need.dedicatedCpus || memory[row]! < need.memoryMb) cells[row] = 0;
    }
  },
  explain(plan, fleet, row) {
    if (plan.affinityStamp !== 0) return `affinity group ${plan.affinityGroups.join(', ')} has its members on ${memberHosts(plan, fleet)}, not on this host`;
    const need = plan.affinityNeed ?? { dedicatedCpus: 0, memoryMb: 0 };
    return (
      `affinity group ${plan.affinityGroups.join(', ')} needs one host for all its VMs: ${need.dedicatedCpus} dedicated CPUs and ` +
      `${need.memoryMb} MiB together; this host has ${fleet.hostFreeCpus[row]} and ${fleet.hostMemoryMb[row]} MiB free`
    );
  },
};

/** Names of the hosts that hold members, for explanations (cold path). */
function memberHosts(plan: RequestPlan, fleet: FleetView): string {
  const names = new Set<string>();
  for (const g of plan.affinityGroups) for (const row of fleet.rowsInGroup(g) ?? []) names.add(fleet.hosts[row]!.name);
  return [...names].sort().join(', ');
}
