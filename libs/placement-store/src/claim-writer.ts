import type { DataSource, EntityManager } from 'typeorm';
import { keyLookupTransaction, PG, pgError, preparedQuery } from '../../persistence/src/index.js';
import type { Placement } from '../../placement/src/index.js';

export interface ClaimItem {
  vduInstanceId: string;
  placement: Placement;
}

/**
 * `alreadyPlaced`: the VM holds a placement from an earlier run; nothing was written for this one.
 * `busy`: another transaction was claiming on the host; nothing was checked, try elsewhere or again.
 */
export type ClaimOutcome = { claimed: true } | { claimed: false; reason: string; alreadyPlaced?: true; busy?: true };

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
 * Claims many placements in one transaction of four round trips; each is written whole or not
 * at all, and one that no longer fits does not hold back the others. Every claimer locks the
 * hosts it writes on, so the statement that follows sees every claim committed on them and
 * checks named resources, counted memory and anti-affinity exactly. A host another transaction
 * holds is skipped, not waited for: its items come back `busy` at once. Waiting would chain
 * transactions behind each other (each holds its hosts until its commit is on disk), and the
 * caller has a better answer than waiting: another host. The unique index on named resources
 * stays the last line: if it ever fires, the whole batch is refused and decided again.
 */
export async function claimPlacements(db: DataSource, items: readonly ClaimItem[]): Promise<ClaimOutcome[]> {
  const vms = new Set(items.map((i) => i.vduInstanceId));
  if (vms.size !== items.length) throw new Error('claimPlacements: a VM appears twice in one batch');
  if (items.length === 0) return [];
  try {
    return await keyLookupTransaction(db, async (tx) => {
      const hostProblems = await lockHosts(tx, items);
      const outcomes: (ClaimOutcome | undefined)[] = items.map((i) => hostProblems.get(i.placement.hostId));
      const open = items.flatMap((item, index) => (outcomes[index] ? [] : [{ item, index }]));
      const verdicts = open.length > 0 ? await writeClaims(tx, open.map((o) => o.item)) : [];
      open.forEach(({ item, index }, k) => (outcomes[index] = outcomeOf(item, verdicts[k]!)));
      return outcomes as ClaimOutcome[];
    });
  } catch (error) {
    const taken = pgError(error, PG.UNIQUE_VIOLATION);
    if (!taken) throw error;
    const reason = `a resource was claimed meanwhile (${taken.detail ?? 'unique violation'})`;
    return items.map(() => ({ claimed: false, reason }));
  }
}

/** Locks the batch's free hosts; returns the refusal for the items of each host that can take nothing. */
async function lockHosts(tx: EntityManager, items: readonly ClaimItem[]): Promise<Map<string, ClaimOutcome>> {
  const ids = [...new Set(items.map((i) => i.placement.hostId))];
  const rows = await preparedQuery<{ id: string; enabled: boolean; reachability: string }>(
    tx,
    `SELECT id, enabled, reachability FROM hosts WHERE id = ANY($1::uuid[]) FOR UPDATE SKIP LOCKED`,
    [ids],
  );
  const locked = new Map(rows.map((h) => [h.id, h]));
  const skipped = ids.filter((id) => !locked.has(id));
  const existing = skipped.length === 0 ? new Set<string>() : await existingHosts(tx, skipped);
  const problems = new Map<string, ClaimOutcome>();
  for (const id of ids) {
    const host = locked.get(id);
    if (host && (!host.enabled || host.reachability !== 'UP')) problems.set(id, { claimed: false, reason: `host ${id} is no longer enabled and UP` });
    else if (!host && existing.has(id)) problems.set(id, { claimed: false, reason: `host ${id} was busy with another claim`, busy: true });
    else if (!host) problems.set(id, { claimed: false, reason: `host ${id} is gone` });
  }
  return problems;
}

async function existingHosts(tx: EntityManager, ids: string[]): Promise<Set<string>> {
  const rows = await preparedQuery<{ id: string }>(tx, `SELECT id FROM hosts WHERE id = ANY($1::uuid[])`, [ids]);
  return new Set(rows.map((r) => r.id));
}

interface Verdict {
  /** What the item's memory pool has left for it after the batch's earlier items on that pool. */
  available: string | null;
  fitsMemory: boolean;
  /** A named resource (kind and key) someone else holds, or null. */
  taken: string | null;
  fitsGroup: boolean;
  placed: boolean;
}

function outcomeOf({ placement: p }: ClaimItem, v: Verdict): ClaimOutcome {
  if (v.placed) return { claimed: true };
  if (v.taken !== null) return { claimed: false, reason: `${v.taken} on host ${p.hostId} was claimed meanwhile` };
  if (!v.fitsMemory) return { claimed: false, reason: memoryShortfall(p, Number(v.available ?? 0)) };
  if (!v.fitsGroup) return { claimed: false, reason: `another member of scaling group ${p.antiAffinityGroup} is on host ${p.hostId}` };
  return { claimed: false, reason: 'the VM is already placed', alreadyPlaced: true };
}

