import { bestSlot, keepCellsWithAtLeast, numaName, type FilterPlugin } from '../plugin.js';

// A pinned guest's vCPUs must all sit on one NUMA cell (the one its memory, PMD queues and VFs use):
// 8 free CPUs split 4 + 4 over two cells do not fit an 8-vCPU dedicated guest. Shared guests float
// over the cell's shared pool; one guest gets no more vCPUs than the pool has CPUs, or its own vCPUs
// would contend with each other. Shared CPUs are not consumed (floating vCPUs overcommit).
export const numaCpuFilter: FilterPlugin = {
  name: 'NumaCpuFilter',
  relevant: () => true,
  filter(plan, fleet, cells, from, to) {
    keepCellsWithAtLeast(plan.dedicated ? fleet.freeCpus : fleet.sharedCpus, plan.vcpus, fleet.stride, cells, from, to);
  },
  explain(plan, fleet, row, cells) {
    const column = plan.dedicated ? fleet.freeCpus : fleet.sharedCpus;
    const slot = bestSlot(fleet, row, cells, (s) => column[s]!);
    if (slot < 0) return 'no NUMA cell left to check';
    if (!plan.dedicated) return `${numaName(fleet, slot)} has ${column[slot]} shared CPUs, needs ${plan.vcpus}`;
    const base = `${numaName(fleet, slot)} has ${column[slot]} free dedicated CPUs, needs ${plan.vcpus}`;
    // The case operators trip over: enough CPUs on the host, not on any one cell. Only said when this
    // filter saw every cell (not when an explanation replays it for one cell).
    const total = fleet.hostFreeCpus[row]!;
    const cellCount = fleet.hosts[row]!.cells.length;
    return total >= plan.vcpus && cellCount > 1 && cells === fleet.cellMask[row]
      ? `${base} (host has ${total} across ${cellCount} cells; pinned CPUs must share one NUMA cell)`
      : base;
  },
};
