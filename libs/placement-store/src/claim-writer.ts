import type { DataSource } from 'typeorm';
import { PG, pgError, preparedQuery } from '#vim/persistence';
import type { Placement } from '#vim/placement';

export interface ClaimItem {
  vduInstanceId: string;
  placement: Placement;
}

/**
 * `alreadyPlaced`: the VM holds a placement from an earlier run; nothing was written for this one.
 * `busy`: another transaction was claiming on the host; nothing was checked, try elsewhere or again.
 * `groupConflict`: a member of one of its groups is where it may not be: possibly on a host other
 * than the claimed one, which a reread of the claimed host would not show (see hostsOfGroups).
 */
export type ClaimOutcome = { claimed: true } | { claimed: false; reason: string; alreadyPlaced?: true; busy?: true; groupConflict?: true };

/** The claim rows of a placement: named resources one row each, memory counted per pool. */
export function claimRows(vduInstanceId: string, p: Placement) {
  const row = (kind: string, resourceKey: string, numaCell: number, amount = 1, portIndex: number | null = null) => ({
    hostId: p.hostId,
    vduInstanceId,
    kind,
    resourceKey,
    numaCell,
    amount,
    portIndex,
  });
  return [
    ...p.cpus.map((cpu) => row('CPU', String(cpu), p.cellId)),
    ...p.pmdQueues.map((q, i) => row('PMD_QUEUE', `${q.cpuId}/${q.slot}`, p.cellId, 1, i)),
    ...p.vfs.map((vf, i) => row('VF', vf.pciAddress, vf.cellId, 1, i)),
    p.hugepages ? row('HUGEPAGES', `${p.cellId}/${p.hugepages.pageSizeKb}`, p.cellId, p.hugepages.count) : row('MEMORY', String(p.cellId), p.cellId, p.memoryMb),
  ];
}

export async function claimPlacement(db: DataSource, vduInstanceId: string, placement: Placement): Promise<ClaimOutcome> {
  const [outcome] = await claimPlacements(db, [{ vduInstanceId, placement }]);
  return outcome!;
}

/**
 * Claims many placements in one round trip (the claim_placements function, see its migration);
 * each is written whole or not at all, and one that no longer fits does not hold back the others.
 * Every claimer locks the hosts it writes on, so the statement that follows sees every claim
 * committed on them and checks named resources, counted memory and the placement groups exactly
 * (affinity, which another host can break, under an advisory lock per group). A host
 * another claim holds is skipped, not waited for: its items come back `busy` at once. Waiting
 * would chain claims behind each other (each holds its hosts until its commit is on disk), and
 * the caller has a better answer than waiting: another host. The unique index on named resources
 * stays the last line: if it ever fires, the whole batch is refused and decided again.
 */
export async function claimPlacements(db: DataSource, items: readonly ClaimItem[]): Promise<ClaimOutcome[]> {
  const vms = new Set(items.map((i) => i.vduInstanceId));
  if (vms.size !== items.length) throw new Error('claimPlacements: a VM appears twice in one batch');
  if (items.length === 0) return [];
  try {
    const verdicts = await preparedQuery<Verdict>(db, CLAIM_SQL, claimArguments(items));
    return items.map((item, k) => outcomeOf(item, verdicts[k]!));
  } catch (error) {
    const taken = pgError(error, PG.UNIQUE_VIOLATION);
    if (!taken) throw error;
    const reason = `a resource was claimed meanwhile (${taken.detail ?? 'unique violation'})`;
    return items.map(() => ({ claimed: false, reason }));
  }
}

/** One row per item, in item order. */
interface Verdict {
  /** 'usable': locked, enabled and UP, and checked; otherwise nothing was checked or written. */
  host_state: 'usable' | 'unusable' | 'busy' | 'gone';
  /** What the item's memory pool has left for it after the batch's earlier items on that pool. */
  available: string | null;
  fitsMemory: boolean;
  /** A named resource (kind and key) someone else holds, or null. */
  taken: string | null;
  /** The first group the item would break, as 'affinity <name>' or 'anti-affinity <name>', or null. */
  groupConflict: string | null;
  placed: boolean;
}

function outcomeOf({ placement: p }: ClaimItem, v: Verdict): ClaimOutcome {
  switch (v.host_state) {
    case 'busy':
      return { claimed: false, reason: `host ${p.hostId} was busy with another claim`, busy: true };
    case 'gone':
      return { claimed: false, reason: `host ${p.hostId} is gone` };
    case 'unusable':
      return { claimed: false, reason: `host ${p.hostId} is no longer enabled and UP` };
  }
  if (v.placed) return { claimed: true };
  if (v.taken !== null) return { claimed: false, reason: `${v.taken} on host ${p.hostId} was claimed meanwhile` };
  if (!v.fitsMemory) return { claimed: false, reason: memoryShortfall(p, Number(v.available ?? 0)) };
  if (v.groupConflict !== null) return { claimed: false, reason: groupReason(v.groupConflict, p.hostId), groupConflict: true };
  return { claimed: false, reason: 'the VM is already placed', alreadyPlaced: true };
}

function groupReason(conflict: string, hostId: string): string {
  const [kind, ...name] = conflict.split(' ');
  return kind === 'affinity'
    ? `members of affinity group ${name.join(' ')} are on another host than ${hostId}`
    : `another member of anti-affinity group ${name.join(' ')} is on host ${hostId}`;
}

/**
 * Items: VM, host, cell, hugepage size in KiB (null: small pages), pages or MiB needed. Group
 * rows: item number (1-based), kind ('affinity' or 'anti-affinity'), name. Claim rows: item
 * number, kind, key, cell, amount, port. The spread group is a preference: not rechecked.
 */
function claimArguments(items: readonly ClaimItem[]): unknown[] {
  const rows = items.flatMap((item, n) => claimRows(item.vduInstanceId, item.placement).map((r) => ({ ...r, n: n + 1 })));
  const groups = items.flatMap(({ placement: p }, n) => [
    ...(p.affinityGroups ?? []).map((name) => ({ n: n + 1, kind: 'affinity', name })),
    ...(p.antiAffinityGroups ?? []).map((name) => ({ n: n + 1, kind: 'anti-affinity', name })),
  ]);
  const col = <T>(f: (p: Placement) => T) => items.map((i) => f(i.placement));
  return [
    items.map((i) => i.vduInstanceId),
    col((p) => p.hostId),
    col((p) => p.cellId),
    col((p) => p.hugepages?.pageSizeKb ?? null),
    col((p) => (p.hugepages ? p.hugepages.count : p.memoryMb)),
    groups.map((g) => g.n),
    groups.map((g) => g.kind),
    groups.map((g) => g.name),
    rows.map((r) => r.n),
    rows.map((r) => r.kind),
    rows.map((r) => r.resourceKey),
    rows.map((r) => r.numaCell),
    rows.map((r) => r.amount),
    rows.map((r) => r.portIndex),
  ];
}

function memoryShortfall(p: Placement, available: number): string {
  return p.hugepages
    ? `numa ${p.cellId} has ${available} free ${p.hugepages.pageSizeKb} KiB pages, needs ${p.hugepages.count}`
    : `numa ${p.cellId} has ${available} MiB of small-page memory free, needs ${p.memoryMb}`;
}

const CLAIM_SQL = `SELECT * FROM claim_placements($1::uuid[], $2::uuid[], $3::int[], $4::int[], $5::bigint[],
  $6::int[], $7::text[], $8::text[], $9::int[], $10::text[], $11::text[], $12::int[], $13::int[], $14::int[])`;
