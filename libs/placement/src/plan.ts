import type { FleetView } from './fleet.js';
import { pageSizeId, pageSizeOf, physnetId } from './intern.js';
import type { PlacementRequest } from './types.js';

// A request is compiled once per place(), after the fleet table is synced, into the numbers and
// table columns the filters compare against: the per-host hot path never re-derives "how many pages
// of which size" or looks a physnet up by name.

export interface VfNeed {
  readonly physnet: string;
  readonly count: number;
  /** Free VFs of this physnet per cell slot / per host row. */
  readonly cells: Int32Array;
  readonly hosts: Int32Array;
}

/** A hugepage pool the request may use, with the pages it would take. */
export interface HugeOption {
  readonly pageSizeKb: number;
  readonly pages: number;
  readonly column: Int32Array;
}

/** A compiled request. It holds the fleet's columns, so it is valid for the one place() that compiled it. */
export interface RequestPlan {
  readonly request: PlacementRequest;
  readonly dedicated: boolean;
  readonly vcpus: number;
  readonly memoryMb: number;
  readonly memoryKb: number;
  /** Hugepage pools in order of preference (see hugeOptions); empty for 'small'. */
  readonly huge: readonly HugeOption[];
  /** Small pages are acceptable ('small', or 'any' when no hugepage pool fits). */
  readonly smallOk: boolean;
  readonly virtioPorts: number;
  /** Aggregated per physnet, sorted by physnet name. */
  readonly vfNeeds: readonly VfNeed[];
  readonly vfTotal: number;
  readonly vfRequired: boolean;
  /** Anti-affinity groups; empty when none. */
  readonly antiAffinityGroups: readonly string[];
  /** Rows with fleet.groupMarks[row] === antiAffinityStamp hold a member of one of them (see Fleet.markGroups). */
  readonly antiAffinityStamp: number;
  /** Affinity groups; empty when none. */
  readonly affinityGroups: readonly string[];
  /**
   * Rows with fleet.affinityMarks[row] === affinityStamp hold members of every affinity group that
   * has any (see Fleet.markCommonRows); 0 when none has members yet.
   */
  readonly affinityStamp: number;
  readonly affinityNeed: { dedicatedCpus: number; memoryMb: number } | undefined;
  readonly spreadGroup: string | undefined;
}

export class InvalidPlacementRequestError extends Error {
  constructor(readonly requestId: string, readonly problems: string[]) {
    super(`invalid placement request ${requestId}: ${problems.join('; ')}`);
    this.name = 'InvalidPlacementRequestError';
  }
}

const isCount = (n: unknown, min: number): n is number => typeof n === 'number' && Number.isInteger(n) && n >= min;

// The descriptor library validates user input; this guard only keeps nonsense (NaN, 0 vCPUs) from
// turning into a silently "successful" placement.
function validate(r: PlacementRequest): string[] {
  const problems: string[] = [];
  if (!isCount(r.vcpus, 1)) problems.push('vcpus must be an integer >= 1');
  if (!isCount(r.memoryMb, 1)) problems.push('memoryMb must be an integer >= 1');
  if (!isCount(r.virtioPorts, 0)) problems.push('virtioPorts must be an integer >= 0');
  if (r.cpuPolicy !== 'dedicated' && r.cpuPolicy !== 'shared') problems.push('cpuPolicy must be dedicated or shared');
  if (r.vfNumaAffinity !== 'required' && r.vfNumaAffinity !== 'preferred') problems.push('vfNumaAffinity must be required or preferred');
  const p = r.pageSize;
  if (typeof p === 'number' ? !isCount(p, 4) : p !== 'small' && p !== 'large' && p !== 'any') {
    problems.push("pageSize must be 'small', 'large', 'any' or a page size in KiB");
  }
  if (!Array.isArray(r.sriovPorts) || r.sriovPorts.some((s) => typeof s?.physnet !== 'string' || s.physnet === '')) {
    problems.push('every sriovPorts entry needs a physnet');
  }
  for (const key of ['antiAffinityGroups', 'affinityGroups'] as const) {
    const groups = r[key];
    if (groups !== undefined && (!Array.isArray(groups) || groups.some((g) => typeof g !== 'string'))) problems.push(`${key} must be a list of names`);
  }
  const need = r.affinityNeed;
  if (need !== undefined && !(isCount(need?.dedicatedCpus, 0) && isCount(need?.memoryMb, 0))) {
    problems.push('affinityNeed needs dedicatedCpus and memoryMb as integers >= 0');
  }
  return problems;
}

