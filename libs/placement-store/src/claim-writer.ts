import type { DataSource, EntityManager } from 'typeorm';
import type { Placement } from '../../placement/src/index.js';

export type ClaimOutcome = { claimed: true } | { claimed: false; reason: string };

const PG_UNIQUE_VIOLATION = '23505';

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
      const refused = (await checkHost(tx, p)) ?? (await checkMemory(tx, p)) ?? (await checkAntiAffinity(tx, vduInstanceId, p));
      if (refused) throw new Refused(refused);
      const rows = claimRows(vduInstanceId, p);
      const values = rows.map((_, i) => `(${Array.from({ length: 7 }, (_, j) => `$${i * 7 + j + 1}`).join(', ')})`).join(', ');
      await tx.query(
        `INSERT INTO resource_claims ("hostId", "vduInstanceId", kind, "resourceKey", "numaCell", amount, "portIndex") VALUES ${values}`,
        rows.flatMap((r) => [r.hostId, r.vduInstanceId, r.kind, r.resourceKey, r.numaCell, r.amount, r.portIndex]),
      );
      await tx.query(`UPDATE vdu_instances SET "hostId" = $2, "numaCell" = $3, state = 'PLACED', "updatedAt" = now() WHERE id = $1`, [vduInstanceId, p.hostId, p.cellId]);
      return { claimed: true } as const;
    });
  } catch (error) {
    if (error instanceof Refused) return { claimed: false, reason: error.message };
    if ((error as { driverError?: { code?: string } }).driverError?.code === PG_UNIQUE_VIOLATION) {
      return { claimed: false, reason: `a resource was claimed meanwhile (${(error as { driverError: { detail?: string } }).driverError.detail ?? 'unique violation'})` };
    }
    throw error;
  }
}

class Refused extends Error {}

async function checkHost(tx: EntityManager, p: Placement): Promise<string | undefined> {
  const [host] = (await tx.query(`SELECT enabled, reachability FROM hosts WHERE id = $1 FOR UPDATE`, [p.hostId])) as { enabled: boolean; reachability: string }[];
  if (!host) return `host ${p.hostId} is gone`;
  if (!host.enabled || host.reachability !== 'UP') return `host ${p.hostId} is no longer enabled and UP`;
  return undefined;
}

async function checkMemory(tx: EntityManager, p: Placement): Promise<string | undefined> {
  if (p.hugepages) {
    const key = `${p.cellId}/${p.hugepages.pageSizeKb}`;
    const [row] = (await tx.query(
      `SELECT least(pool.free, pool.total - coalesce((SELECT sum(amount) FROM resource_claims c WHERE c."hostId" = $1 AND c.kind = 'HUGEPAGES' AND c."resourceKey" = $4), 0))::int AS available
       FROM hugepage_pools pool WHERE pool."hostId" = $1 AND pool."numaCell" = $2 AND pool."pageSizeKb" = $3`,
      [p.hostId, p.cellId, p.hugepages.pageSizeKb, key],
    )) as { available: number }[];
    const available = row?.available ?? 0;
    return available >= p.hugepages.count ? undefined : `numa ${p.cellId} has ${available} free ${p.hugepages.pageSizeKb} KiB pages, needs ${p.hugepages.count}`;
  }
  const [row] = (await tx.query(
    `SELECT (cell."memoryKb" / 1024 - coalesce((SELECT sum(total::bigint * "pageSizeKb" / 1024) FROM hugepage_pools h WHERE h."hostId" = $1 AND h."numaCell" = $2), 0)
             - coalesce((SELECT sum(amount) FROM resource_claims c WHERE c."hostId" = $1 AND c.kind = 'MEMORY' AND c."resourceKey" = $2::text), 0))::bigint AS available
     FROM numa_cells cell WHERE cell."hostId" = $1 AND cell."cellId" = $2`,
    [p.hostId, p.cellId],
  )) as { available: string }[];
  const available = Number(row?.available ?? 0);
  return available >= p.memoryMb ? undefined : `numa ${p.cellId} has ${available} MiB of small-page memory free, needs ${p.memoryMb}`;
}

async function checkAntiAffinity(tx: EntityManager, vduInstanceId: string, p: Placement): Promise<string | undefined> {
  if (!p.antiAffinityGroup) return undefined;
  const [peer] = (await tx.query(
    `SELECT other.id FROM vdu_instances me JOIN vdu_instances other
       ON other."vnfInstanceId" = me."vnfInstanceId" AND other."vduId" = me."vduId" AND other.id <> me.id
     WHERE me.id = $1 AND other."hostId" = $2 LIMIT 1`,
    [vduInstanceId, p.hostId],
  )) as { id: string }[];
  return peer ? `another member of scaling group ${p.antiAffinityGroup} is on host ${p.hostId}` : undefined;
}
