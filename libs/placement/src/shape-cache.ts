import type { Fleet } from './fleet.js';
import type { RequestPlan } from './plan.js';
import type { FilterPlugin, ScorerPlugin } from './plugin.js';
import type { PlacementRequest } from './types.js';

// Placements come in a few shapes (the VNF flavours of a deployment) while the fleet changes by one
// host per placement. So per shape we keep the filtered cell masks and score totals of the whole
// fleet, and on the next request of that shape recompute only the rows the fleet rewrote since:
// a cache hit costs O(changed hosts) plugin work instead of O(fleet). Valid because filters (other
// than perRequest ones) and scorers depend only on the host's own row and the request's shape.

/** Everything in a request that filters and scorers may look at, except per-request filter inputs. */
export function shapeKey(r: PlacementRequest): string {
  const physnets = r.sriovPorts.map((p) => p.physnet).sort();
  return JSON.stringify([r.vcpus, r.cpuPolicy, r.memoryMb, r.pageSize, r.virtioPorts, r.vfNumaAffinity, physnets]);
}

const BLOCK_ROWS = 512;

export interface ShapeResult {
  /** Per row: candidate cells after the shape filters. */
  cells: Int32Array;
  /** Per slot: weighted score sum. */
  totals: Float64Array;
  epoch: number;
  /** How far into fleet.changedRows this result is current. */
  seen: number;
}

export class ShapeCache {
  private readonly entries = new Map<string, ShapeResult>();

  constructor(private readonly capacity: number) {}

  /**
   * The shape's results brought up to date with the fleet: reused and patched when possible,
   * otherwise computed over the whole fleet.
   */
  evaluate(key: string, plan: RequestPlan, fleet: Fleet, filters: readonly FilterPlugin[], scorers: readonly ScorerPlugin[]): ShapeResult {
    const n = fleet.size;
    const slots = n * fleet.stride;
    const changed = fleet.changedRows;
    const cached = this.entries.get(key);
    this.entries.delete(key); // re-inserted below: Map insertion order is the LRU order
    let entry: ShapeResult;
    if (
      cached !== undefined &&
      cached.epoch === fleet.epoch &&
      cached.cells.length >= n &&
      cached.totals.length >= slots &&
      changed.length - cached.seen <= n / 4
    ) {
      entry = cached;
      for (let i = entry.seen; i < changed.length; i++) {
        const row = changed[i]!;
        if (row < n) computeRows(entry, plan, fleet, filters, scorers, row, row + 1);
      }
    } else {
      entry = cached ?? this.recycle() ?? { cells: new Int32Array(0), totals: new Float64Array(0), epoch: -1, seen: 0 };
      if (entry.cells.length < n) entry.cells = new Int32Array(n);
      if (entry.totals.length < slots) entry.totals = new Float64Array(slots);
      // In blocks, so one block's masks, totals and column slices stay in cache across all plugins.
      for (let from = 0; from < n; from += BLOCK_ROWS) computeRows(entry, plan, fleet, filters, scorers, from, Math.min(n, from + BLOCK_ROWS));
    }
    entry.epoch = fleet.epoch;
    entry.seen = changed.length;
    if (this.capacity > 0) this.entries.set(key, entry);
    else this.scratch = entry;
    return entry;
  }

  // With caching off, one set of buffers is reused from call to call.
  private scratch: ShapeResult | undefined;

  /** Buffers to reuse: the scratch set when caching is off, else the LRU entry once the cache is full. */
  private recycle(): ShapeResult | undefined {
    if (this.capacity === 0) return this.scratch;
    if (this.entries.size < this.capacity) return undefined;
    const oldest = this.entries.keys().next().value as string;
    const entry = this.entries.get(oldest);
    this.entries.delete(oldest);
    return entry;
  }
}

/** Filters then scorers over rows [from, to), from scratch for those rows. */
function computeRows(
  entry: ShapeResult,
  plan: RequestPlan,
  fleet: Fleet,
  filters: readonly FilterPlugin[],
  scorers: readonly ScorerPlugin[],
  from: number,
  to: number,
): void {
  const { cells, totals } = entry;
  const stride = fleet.stride;
  cells.set(fleet.cellMask.subarray(from, to), from);
  for (const f of filters) f.filter(plan, fleet, cells, from, to);
  totals.fill(0, from * stride, to * stride);
  for (const s of scorers) s.score(plan, fleet, cells, from, to, totals);
}
