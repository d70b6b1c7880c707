import type { DataSource } from 'typeorm';
import type { Placement } from '#vim/placement';

/** One claim as claimRowsSql selects it: with its VM's cell, and a VF's physnet and PF. */
export interface ClaimRow {
  vduInstanceId: string;
  hostId: string;
  kind: string;
  resourceKey: string;
  numaCell: number;
  amount: number;
  portIndex: number | null;
  vmCell: number;
  physnet: string | null;
  pfPciAddress: string | null;
}

/** The claims of the VM rows `where` picks (`c` is resource_claims, `v` vdu_instances), for placementsFromClaims. */
export function claimRowsSql(where: string): string {
  return `SELECT c."vduInstanceId", c."hostId", c.kind, c."resourceKey", c."numaCell", c.amount, c."portIndex", v."numaCell" AS "vmCell",
       pf.physnet, pf."pciAddress" AS "pfPciAddress"
     FROM resource_claims c JOIN vdu_instances v ON v.id = c."vduInstanceId"
     LEFT JOIN sriov_vfs vf ON c.kind = 'VF' AND vf."hostId" = c."hostId" AND vf."pciAddress" = c."resourceKey"
     LEFT JOIN sriov_pfs pf ON pf.id = vf."pfId"
     WHERE ${where}`;
}

/**
 * The placements some VMs already hold, rebuilt from their claims (a re-run placement job answers
 * with them). A VM without claims is left out.
 */
export async function loadClaimedPlacements(db: DataSource, vduInstanceIds: readonly string[]): Promise<Map<string, Placement>> {
  const rows = (await db.query(claimRowsSql(`c."vduInstanceId" = ANY($1::uuid[])`), [vduInstanceIds])) as ClaimRow[];
  return placementsFromClaims(rows);
}

/** By VM row, the placement its claims make up: CPUs by id, VFs and PMD queues in port order. */
export function placementsFromClaims(rows: readonly ClaimRow[]): Map<string, Placement> {
  // Port order once for all (Array#sort is stable): each kind's rows keep it when filtered out.
  const ordered = [...rows].sort((a, b) => (a.portIndex ?? -1) - (b.portIndex ?? -1));
  const byVm = new Map<string, ClaimRow[]>();
  for (const row of ordered) {
    const claims = byVm.get(row.vduInstanceId);
    if (claims) claims.push(row);
    else byVm.set(row.vduInstanceId, [row]);
  }
  return new Map([...byVm].map(([vm, claims]) => [vm, placementOf(claims)]));
}

function placementOf(rows: ClaimRow[]): Placement {
  const of = (kind: string) => rows.filter((r) => r.kind === kind);
  const pages = of('HUGEPAGES')[0];
  return {
    hostId: rows[0]!.hostId,
    cellId: rows[0]!.vmCell,
    cpus: of('CPU').map((r) => Number(r.resourceKey)).sort((a, b) => a - b),
    memoryMb: of('MEMORY')[0]?.amount ?? 0,
    hugepages: pages ? { pageSizeKb: Number(pages.resourceKey.split('/')[1]), count: pages.amount } : undefined,
    pmdQueues: of('PMD_QUEUE').map((r) => ({ cpuId: Number(r.resourceKey.split('/')[0]), slot: Number(r.resourceKey.split('/')[1]) })),
    vfs: of('VF').map((r) => ({ pciAddress: r.resourceKey, physnet: r.physnet ?? '', cellId: r.numaCell, pfPciAddress: r.pfPciAddress ?? '' })),
    score: 0,
  };
}
