import { HostList } from './host-list.js';
import * as R from './host-row.js';
import type { HostSnapshot } from './types.js';

// The fleet as a column store. A placement over 10k hosts is memory-bound: walking HostSnapshot
// objects, their cell objects and nested arrays costs a cache miss per hop, ~0.5 µs a host. Here
// every per-cell number lives in a typed array indexed by slot = row * stride + cell index, so the
// filter and score loops read a few contiguous arrays and never touch a snapshot object.
//
// sync() keeps the table in step with the caller's hosts by object identity per position: when the
// caller replaces one host with applyPlacement's result, only that row is rewritten. A HostList says
// which positions it replaced, so only those are compared; a plain array is compared whole.

export interface FleetView {
  /** Cell slots per host row: cell k of row r is at slot r * stride + k. */
  readonly stride: number;
  /** Valid rows (hosts.length of the last sync). */
  readonly size: number;
  /** Snapshot of each row, for host-level fields (groups, name) and the final resource pick. */
  readonly hosts: readonly HostSnapshot[];
  // Per row.
  /** Bitmask of the row's cells (bit k = cell index k of the snapshot). */
  readonly cellMask: Int32Array;
  /** 1 when enabled and up. */
  readonly usable: Uint8Array;
  readonly hostFreeCpus: Int32Array;
  /** Small plus hugepage memory, MiB. */
  readonly hostMemoryMb: Int32Array;
  // Per slot.
  readonly cellId: Int32Array;
  readonly freeCpus: Int32Array;
  readonly sharedCpus: Int32Array;
  readonly smallMb: Int32Array;
  readonly hugeMb: Int32Array;
  readonly pmdSlots: Int32Array;
  readonly pmdCores: Int32Array;
  readonly vfTotal: Int32Array;
  /** Free pages per slot of that page size id (zeros for unknown sizes). */
  hugeColumn(pageSizeId: number): Int32Array;
  /** Free VFs per slot on that physnet id. */
  vfColumn(physnetId: number): Int32Array;
  /** Free VFs per row (all cells) on that physnet id. */
  hostVfColumn(physnetId: number): Int32Array;
  /** Page size ids some host has reported (the sizes 'large' and 'any' may use). */
  readonly pageSizeIds: readonly number[];
  /** Rows whose host already has a member of that group. */
  rowsInGroup(group: string): ReadonlySet<number> | undefined;
  /** Per row, the stamp of the last markGroups() that covered it. */
  readonly groupMarks: Int32Array;
  /**
   * Stamps the rows holding a member of any of `groups` in groupMarks with a fresh number and
   * returns it: "row holds a member" becomes groupMarks[row] === stamp, with no per-request array
   * to allocate or clear.
   */
  markGroups(groups: readonly string[]): number;
  /** Per row, the stamp of the last markCommonRows() that covered it. */
  readonly affinityMarks: Int32Array;
  /**
   * Stamps in affinityMarks the rows that hold a member of every group of `groups` that has
   * members at all, and returns the stamp; 0 when none has members (nothing to stay with).
   */
  markCommonRows(groups: readonly string[]): number;
  /** Position of each row in (name, hostId) order: the deterministic tie-break. */
  ranks(): Int32Array;
  /** Bumped whenever rows or columns are laid out anew; results cached under an older epoch are void. */
  readonly epoch: number;
  /** Rows rewritten during this epoch, in order (a row may repeat). */
  readonly changedRows: readonly number[];
}

const CELL_COLUMNS = ['cellId', 'freeCpus', 'sharedCpus', 'smallMb', 'hugeMb', 'pmdSlots', 'pmdCores', 'vfTotal'] as const;

export class Fleet implements FleetView {
  stride = 1;
  size = 0;
  hosts: HostSnapshot[] = [];
  cellMask = new Int32Array(0);
  usable = new Uint8Array(0);
  hostFreeCpus = new Int32Array(0);
  hostMemoryMb = new Int32Array(0);
  cellId = new Int32Array(0);
  freeCpus = new Int32Array(0);
  sharedCpus = new Int32Array(0);
  smallMb = new Int32Array(0);
  hugeMb = new Int32Array(0);
  pmdSlots = new Int32Array(0);
  pmdCores = new Int32Array(0);
  vfTotal = new Int32Array(0);
  pageSizeIds: number[] = [];
  epoch = 0;
  changedRows: number[] = [];
  groupMarks = new Int32Array(0);
  affinityMarks = new Int32Array(0);
  private stamp = 0;
  private capacity = 0;
  private rows: R.HostRow[] = [];
  private huge: Int32Array[] = [];
  private vf: Int32Array[] = [];
  private hostVf: Int32Array[] = [];
  private rank = new Int32Array(0);
  private ranksDirty = true;
  // Group -> rows: markGroups stamps them, so a group check is one array read per row in the hot
  // loop instead of a Map lookup on each host object.
  private groups = new Map<string, Set<number>>();
  /** The HostList of the last sync and its version then: the next sync of it reads only what it replaced since. */
  private list?: HostList;
  private listVersion = 0;

