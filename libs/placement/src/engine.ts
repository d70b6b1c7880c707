import { explainNoValidHost, NO_CELLS, type RejectionLog } from './explain.js';
import { defaultFilters } from './filters/defaults.js';
import { Fleet } from './fleet.js';
import type { HostList } from './host-list.js';
import { compileRequest, type RequestPlan } from './plan.js';
import type { FilterPlugin, ScorerPlugin } from './plugin.js';
import { defaultScorers, type ScorerWeights } from './scorers/defaults.js';
import type { Strategy } from './scorers/pack-spread.scorer.js';
import { selectResources } from './select.js';
import { ShapeCache, shapeKey } from './shape-cache.js';
import type { HostSnapshot, NoValidHost, PlacementRequest, PlacementResult } from './types.js';

export interface SchedulerOptions {
  strategy: Strategy;
  /** Replaces the default chain (enabled, vhost-user ready, anti-affinity, affinity, NUMA CPU, memory, PMD, SR-IOV), in order. */
  filters?: readonly FilterPlugin[];
  /** Replaces the default scorers; `weights` then does not apply. */
  scorers?: readonly ScorerPlugin[];
  /** Weights of the default scorers. */
  weights?: ScorerWeights;
  /** How many hosts a NoValidHost lists (first by name); counts are always exact. Default 50. */
  explainLimit?: number;
  /**
   * Request shapes whose filter and score results are kept and patched for changed hosts (about
   * 4 + 8 x cells bytes per host each). Default 32; 0 evaluates the whole fleet on every placement.
   */
  shapeCacheSize?: number;
  /**
   * Where in the name order ties start (default 0: the lowest name wins). Schedulers deciding at
   * once on the same picture, e.g. one per worker, each take a different offset so that on a
   * fleet of equal hosts they do not all pick the same first host and then fight over its claims.
   */
  tieBreakOffset?: number;
}

export interface PlaceOptions {
  /**
   * Hosts to pick from first, as positions in `hosts`; when none of them fits, the best of all
   * hosts. Filtering and scoring are unchanged, and the pick walks only these positions: a worker
   * given a quarter of the fleet as its part looks at a quarter of the rows per decision. Used to
   * give concurrent schedulers parts of the fleet of their own, and for random retries.
   */
  preferRows?: Int32Array;
}

export interface Scheduler {
  /** `hosts`: pass the same array (or better, the same HostList) every time, replacing the hosts you applyPlacement to. */
  place(request: PlacementRequest, hosts: readonly HostSnapshot[] | HostList, options?: PlaceOptions): PlacementResult;
}

// Scores are compared after rounding to 1e-9 so that two hosts whose scores differ only by float
// noise tie and fall to the name order: the winner then never depends on the order of `hosts`.
const SCORE_QUANTUM = 1e9;

/**
 * The scheduler: Filter (narrow candidate cells per host) -> Score (every surviving cell)
 * -> pick the best (host, cell), ties by host name, host id, cell id -> concrete resources.
 *
 * One place() over 10k hosts must stay well under a millisecond, so the scheduler keeps a column
 * store of the fleet (see fleet.ts) that it re-syncs by snapshot identity, plugins run in batch
 * over typed arrays, and results are cached per request shape and patched for the hosts that
 * changed (see shape-cache.ts). Keep passing the same array and replace the hosts you
 * applyPlacement to: unchanged positions cost one identity check, and none with a HostList.
 */