async function writeClaims(tx: EntityManager, items: readonly ClaimItem[]): Promise<Verdict[]> {
  const rows = items.flatMap((item, n) => claimRows(item.vduInstanceId, item.placement).map((r) => ({ ...r, n: n + 1 })));
  const col = <T>(f: (p: Placement) => T) => items.map((i) => f(i.placement));
  return preparedQuery<Verdict>(tx, CLAIM_SQL, [
    items.map((i) => i.vduInstanceId),
    col((p) => p.hostId),
    col((p) => p.cellId),
    col((p) => p.hugepages?.pageSizeKb ?? null),
    col((p) => (p.hugepages ? p.hugepages.count : p.memoryMb)),
    col((p) => p.antiAffinityGroup !== undefined),
    rows.map((r) => r.n),
    rows.map((r) => r.kind),
    rows.map((r) => r.resourceKey),
    rows.map((r) => r.numaCell),
    rows.map((r) => r.amount),
    rows.map((r) => r.portIndex),
  ]);
}

function memoryShortfall(p: Placement, available: number): string {
  return p.hugepages
    ? `numa ${p.cellId} has ${available} free ${p.hugepages.pageSizeKb} KiB pages, needs ${p.hugepages.count}`
    : `numa ${p.cellId} has ${available} MiB of small-page memory free, needs ${p.memoryMb}`;
}

// Items: $1 VM, $2 host, $3 cell, $4 hugepage size in KiB (null: small pages), $5 pages or MiB
// needed, $6 whether anti-affinity applies. Claim rows: $7 item number (1-based), $8..$12 kind,
// key, cell, amount, port. One verdict row per item, in item order.
//
// Memory is checked cumulatively: an item needs its pool to hold it plus the batch's earlier
// items on the same pool, even if one of those is refused for another reason (it is then
// decided again; never over-allocated). The VM row's `"hostId" IS NULL` is rechecked after any
// row lock wait, so two runs of the same job cannot both place one VM.
const CLAIM_SQL = `
WITH item AS (
  SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::int[], $4::int[], $5::bigint[], $6::boolean[])
    WITH ORDINALITY AS t(vm, host, cell, page, need, grouped, n)
),
claim AS (
  SELECT * FROM unnest($7::int[], $8::text[], $9::text[], $10::int[], $11::int[], $12::int[]) AS t(n, kind, key, cell, amount, port)
),
pool AS (
  SELECT i.n, sum(i.need) OVER (PARTITION BY i.host, i.cell, i.page ORDER BY i.n) AS needed,
    CASE WHEN i.page IS NOT NULL THEN (
      SELECT least(p.free, p.total - coalesce((SELECT sum(c.amount) FROM resource_claims c
        WHERE c."hostId" = i.host AND c.kind = 'HUGEPAGES' AND c."resourceKey" = i.cell::text || '/' || i.page::text), 0))
      FROM hugepage_pools p WHERE p."hostId" = i.host AND p."numaCell" = i.cell AND p."pageSizeKb" = i.page)
    ELSE (
      SELECT cell."memoryKb" / 1024
        - coalesce((SELECT sum(h.total::bigint * h."pageSizeKb" / 1024) FROM hugepage_pools h WHERE h."hostId" = i.host AND h."numaCell" = i.cell), 0)
        - coalesce((SELECT sum(c.amount) FROM resource_claims c WHERE c."hostId" = i.host AND c.kind = 'MEMORY' AND c."resourceKey" = i.cell::text), 0)
      FROM numa_cells cell WHERE cell."hostId" = i.host AND cell."cellId" = i.cell)
    END AS available
  FROM item i
),
verdict AS (
  SELECT i.n, i.vm, i.host, i.cell,
    p.available - (p.needed - i.need) AS available,
    coalesce(p.available, 0) >= p.needed AS "fitsMemory",
    (SELECT r.kind || ' ' || r.key FROM claim r JOIN resource_claims c
       ON c."hostId" = i.host AND c.kind = r.kind::claim_kind AND c."resourceKey" = r.key
     WHERE r.n = i.n AND r.kind IN ('CPU', 'VF', 'PMD_QUEUE') LIMIT 1) AS taken,
    NOT (i.grouped AND EXISTS (
      SELECT 1 FROM vdu_instances me JOIN vdu_instances other
        ON other."vnfInstanceId" = me."vnfInstanceId" AND other."vduId" = me."vduId" AND other.id <> me.id
      WHERE me.id = i.vm AND other."hostId" = i.host)) AS "fitsGroup"
  FROM item i JOIN pool p ON p.n = i.n
),
placed AS (
  UPDATE vdu_instances v SET "hostId" = x.host, "numaCell" = x.cell, state = 'PLACED', "updatedAt" = now()
  FROM verdict x
  WHERE v.id = x.vm AND x."fitsMemory" AND x.taken IS NULL AND x."fitsGroup" AND v."hostId" IS NULL
  RETURNING v.id
),
written AS (
  INSERT INTO resource_claims ("hostId", "vduInstanceId", kind, "resourceKey", "numaCell", amount, "portIndex")
  SELECT x.host, x.vm, r.kind::claim_kind, r.key, r.cell, r.amount, r.port
  FROM claim r JOIN verdict x ON x.n = r.n JOIN placed ON placed.id = x.vm
  RETURNING 1
)
SELECT x.available::text AS available, x."fitsMemory", x.taken, x."fitsGroup", EXISTS (SELECT 1 FROM placed WHERE placed.id = x.vm) AS placed
FROM verdict x ORDER BY x.n`;
