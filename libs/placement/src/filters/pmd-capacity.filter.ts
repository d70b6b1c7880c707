import { bestSlot, keepCellsWithAtLeast, numaName, type FilterPlugin } from '../plugin.js';

// Each vhost-user port's rx queue is polled by a PMD core; a queue polled from the other NUMA cell
// crosses the interconnect on every packet, so the slots must be on the VM's cell.
export const pmdCapacityFilter: FilterPlugin = {
  name: 'PmdCapacityFilter',
  relevant: (plan) => plan.virtioPorts > 0,
  filter(plan, fleet, cells, from, to) {
    keepCellsWithAtLeast(fleet.pmdSlots, plan.virtioPorts, fleet.stride, cells, from, to);
  },
  explain(plan, fleet, row, cells) {
    const slot = bestSlot(fleet, row, cells, (s) => fleet.pmdSlots[s]!);
    if (slot < 0) return 'no NUMA cell left to check';
    const numa = numaName(fleet, slot);
    if (fleet.pmdCores[slot] === 0) return `${numa} has no PMD cores, needs ${plan.virtioPorts} rx-queue slots for vhost-user ports`;
    return `${numa} has ${fleet.pmdSlots[slot]} free PMD rx-queue slots on ${fleet.pmdCores[slot]} PMD cores, needs ${plan.virtioPorts}`;
  },
};