  sync(source: readonly HostSnapshot[] | HostList): void {
    const list = source instanceof HostList ? source : undefined;
    const hosts = list?.all ?? (source as readonly HostSnapshot[]);
    const n = hosts.length;
    if (n > this.capacity) this.resize(Math.max(n, this.capacity * 2), this.stride);
    const replaced = list !== undefined && list === this.list && n === this.size ? list.changedSince(this.listVersion) : undefined;
    if (replaced !== undefined) {
      for (const i of replaced) if (!Object.is(this.hosts[i], hosts[i])) this.rewrite(i, hosts[i]!);
    } else {
      for (let i = firstChange(hosts, this.hosts, 0, n); i < n; i = firstChange(hosts, this.hosts, i + 1, n)) this.rewrite(i, hosts[i]!);
    }
    this.list = list;
    this.listVersion = list?.version ?? 0;
    if (n !== this.size) {
      this.ranksDirty = true;
      this.newEpoch();
    }
    this.size = n;
    // A log longer than the fleet is worth less than a full recompute; start over.
    if (this.changedRows.length > 4 * n + 1024) this.newEpoch();
    // Forget rows past the end so stale snapshots are not kept alive.
    if (this.rows.length > n) {
      for (let i = n; i < this.hosts.length; i++) this.indexGroups(i, this.hosts[i], undefined);
      this.rows.length = n;
      this.hosts.length = n;
    }
  }

  private rewrite(i: number, h: HostSnapshot): void {
    const prev = this.hosts[i];
    const row = R.hostRow(h);
    if (row.cellCount > this.stride) this.resize(this.capacity, row.cellCount);
    this.write(i, row);
    if (prev === undefined || prev.name !== h.name || prev.hostId !== h.hostId) this.ranksDirty = true;
  }

  rowsInGroup(group: string): ReadonlySet<number> | undefined {
    return this.groups.get(group);
  }

  markGroups(groups: readonly string[]): number {
    const stamp = this.nextStamp();
    for (const group of groups) for (const row of this.groups.get(group) ?? []) this.groupMarks[row] = stamp;
    return stamp;
  }

  markCommonRows(groups: readonly string[]): number {
    const placed = groups.map((g) => this.groups.get(g)).filter((rows) => rows !== undefined && rows.size > 0) as Set<number>[];
    if (placed.length === 0) return 0;
    const stamp = this.nextStamp();
    for (const row of placed[0]!) if (placed.every((rows) => rows.has(row))) this.affinityMarks[row] = stamp;
    return stamp;
  }

  private nextStamp(): number {
    if (this.stamp === 2147483647) {
      this.stamp = 0;
      this.groupMarks.fill(0);
      this.affinityMarks.fill(0);
    }
    return ++this.stamp;
  }

  private indexGroups(i: number, before: HostSnapshot | undefined, after: HostSnapshot | undefined): void {
    if (before !== undefined) {
      for (const g of before.groups.keys()) {
        const rows = this.groups.get(g);
        // Dropped when empty: every VDU of every instance has a group, and most go away.
        if (rows !== undefined && rows.delete(i) && rows.size === 0) this.groups.delete(g);
      }
    }
    if (after !== undefined) {
      for (const [g, members] of after.groups) {
        if (!(members > 0)) continue;
        let rows = this.groups.get(g);
        if (rows === undefined) this.groups.set(g, (rows = new Set()));
        rows.add(i);
      }
    }
  }

  // New columns change what a compiled request sees (e.g. the page sizes 'large' may use): new epoch.
  hugeColumn(id: number): Int32Array {
    return this.column(this.huge, id, this.capacity * this.stride);
  }

  vfColumn(id: number): Int32Array {
    return this.column(this.vf, id, this.capacity * this.stride);
  }

  hostVfColumn(id: number): Int32Array {
    return this.column(this.hostVf, id, this.capacity);
  }

  private column(columns: Int32Array[], id: number, length: number): Int32Array {
    if (columns.length <= id) {
      while (columns.length <= id) columns.push(new Int32Array(length));
      this.newEpoch();
    }
    return columns[id]!;
  }

  private newEpoch(): void {
    this.epoch++;
    this.changedRows = [];
  }

  ranks(): Int32Array {
    if (this.ranksDirty) {
      const order = Array.from({ length: this.size }, (_, i) => i);
      const hosts = this.hosts;
      order.sort((a, b) => {
        const x = hosts[a]!;
        const y = hosts[b]!;
        return x.name < y.name ? -1 : x.name > y.name ? 1 : x.hostId < y.hostId ? -1 : x.hostId > y.hostId ? 1 : a - b;
      });
      order.forEach((row, position) => (this.rank[row] = position));
      this.ranksDirty = false;
    }
    return this.rank;
  }

