import type { FleetView } from './fleet.js';
import type { RequestPlan } from './plan.js';

// Plugin contracts, after kube-scheduler's PreFilter/Filter/Score extension points, in batch form.
//
// Filters narrow a per-host set of candidate NUMA cells, a bitmask over the host's cells: each
// filter receives the cells that survived the filters before it and keeps the subset it accepts.
// That is what makes NUMA alignment hold across plugins: a host passes only if at least one cell
// survives every filter, i.e. one cell satisfies CPU + memory + PMD (+ VFs) together. Host-level
// filters (enabled, anti-affinity) keep the mask or clear it.
//
// Batch form: a plugin is called once per placement for the whole fleet, not once per host. At 10k
// hosts a virtual call per host per plugin costs more than the checks themselves; a loop inside the
// plugin is monomorphic and lets V8 inline it. `cells[row]` is the candidate cell mask of fleet row
// `row` (0 = already rejected: skip it). Plugins read the fleet's column store: cell k of host `row`
// is at slot `row * fleet.stride + k`. Hot methods must not allocate.

export interface FilterPlugin {
  /** Reported in NoValidHost.reasonCounts, e.g. 'NumaCpuFilter'. */
  readonly name: string;
  /** PreFilter: false when the request asks for nothing this filter checks, so the engine skips it. */
  relevant(plan: RequestPlan): boolean;
  /**
   * The answer depends on request fields outside its shape (see shapeKey: requestId, groups,
   * port order), so the engine re-runs it on every placement rather than caching.
   */
  readonly perRequest?: boolean;
  /**
   * For each row in [from, to) with cells[row] !== 0: narrow cells[row] in place; 0 rejects the host.
   * Must depend only on that host's row and the request: the engine caches results per request shape
   * and recomputes just the rows that changed, and explanations replay it for one host and one cell.
   */
  filter(plan: RequestPlan, fleet: FleetView, cells: Int32Array, from: number, to: number): void;
  /**
   * Cold path, only for hosts listed in a NoValidHost: the concrete shortfall of the best cell among
   * `cells` (the cells this filter was given and rejected), e.g. "numa 0 has 2 free VFs on physnet a, needs 3".
   */
  explain(plan: RequestPlan, fleet: FleetView, row: number, cells: number): string;
}

/**
 * A scorer rates every candidate cell 0..1 (higher is better) and adds weight * rating to
 * totals[slot]. A rating depends only on that host's row and the request's shape, never on other
 * hosts (no fleet-wide normalisation): the engine caches totals per request shape and rescores only
 * the hosts that changed.
 */
export interface ScorerPlugin {
  readonly name: string;
  readonly weight: number;
  /** false when every cell would get the same rating for this request: the engine skips the scorer. */
  relevant?(plan: RequestPlan): boolean;
  /** For each row in [from, to) with cells[row] !== 0, each cell k in the mask: totals[row * stride + k] += weight * rating. */
  score(plan: RequestPlan, fleet: FleetView, cells: Int32Array, from: number, to: number, totals: Float64Array): void;
  /**
   * The rating depends on request fields outside the shape (a group's members): the engine runs
   * the scorer on every placement, after the cached ones, only over `rows`, and takes it back
   * afterwards. There `score` adds weight * (rating - 1): every other host counts as rated 1, so
   * a placement touches a few rows instead of copying the fleet's totals.
   */
  readonly perRequest?: boolean;
  /** perRequest scorers: the rows whose rating is below 1 (undefined: none). */
  rows?(plan: RequestPlan, fleet: FleetView): ReadonlySet<number> | undefined;
}

/** Index of the lowest set bit: `for (let m = mask; m !== 0; m &= m - 1) lowestBit(m)` visits each cell. */
export function lowestBit(mask: number): number {
  return 31 - Math.clz32(mask & -mask);
}

let scratch = new Int32Array(0);

/** One host through a filter (cold paths: explanations, tests). Returns the surviving cells. */
export function filterOne(filter: FilterPlugin, plan: RequestPlan, fleet: FleetView, row: number, cells: number): number {
  // Filters index the mask array by row, so the scratch must reach `row`; it is shared, not per call.
  if (scratch.length <= row) scratch = new Int32Array(Math.max(row + 1, scratch.length * 2));
  scratch[row] = cells;
  filter.filter(plan, fleet, scratch, row, row + 1);
  return scratch[row]!;
}

/**
 * Slot of the cell of `mask` with the highest `measure` (lowest cell id on ties), or -1 for an empty
 * mask: "the best cell" whose shortfall an explanation reports.
 */
export function bestSlot(fleet: FleetView, row: number, mask: number, measure: (slot: number) => number): number {
  let best = -1;
  let bestValue = -Infinity;
  for (let m = mask; m !== 0; m &= m - 1) {
    const slot = row * fleet.stride + lowestBit(m);
    const v = measure(slot);
    if (v > bestValue || (v === bestValue && fleet.cellId[slot]! < fleet.cellId[best]!)) {
      best = slot;
      bestValue = v;
    }
  }
  return best;
}

/** "numa 1": cells are named by their cell id, as in libvirt capabilities and numactl. */
export function numaName(fleet: FleetView, slot: number): string {
  return `numa ${fleet.cellId[slot]}`;
}

/**
 * The shared inner loop of the threshold filters: drops from each host's candidate-cell mask the
 * cells whose value in `column` (indexed row * stride + cell) is below `need`. A plain loop over
 * typed arrays with no callback, so it stays as fast inline as written out in every filter.
 */
export function keepCellsWithAtLeast(column: ArrayLike<number>, need: number, stride: number, cells: Int32Array, from: number, to: number): void {
  for (let row = from; row < to; row++) {
    let out = cells[row]!;
    if (out === 0) continue;
    const base = row * stride;
    for (let m = out; m !== 0; m &= m - 1) {
      const bit = m & -m;
      if (column[base + 31 - Math.clz32(bit)]! < need) out &= ~bit;
    }
    cells[row] = out;
  }
}
