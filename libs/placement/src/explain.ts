import type { FleetView } from './fleet.js';
import type { RequestPlan } from './plan.js';
import { filterOne, type FilterPlugin } from './plugin.js';
import type { NoValidHost } from './types.js';

// "No valid host" always comes with the reasons. The engine replays the chain once recording, per
// host, which filter rejected it and which cells that filter was given; sentences are built here
// only for the hosts that will be listed, so a 10k-host rejection costs one pass plus ~50 strings.

/** Pseudo filter for hosts that report no NUMA cells at all: there is nothing for the filters to narrow. */
export const INVENTORY_CHECK = 'InventoryCheck';
/** Value of the per-host filter index for such hosts. */
export const NO_CELLS = -1;

export interface RejectionLog {
  /** Per fleet row: index of the rejecting filter, or NO_CELLS. */
  readonly filterIndex: Int32Array;
  /** Per fleet row: the cell mask the rejecting filter was given. */
  readonly cellsSeen: Int32Array;
}

export function explainNoValidHost(
  plan: RequestPlan,
  fleet: FleetView,
  filters: readonly FilterPlugin[],
  log: RejectionLog,
  limit: number,
): NoValidHost {
  const count = fleet.size;
  const nameOf = (f: number): string => (f === NO_CELLS ? INVENTORY_CHECK : filters[f]!.name);
  // Counts per filter index, shifted by one so NO_CELLS (-1) lands in slot 0.
  const tally = new Int32Array(filters.length + 1);
  for (let i = 0; i < count; i++) tally[log.filterIndex[i]! + 1]!++;
  // Most common reason first; chain order on equal counts.
  const ranked = [...tally.entries()]
    .filter(([, n]) => n > 0)
    .map(([slot, n]): [number, number] => [slot - 1, n])
    .sort(([fa, a], [fb, b]) => b - a || fa - fb);
  const reasonCounts: Record<string, number> = {};
  for (const [f, n] of ranked) reasonCounts[nameOf(f)] = (reasonCounts[nameOf(f)] ?? 0) + n;

  const listed = firstByRank(fleet.ranks(), count, limit);
  const rows = listed.map((i) => {
    const host = fleet.hosts[i]!;
    const f = log.filterIndex[i]!;
    const reason = f === NO_CELLS ? 'host reports no NUMA cells' : reasonFor(plan, fleet, i, filters, f, log.cellsSeen[i]!);
    return { hostId: host.hostId, name: host.name, filter: nameOf(f), reason };
  });

  let summary: string;
  if (count === 0) summary = 'no valid host: there are no hosts to place on';
  else {
    const parts = ranked.map(([f, n], k) => (k === 0 ? `${n} of ${count} hosts failed ${nameOf(f)}` : `${n} failed ${nameOf(f)}`));
    summary = `no valid host: ${parts.join(', ')}`;
    if (rows.length < count) summary += ` (showing the first ${rows.length} hosts by name)`;
  }
  return { summary, reasonCounts, hosts: rows };
}

/**
 * The rejecting filter's shortfall on the best cell it saw, plus why the other cells had already
 * dropped out earlier in the chain, e.g. "numa 1 has 2 free PMD rx-queue slots on 2 PMD cores, needs 4
 * (also NumaCpuFilter: numa 0 has 6 free dedicated CPUs, needs 8)".
 */
function reasonFor(plan: RequestPlan, fleet: FleetView, row: number, filters: readonly FilterPlugin[], f: number, seen: number): string {
  const primary = filters[f]!.explain(plan, fleet, row, seen);
  const dropped = fleet.cellMask[row]! & ~seen;
  if (dropped === 0) return primary;
  const notes: string[] = [];
  for (let m = dropped; m !== 0; m &= m - 1) {
    const bit = m & -m;
    // Replay the chain on this one cell to find the filter that removed it.
    for (let g = 0; g < f; g++) {
      if (filterOne(filters[g]!, plan, fleet, row, bit) === 0) {
        notes.push(`${filters[g]!.name}: ${filters[g]!.explain(plan, fleet, row, bit)}`);
        break;
      }
    }
  }
  return notes.length === 0 ? primary : `${primary} (also ${notes.join('; ')})`;
}

/** Rows of the `limit` hosts first in (name, hostId) order, without sorting the fleet. */
function firstByRank(rank: Int32Array, count: number, limit: number): number[] {
  if (limit >= count) return Array.from({ length: count }, (_, i) => i).sort((a, b) => rank[a]! - rank[b]!);
  // Ranks are a permutation of 0..count-1: the first `limit` hosts are the rows ranked below `limit`.
  const out = new Array<number>(limit);
  for (let i = 0; i < count; i++) if (rank[i]! < limit) out[rank[i]!] = i;
  return out;
}