export function createScheduler(options: SchedulerOptions): Scheduler {
  const filters = options.filters ?? defaultFilters();
  const scorers = options.scorers ?? defaultScorers(options.strategy, options.weights);
  const explainLimit = options.explainLimit ?? 50;
  const fleet = new Fleet();
  const cache = new ShapeCache(options.shapeCacheSize ?? 32);
  // Scratch for per-request filters and explanations, kept between calls.
  let cells = new Int32Array(0);
  let log: RejectionLog & { before: Int32Array } = { filterIndex: new Int32Array(0), cellsSeen: new Int32Array(0), before: new Int32Array(0) };

  function place(request: PlacementRequest, hosts: readonly HostSnapshot[] | HostList, { preferRows }: PlaceOptions = {}): PlacementResult {
    fleet.sync(hosts);
    const plan = compileRequest(request, fleet);
    const n = fleet.size;
    const active = filters.filter((f) => f.relevant(plan));
    const shapeFilters = active.filter((f) => f.perRequest !== true);
    const requestFilters = active.filter((f) => f.perRequest === true);
    const relevantScorers = scorers.filter((s) => s.relevant?.(plan) !== false);
    const shapeScorers = relevantScorers.filter((s) => s.perRequest !== true);
    const requestScorers = relevantScorers.filter((s) => s.perRequest === true);

    // Filter + Score for the request's shape (cached, patched for changed hosts).
    const shape = cache.evaluate(shapeKey(request), plan, fleet, shapeFilters, shapeScorers);
    let candidates = shape.cells;
    if (requestFilters.length > 0) {
      if (cells.length < n) cells = new Int32Array(n);
      cells.set(shape.cells.subarray(0, n));
      for (const f of requestFilters) f.filter(plan, fleet, cells, 0, n);
      candidates = cells;
    }

    const touched = requestScorers.length > 0 ? scoreRequest(plan, requestScorers, candidates, shape.totals) : NO_ROWS;
    try {
      const best = pick(candidates, shape.totals, preferRows, touched);
      if (best.slot < 0) return { ok: false, explanation: explain(plan, active) };
      const score = Math.round(shape.totals[best.slot]! * SCORE_QUANTUM) / SCORE_QUANTUM;
      const placement = selectResources(plan, fleet, Math.floor(best.slot / fleet.stride), best.slot, score);
      return { ok: true, placement, candidates: best.candidates };
    } finally {
      if (touched.length > 0) restoreTotals(touched, shape.totals);
    }
  }

  /**
   * The best slot, first among preferRows; when the preferred pick is a host a per-request scorer
   * marked down (a VDU's VM already there), the best of all hosts if that rates higher: a worker's
   * own part of the fleet must not keep a VDU's VMs together when another host has room.
   */
  function pick(candidates: Int32Array, totals: Float64Array, preferRows: Int32Array | undefined, touched: readonly number[]) {
    const offset = options.tieBreakOffset ?? 0;
    const preferred = preferRows ? pickBest(fleet, candidates, totals, offset, preferRows) : NONE;
    if (preferred.slot >= 0 && !touched.includes(Math.floor(preferred.slot / fleet.stride))) return preferred;
    const all = pickBest(fleet, candidates, totals, offset);
    if (preferred.slot < 0 || Math.round(totals[all.slot]! * SCORE_QUANTUM) > Math.round(totals[preferred.slot]! * SCORE_QUANTUM)) return all;
    return preferred;
  }

  // Per-request scorers add to the shape's cached totals in place, on the few rows they rate, and
  // restoreTotals takes it back: copying every slot of the fleet would cost more than the scoring.
  let saved = new Float64Array(0);

  function scoreRequest(plan: RequestPlan, requestScorers: readonly ScorerPlugin[], candidates: Int32Array, totals: Float64Array): number[] {
    const owned = requestScorers.map((s) => s.rows?.(plan, fleet));
    const rows = new Set<number>();
    for (const own of owned) for (const row of own ?? []) if (row < fleet.size && candidates[row] !== 0) rows.add(row);
    const touched = [...rows];
    const stride = fleet.stride;
    if (saved.length < touched.length * stride) saved = new Float64Array(touched.length * stride * 2);
    touched.forEach((row, k) => saved.set(totals.subarray(row * stride, (row + 1) * stride), k * stride));
    requestScorers.forEach((s, i) => {
      for (const row of touched) if (owned[i]?.has(row)) s.score(plan, fleet, candidates, row, row + 1, totals);
    });
    return touched;
  }

  function restoreTotals(touched: readonly number[], totals: Float64Array): void {
    const stride = fleet.stride;
    touched.forEach((row, k) => totals.set(saved.subarray(k * stride, (k + 1) * stride), row * stride));
  }

  // Cold path: replay the whole chain in order, recording per host the first filter that emptied
  // its cells and what that filter was given. A second filter pass, only when there is no valid host.
  function explain(plan: RequestPlan, active: readonly FilterPlugin[]): NoValidHost {
    const n = fleet.size;
    if (log.filterIndex.length < n) log = { filterIndex: new Int32Array(n), cellsSeen: new Int32Array(n), before: new Int32Array(n) };
    const { filterIndex, cellsSeen, before } = log;
    filterIndex.fill(NO_CELLS, 0, n);
    if (cells.length < n) cells = new Int32Array(n);
    cells.set(fleet.cellMask.subarray(0, n));
    for (let index = 0; index < active.length; index++) {
      before.set(cells.subarray(0, n));
      active[index]!.filter(plan, fleet, cells, 0, n);
      for (let row = 0; row < n; row++) {
        if (before[row] !== 0 && cells[row] === 0) {
          filterIndex[row] = index;
          cellsSeen[row] = before[row]!;
        }
      }
    }
    return explainNoValidHost(plan, fleet, active, log, explainLimit);
  }

  return { place };
}

const NONE = { slot: -1, candidates: 0 };
const NO_ROWS: readonly number[] = [];

/**
 * The best candidate slot (-1 when no host survived): highest quantised total, ties to the lower
 * (name, hostId) rank counted from `offset`, then the lower cell id; only the rows listed in `only`
 * when given. Also counts the surviving hosts.
 */
function pickBest(fleet: Fleet, cells: Int32Array, totals: Float64Array, offset: number, only?: Int32Array): { slot: number; candidates: number } {
  const n = fleet.size;
  const shift = n === 0 ? 0 : ((Math.floor(offset) % n) + n) % n;
  const stride = fleet.stride;
  const cellId = fleet.cellId;
  const count = only === undefined ? n : only.length;
  let rank: Int32Array | undefined;
  let best = -1;
  let bestRank = 0;
  let bestScore = 0;
  let candidates = 0;
  for (let k = 0; k < count; k++) {
    const row = only === undefined ? k : only[k]!;
    const mask = row < n ? cells[row]! : 0;
    if (mask === 0) continue;
    candidates++;
    const base = row * stride;
    for (let m = mask; m !== 0; m &= m - 1) {
      const slot = base + 31 - Math.clz32(m & -m);
      const q = Math.round(totals[slot]! * SCORE_QUANTUM);
      if (best < 0 || q > bestScore) {
        best = slot;
        bestScore = q;
        bestRank = -1; // resolved lazily: most placements never need the name order
      } else if (q === bestScore) {
        rank ??= fleet.ranks();
        if (bestRank < 0) bestRank = (rank[Math.floor(best / stride)]! + n - shift) % n;
        const r = (rank[row]! + n - shift) % n;
        if (r < bestRank || (r === bestRank && cellId[slot]! < cellId[best]!)) {
          best = slot;
          bestRank = r;
        }
      }
    }
  }
  return { slot: best, candidates };
}
