import { bestSlot, numaName, type FilterPlugin } from '../plugin.js';

// Each vhost-user port's rx queue is polled by a PMD core; a queue polled from the other NUMA cell
// crosses the interconnect on every packet, so the slots must be on the VM's cell.
export const pmdCapacityFilter: FilterPlugin = {
  name: 'PmdCapacityFilter',
  relevant: (plan) => plan.virtioPorts > 0,
  filter(plan, fleet, cells, from, to) {
    const slots = fleet.pmdSlots;
    const stride = fleet.stride;
    const need = plan.virtioPorts;
    for (let row = from; row < to; row++) {
      let out = cells[row]!;
      if (out === 0) continue;
      const base = row * stride;
      for (let m = out; m !== 0; m &= m - 1) {
        const bit = m & -m;
        if (slots[base + 31 - Math.clz32(bit)]! < need) out &= ~bit;
      }
      cells[row] = out;
    }
  },
  explain(plan, fleet, row, cells) {
    const slot = bestSlot(fleet, row, cells, (s) => fleet.pmdSlots[s]!);
    if (slot < 0) return 'no NUMA cell left to check';
    const numa = numaName(fleet, slot);
    if (fleet.pmdCores[slot] === 0) return `${numa} has no PMD cores, needs ${plan.virtioPorts} rx-queue slots for vhost-user ports`;
    return `${numa} has ${fleet.pmdSlots[slot]} free PMD rx-queue slots on ${fleet.pmdCores[slot]} PMD cores, needs ${plan.virtioPorts}`;
  },
};