export function compileRequest(r: PlacementRequest, fleet: FleetView): RequestPlan {
  const problems = validate(r);
  if (problems.length > 0) throw new InvalidPlacementRequestError(r.requestId, problems);
  const counts = new Map<string, number>();
  for (const port of r.sriovPorts) counts.set(port.physnet, (counts.get(port.physnet) ?? 0) + 1);
  const vfNeeds = [...counts.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([physnet, count]) => {
      const id = physnetId(physnet);
      return { physnet, count, cells: fleet.vfColumn(id), hosts: fleet.hostVfColumn(id) };
    });
  const memoryKb = r.memoryMb * 1024;
  const antiAffinityGroups = named(r.antiAffinityGroups);
  const affinityGroups = named(r.affinityGroups);
  return {
    request: r,
    dedicated: r.cpuPolicy === 'dedicated',
    vcpus: r.vcpus,
    memoryMb: r.memoryMb,
    memoryKb,
    huge: hugeOptions(r.pageSize, memoryKb, fleet),
    smallOk: r.pageSize === 'small' || r.pageSize === 'any',
    virtioPorts: r.virtioPorts,
    vfNeeds,
    vfTotal: r.sriovPorts.length,
    vfRequired: r.vfNumaAffinity === 'required',
    antiAffinityGroups,
    antiAffinityStamp: antiAffinityGroups.length === 0 ? 0 : fleet.markGroups(antiAffinityGroups),
    affinityGroups,
    affinityStamp: affinityGroups.length === 0 ? 0 : fleet.markCommonRows(affinityGroups),
    affinityNeed: affinityGroups.length === 0 ? undefined : r.affinityNeed,
    spreadGroup: r.spreadGroup === '' ? undefined : r.spreadGroup,
  };
}

const NO_GROUPS: readonly string[] = [];

/** The group names given, without empty ones. */
function named(groups: readonly string[] | undefined): readonly string[] {
  return groups === undefined || groups.length === 0 ? NO_GROUPS : groups.filter((g) => g !== '');
}

/**
 * The hugepage pools a cell is tried with, first fit wins. A given size: just that one. For 'large'
 * and 'any': sizes that divide the guest memory, largest first (no waste, fewest TLB entries); then
 * the others, smallest first (least waste once rounded up to whole pages; the domain builder rounds
 * guest memory the same way).
 */
function hugeOptions(pageSize: PlacementRequest['pageSize'], memoryKb: number, fleet: FleetView): HugeOption[] {
  const option = (sizeKb: number): HugeOption => ({
    pageSizeKb: sizeKb,
    pages: Math.ceil(memoryKb / sizeKb),
    column: fleet.hugeColumn(pageSizeId(sizeKb)),
  });
  if (typeof pageSize === 'number') return [option(pageSize)];
  if (pageSize === 'small') return [];
  const sizes = fleet.pageSizeIds.map(pageSizeOf);
  const exact = sizes.filter((s) => memoryKb % s === 0).sort((a, b) => b - a);
  const rounded = sizes.filter((s) => memoryKb % s !== 0).sort((a, b) => a - b);
  return [...exact, ...rounded].map(option);
}

/** Memory pool picked on a cell: an index into plan.huge, or one of these. */
export const POOL_SMALL = -1;
export const POOL_NONE = -2;

/** The memory pool this request would use on cell slot `slot`, or POOL_NONE. Hot path: no allocation. */
export function pickPool(plan: RequestPlan, fleet: FleetView, slot: number): number {
  const huge = plan.huge;
  for (let j = 0; j < huge.length; j++) if (huge[j]!.column[slot]! >= huge[j]!.pages) return j;
  return plan.smallOk && fleet.smallMb[slot]! >= plan.memoryMb ? POOL_SMALL : POOL_NONE;
}

/** For hot loops: with one hugepage option and no small-page fallback (an explicit page size, the common case) its column, else undefined. */
export function singlePoolColumn(plan: RequestPlan): Int32Array | undefined {
  return plan.huge.length === 1 && !plan.smallOk ? plan.huge[0]!.column : undefined;
}

/** MiB the request takes out of that pool (hugepages round up to whole pages). */
export function poolTakeMb(plan: RequestPlan, pool: number): number {
  if (pool === POOL_SMALL) return plan.memoryMb;
  if (pool < 0) return 0;
  const o = plan.huge[pool]!;
  return (o.pages * o.pageSizeKb) / 1024;
}

/** VFs of the request this cell slot can supply itself. */
export function localVfs(plan: RequestPlan, slot: number): number {
  const needs = plan.vfNeeds;
  let n = 0;
  for (let j = 0; j < needs.length; j++) n += Math.min(needs[j]!.cells[slot]!, needs[j]!.count);
  return n;
}
