import type { FilterPlugin } from '../plugin.js';

// A host whose OvS-DPDK cannot make packet-buffer pools (DPDK not initialised, or its mempool ring
// driver missing) accepts vhost-user ports and then carries nothing through them: such a VM would
// launch "fine" into dead ports. Discovery's verdict decides; a host nobody could look at
// (`ready: null`, ovs-vswitchd on another machine) is taken as ready. VMs with SR-IOV ports only
// do not touch vhost-user and still go there.
export const vhostUserReadyFilter: FilterPlugin = {
  name: 'VhostUserReadyFilter',
  relevant: (plan) => plan.virtioPorts > 0,
  filter(_plan, fleet, cells, from, to) {
    const hosts = fleet.hosts;
    for (let row = from; row < to; row++) if (cells[row] !== 0 && hosts[row]!.vhostUser?.ready === false) cells[row] = 0;
  },
  explain(plan, fleet, row) {
    const reason = fleet.hosts[row]!.vhostUser?.reason ?? 'discovery found it not ready';
    return `host cannot carry vhost-user ports (needs ${plan.virtioPorts}): ${reason}`;
  },
};
