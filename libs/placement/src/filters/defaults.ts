import type { FilterPlugin } from '../plugin.js';
import { affinityFilter } from './affinity.filter.js';
import { antiAffinityFilter } from './anti-affinity.filter.js';
import { enabledFilter } from './enabled.filter.js';
import { memoryFilter } from './memory.filter.js';
import { numaCpuFilter } from './numa-cpu.filter.js';
import { pmdCapacityFilter } from './pmd-capacity.filter.js';
import { sriovFilter } from './sriov.filter.js';
import { vhostUserReadyFilter } from './vhost-user-ready.filter.js';

/**
 * The default chain. Host-level checks first (cheapest, and they explain the common operational
 * cases); then the NUMA cell narrowing in the order operators reason about a VNF: CPUs, memory,
 * PMD queues, VFs. vhost-user readiness is one of those operational cases (a switch that cannot
 * make packet-buffer pools), so it comes right after enabled. The first filter that empties a
 * host's cell set is the one it is reported under.
 */
export function defaultFilters(): FilterPlugin[] {
  return [enabledFilter, vhostUserReadyFilter, antiAffinityFilter, affinityFilter, numaCpuFilter, memoryFilter, pmdCapacityFilter, sriovFilter];
}