  private resize(capacity: number, stride: number): void {
    const slots = capacity * stride;
    this.capacity = capacity;
    this.stride = stride;
    this.cellMask = new Int32Array(capacity);
    this.usable = new Uint8Array(capacity);
    this.hostFreeCpus = new Int32Array(capacity);
    this.hostMemoryMb = new Int32Array(capacity);
    this.rank = new Int32Array(capacity);
    this.groupMarks = new Int32Array(capacity);
    this.affinityMarks = new Int32Array(capacity);
    for (const c of CELL_COLUMNS) this[c] = new Int32Array(slots);
    this.huge = this.huge.map(() => new Int32Array(slots));
    this.vf = this.vf.map(() => new Int32Array(slots));
    this.hostVf = this.hostVf.map(() => new Int32Array(capacity));
    this.rows.forEach((row, i) => this.write(i, row));
    this.ranksDirty = true;
    this.newEpoch();
  }

  private write(i: number, row: R.HostRow): void {
    this.indexGroups(i, this.hosts[i], row.host);
    this.changedRows.push(i);
    this.hosts[i] = row.host;
    this.rows[i] = row;
    const stride = this.stride;
    const base = i * stride;
    for (const col of this.huge) col.fill(0, base, base + stride);
    for (const col of this.vf) col.fill(0, base, base + stride);
    for (const col of this.hostVf) col[i] = 0;
    // Spelled out column by column: a whole-fleet reload writes 10k rows, and keyed `this[name]`
    // access would cost more than the rest of the row.
    const nums = row.cellNums;
    for (let k = 0; k < stride; k++) {
      const at = base + k;
      const o = k * R.CELL_FIELDS;
      const has = k < row.cellCount;
      this.cellId[at] = has ? i32(nums[o + R.F_CELL_ID]!) : 0;
      this.freeCpus[at] = has ? i32(nums[o + R.F_FREE_CPUS]!) : 0;
      this.sharedCpus[at] = has ? i32(nums[o + R.F_SHARED_CPUS]!) : 0;
      this.smallMb[at] = has ? i32(nums[o + R.F_SMALL_MB]!) : 0;
      this.hugeMb[at] = has ? i32(nums[o + R.F_HUGE_MB]!) : 0;
      this.pmdSlots[at] = has ? i32(nums[o + R.F_PMD_SLOTS]!) : 0;
      this.pmdCores[at] = has ? i32(nums[o + R.F_PMD_CORES]!) : 0;
      this.vfTotal[at] = has ? i32(nums[o + R.F_VF_TOTAL]!) : 0;
    }
    for (let t = 0; t < row.huge.length; t += 3) {
      const id = row.huge[t + 1]!;
      // Only sizes a host reports are offered to 'large'/'any'; a size a request merely named is not.
      if (!this.pageSizeIds.includes(id)) {
        this.pageSizeIds.push(id);
        this.newEpoch();
      }
      this.hugeColumn(id)[base + row.huge[t]!] = i32(row.huge[t + 2]!);
    }
    for (let t = 0; t < row.vfs.length; t += 3) {
      const id = row.vfs[t + 1]!;
      this.vfColumn(id)[base + row.vfs[t]!] = i32(row.vfs[t + 2]!);
      this.hostVfColumn(id)[i] = i32(this.hostVfColumn(id)[i]! + row.vfs[t + 2]!);
    }
    this.cellMask[i] = row.cellCount === 0 ? 0 : (2 ** row.cellCount - 1) | 0;
    this.usable[i] = row.usable ? 1 : 0;
    this.hostFreeCpus[i] = i32(row.freeCpus);
    this.hostMemoryMb[i] = i32(row.memoryMb);
  }
}

/**
 * Index of the first position from `from` whose snapshot object differs, or `n`. A function of its
 * own so the scan is optimised on its own: inlined in sync, V8's on-stack-replacement code for the
 * loop kept bailing out on the colder code after it, once per call.
 *
 * Object.is, not ===: V8's === loads both objects' maps (a cache miss per host once the scoring
 * passes have evicted them, ~4x slower at 10k hosts); SameValue returns on identical pointers
 * without touching the objects.
 */
function firstChange(hosts: readonly HostSnapshot[], mine: readonly HostSnapshot[], from: number, n: number): number {
  for (let i = from; i < n; i++) if (!Object.is(mine[i], hosts[i])) return i;
  return n;
}

/**
 * Int32 columns: half the memory traffic of float64 for the same rows, and every value is a count
 * or whole MiB. Clamped rather than wrapped (2^31 MiB is 2 PiB, so this only guards nonsense input);
 * fractional MiB (odd page sizes) round down, so capacity is never overstated.
 */
function i32(v: number): number {
  return v >= 2147483647 ? 2147483647 : v <= 0 ? 0 : Math.floor(v);
}

/** A fleet table for `hosts` (tests and one-off use; the scheduler keeps and re-syncs its own). */
export function fleetOf(hosts: readonly HostSnapshot[]): Fleet {
  const fleet = new Fleet();
  fleet.sync(hosts);
  return fleet;
}
