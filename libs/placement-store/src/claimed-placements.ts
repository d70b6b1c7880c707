import type { DataSource } from 'typeorm';
import type { Placement } from '../../placement/src/index.js';

interface ClaimRow {
  vduInstanceId: string;
  hostId: string;
  kind: string;
  resourceKey: string;
  numaCell: number;
  amount: number;
  vmCell: number;
  physnet: string | null;
  pfPciAddress: string | null;
}

/** The placements some VMs already hold, rebuilt from their claims (a re-run job answers with them). */
export async function loadClaimedPlacements(db: DataSource, vduInstanceIds: readonly string[]): Promise<Map<string, Placement>> {
  const rows = (await db.query(
    `SELECT c."vduInstanceId", c."hostId", c.kind, c."resourceKey", c."numaCell", c.amount, v."numaCell" AS "vmCell",
       pf.physnet, pf."pciAddress" AS "pfPciAddress"
     FROM resource_claims c JOIN vdu_instances v ON v.id = c."vduInstanceId"
     LEFT JOIN sriov_vfs vf ON c.kind = 'VF' AND vf."hostId" = c."hostId" AND vf."pciAddress" = c."resourceKey"
     LEFT JOIN sriov_pfs pf ON pf.id = vf."pfId"
     WHERE c."vduInstanceId" = ANY($1::uuid[])
     ORDER BY c."portIndex" NULLS FIRST, CASE WHEN c.kind = 'CPU' THEN c."resourceKey"::int END`,
    [vduInstanceIds],
  )) as ClaimRow[];
  const byVm = new Map<string, ClaimRow[]>();
  for (const row of rows) byVm.set(row.vduInstanceId, [...(byVm.get(row.vduInstanceId) ?? []), row]);
  return new Map([...byVm].map(([vm, claims]) => [vm, placementOf(claims)]));
}

function placementOf(rows: ClaimRow[]): Placement {
  const of = (kind: string) => rows.filter((r) => r.kind === kind);
  const pages = of('HUGEPAGES')[0];
  return {
    hostId: rows[0]!.hostId,
    cellId: rows[0]!.vmCell,
    cpus: of('CPU').map((r) => Number(r.resourceKey)),
    memoryMb: of('MEMORY')[0]?.amount ?? 0,
    hugepages: pages ? { pageSizeKb: Number(pages.resourceKey.split('/')[1]), count: pages.amount } : undefined,
    pmdQueues: of('PMD_QUEUE').map((r) => ({ cpuId: Number(r.resourceKey.split('/')[0]), slot: Number(r.resourceKey.split('/')[1]) })),
    vfs: of('VF').map((r) => ({ pciAddress: r.resourceKey, physnet: r.physnet ?? '', cellId: r.numaCell, pfPciAddress: r.pfPciAddress ?? '' })),
    score: 0,
  };
}
