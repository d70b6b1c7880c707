import type { DataSource, EntityManager } from 'typeorm';
import { PG, pgError } from '../../persistence/src/index.js';
import type { Placement } from '../../placement/src/index.js';

export type ClaimOutcome = { claimed: true } | { claimed: false; reason: string };


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

/**
 * Claims a placement in one transaction. The host row's lock serialises claims per host, so the
 * counted resources (memory) and anti-affinity are checked against what is really committed; the
 * unique index on named resources is the last line: whatever a stale snapshot suggested, the
 * database never hands a CPU, VF or PMD queue slot to two VMs. A conflict rolls everything back.
 */
export async function claimPlacement(db: DataSource, vduInstanceId: string, p: Placement): Promise<ClaimOutcome> {
  try {
    return await db.transaction(async (tx) => {
      const refused = await checkHost(tx, p);
      if (refused) throw new Refused(refused);
      // With the host locked, one statement checks memory and anti-affinity against what is
      // committed and, only if both hold, writes the claims and the VM's placement.
      const rows = claimRows(vduInstanceId, p);
      const [result] = (await tx.query(CLAIM_SQL, [
        p.hostId,
        p.cellId,
        p.hugepages?.pageSizeKb ?? null,
        p.hugepages ? p.hugepages.count : p.memoryMb,
        vduInstanceId,
        p.antiAffinityGroup !== undefined,
        rows.map((r) => r.kind),
        rows.map((r) => r.resourceKey),
        rows.map((r) => r.numaCell),
        rows.map((r) => r.amount),
        rows.map((r) => r.portIndex),
      ])) as { available: string | null; fitsMemory: boolean; fitsGroup: boolean }[];
      if (!result.fitsMemory) throw new Refused(memoryShortfall(p, Number(result.available ?? 0)));
      if (!result.fitsGroup) throw new Refused(`another member of scaling group ${p.antiAffinityGroup} is on host ${p.hostId}`);
      return { claimed: true } as const;
    });
  } catch (error) {
    if (error instanceof Refused) return { claimed: false, reason: error.message };
    const taken = pgError(error, PG.UNIQUE_VIOLATION);
    if (taken) return { claimed: false, reason: `a resource was claimed meanwhile (${taken.detail ?? 'unique violation'})` };
    throw error;
  }
}

function memoryShortfall(p: Placement, available: number): string {
  return p.hugepages
    ? `numa ${p.cellId} has ${available} free ${p.hugepages.pageSizeKb} KiB pages, needs ${p.hugepages.count}`
    : `numa ${p.cellId} has ${available} MiB of small-page memory free, needs ${p.memoryMb}`;
}

// $1 host, $2 cell, $3 hugepage size in KiB (null: small pages), $4 pages or MiB needed, $5 VM,
// $6 whether anti-affinity applies, $7..$11 the claim rows as parallel arrays.
const CLAIM_SQL = `
WITH mem AS (
  SELECT CASE WHEN $3::int IS NOT NULL THEN (
    SELECT least(pool.free, pool.total - coalesce((SELECT sum(amount) FROM resource_claims c
      WHERE c."hostId" = $1::uuid AND c.kind = 'HUGEPAGES' AND c."resourceKey" = $2::int::text || '/' || $3::int::text), 0))
    FROM hugepage_pools pool WHERE pool."hostId" = $1::uuid AND pool."numaCell" = $2::int AND pool."pageSizeKb" = $3::int)
  ELSE (
    SELECT cell."memoryKb" / 1024
      - coalesce((SELECT sum(total::bigint * "pageSizeKb" / 1024) FROM hugepage_pools h WHERE h."hostId" = $1::uuid AND h."numaCell" = $2::int), 0)
      - coalesce((SELECT sum(amount) FROM resource_claims c WHERE c."hostId" = $1::uuid AND c.kind = 'MEMORY' AND c."resourceKey" = $2::int::text), 0)
    FROM numa_cells cell WHERE cell."hostId" = $1::uuid AND cell."cellId" = $2::int)
  END AS available
),
ok AS (
  SELECT coalesce((SELECT available FROM mem), 0) >= $4::bigint AS "fitsMemory",
    NOT ($6::boolean AND EXISTS (
      SELECT 1 FROM vdu_instances me JOIN vdu_instances other
        ON other."vnfInstanceId" = me."vnfInstanceId" AND other."vduId" = me."vduId" AND other.id <> me.id
      WHERE me.id = $5::uuid AND other."hostId" = $1::uuid)) AS "fitsGroup"
),
ins AS (
  INSERT INTO resource_claims ("hostId", "vduInstanceId", kind, "resourceKey", "numaCell", amount, "portIndex")
  SELECT $1::uuid, $5::uuid, r.kind::claim_kind, r.key, r.cell, r.amount, r.port
  FROM unnest($7::text[], $8::text[], $9::int[], $10::int[], $11::int[]) AS r(kind, key, cell, amount, port)
  WHERE (SELECT "fitsMemory" AND "fitsGroup" FROM ok)
  RETURNING 1
),
upd AS (
  UPDATE vdu_instances SET "hostId" = $1::uuid, "numaCell" = $2::int, state = 'PLACED', "updatedAt" = now()
  WHERE id = $5::uuid AND (SELECT "fitsMemory" AND "fitsGroup" FROM ok)
  RETURNING 1
)
SELECT (SELECT available FROM mem)::bigint AS available, "fitsMemory", "fitsGroup" FROM ok`;

class Refused extends Error {}

async function checkHost(tx: EntityManager, p: Placement): Promise<string | undefined> {
  const [host] = (await tx.query(`SELECT enabled, reachability FROM hosts WHERE id = $1 FOR UPDATE`, [p.hostId])) as { enabled: boolean; reachability: string }[];
  if (!host) return `host ${p.hostId} is gone`;
  if (!host.enabled || host.reachability !== 'UP') return `host ${p.hostId} is no longer enabled and UP`;
  return undefined;
}
