import type { DataSource, EntityManager } from 'typeorm';
import { preparedQuery } from '../../persistence/src/index.js';
import type { HostSnapshot } from '../../placement/src/index.js';
import { buildSnapshots, type FleetRows } from './snapshot-rows.js';

type Db = DataSource | EntityManager;

/** `WHERE "hostId" = ANY($1)` when some hosts are asked for, nothing when all are. */
const scope = (hostIds: string[] | undefined, column = '"hostId"') => (hostIds ? `WHERE ${column} = ANY($1::uuid[])` : '');

/**
 * Reads the fleet (or some hosts of it) as placement snapshots: one query per table, so
 * 10,000 hosts load in a few round trips rather than one per host.
 */
export async function loadSnapshots(db: Db, hostIds?: string[]): Promise<HostSnapshot[]> {
  const params = hostIds ? [hostIds] : [];
  // Prepared: every worker rereads hosts this way twice a second.
  const q = <T>(sql: string): Promise<T[]> => preparedQuery<T>(db, sql, params);
  const [hosts, cells, cpus, hugepages, pmdCores, vfs, claims, groups] = await Promise.all([
    q<FleetRows['hosts'][number]>(
      `SELECT id, name, enabled, reachability = 'UP' AS up, "reservedCpus", "pmdQueueCapacity" FROM hosts ${scope(hostIds, 'id')} ORDER BY name`,
    ),
    q<{ hostId: string; cellId: number; memoryKb: string }>(`SELECT "hostId", "cellId", "memoryKb" FROM numa_cells ${scope(hostIds)} ORDER BY "cellId"`),
    q<FleetRows['cpus'][number]>(`SELECT "hostId", "cpuId", "numaCell" FROM host_cpus ${scope(hostIds)}`),
    q<FleetRows['hugepages'][number]>(`SELECT "hostId", "numaCell", "pageSizeKb", total, free FROM hugepage_pools ${scope(hostIds)}`),
    q<FleetRows['pmdCores'][number]>(`SELECT "hostId", "cpuId", "numaCell" FROM pmd_cores ${scope(hostIds)}`),
    q<FleetRows['vfs'][number]>(
      // PFs scoped too: joined by id alone, Postgres hashed all PFs of the fleet to reread a few
      // hosts (100 ms per claim sync under load, the largest cost of a 4-worker benchmark).
      `SELECT vf."hostId", vf."pciAddress", pf."pciAddress" AS "pfPciAddress", pf.physnet, coalesce(vf."numaCell", pf."numaCell", 0) AS "numaCell"
       FROM sriov_vfs vf JOIN sriov_pfs pf ON pf.id = vf."pfId" AND pf."hostId" = vf."hostId"
       ${hostIds ? 'WHERE vf."hostId" = ANY($1::uuid[]) AND pf."hostId" = ANY($1::uuid[])' : ''}`,
    ),
    q<FleetRows['claims'][number]>(`SELECT "hostId", kind, "resourceKey", amount FROM resource_claims ${scope(hostIds)}`),
    q<FleetRows['groups'][number]>(
      `SELECT DISTINCT "hostId", "vnfInstanceId" || '/' || "vduId" AS "group" FROM vdu_instances
       WHERE "hostId" IS NOT NULL ${hostIds ? 'AND "hostId" = ANY($1::uuid[])' : ''}`,
    ),
  ]);
  return buildSnapshots({ hosts, cells: cells.map((c) => ({ ...c, memoryKb: Number(c.memoryKb) })), cpus, hugepages, pmdCores, vfs, claims, groups });
}
