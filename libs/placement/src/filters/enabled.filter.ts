import type { FilterPlugin } from '../plugin.js';

// Nova's ComputeFilter: an operator-disabled host takes no new VMs, and a host that did not answer
// the last discovery may have lost its resources since the snapshot was taken.
export const enabledFilter: FilterPlugin = {
  name: 'EnabledFilter',
  relevant: () => true,
  filter(_plan, fleet, cells, from, to) {
    const usable = fleet.usable;
    for (let row = from; row < to; row++) if (usable[row] !== 1) cells[row] = 0;
  },
  explain: (_plan, fleet, row) =>
    !fleet.hosts[row]!.enabled ? 'host is disabled by the operator' : 'host was unreachable at the last discovery',
};
