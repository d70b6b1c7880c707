import type { DataSource, EntityManager } from 'typeorm';
import { preparedQuery } from '#vim/persistence';
import type { HostSnapshot } from '#vim/placement';
import { buildSnapshots, type FleetRows } from './snapshot-rows.js';

type Db = DataSource | EntityManager;

/**
 * The loader's statements, for the whole fleet or (`scoped`) for the hosts in $1. Built once:
 * preparedQuery names a statement by its text, and the same string each call is hashed once.
 */
function statements(scoped: boolean) {
  const scope = (column = '"hostId"') => (scoped ? `WHERE ${column} = ANY($1::uuid[])` : '');
  return {
    hosts: `SELECT id, name, enabled, reachability = 'UP' AS up, "reservedCpus", "pmdQueueCapacity", "vhostUserReady", "vhostUserProblem" FROM hosts ${scope('id')} ORDER BY name`,
    cells: `SELECT "hostId", "cellId", "memoryKb" FROM numa_cells ${scope()} ORDER BY "cellId"`,
    cpus: `SELECT "hostId", "cpuId", "numaCell" FROM host_cpus ${scope()}`,
    hugepages: `SELECT "hostId", "numaCell", "pageSizeKb", total, free FROM hugepage_pools ${scope()}`,
    pmdCores: `SELECT "hostId", "cpuId", "numaCell" FROM pmd_cores ${scope()}`,
    // PFs scoped too: joined by id alone, Postgres hashed all PFs of the fleet to reread a few
    // hosts (100 ms per claim sync under load, the largest cost of a 4-worker benchmark).
    vfs: `SELECT vf."hostId", vf."pciAddress", pf."pciAddress" AS "pfPciAddress", pf.physnet, coalesce(vf."numaCell", pf."numaCell", 0) AS "numaCell"
       FROM sriov_vfs vf JOIN sriov_pfs pf ON pf.id = vf."pfId" AND pf."hostId" = vf."hostId"
       ${scoped ? 'WHERE vf."hostId" = ANY($1::uuid[]) AND pf."hostId" = ANY($1::uuid[])' : ''}`,
    claims: `SELECT "hostId", kind, "resourceKey", amount FROM resource_claims ${scope()}`,
    // Each VM is a member of its VDU's spread group (<instance>/<vdu>) and of the descriptor groups it
    // was claimed in (a local rule's group has the spread group's name: counted once per VM).
    groups: `SELECT "hostId", g AS "group", count(DISTINCT id)::int AS members
       FROM vdu_instances, unnest(array_prepend("vnfInstanceId" || '/' || "vduId", "affinityGroups" || "antiAffinityGroups")) g
       WHERE "hostId" IS NOT NULL ${scoped ? 'AND "hostId" = ANY($1::uuid[])' : ''} GROUP BY "hostId", g`,
  };
}

const WHOLE_FLEET = statements(false);
const SOME_HOSTS = statements(true);

/**
 * Reads the fleet (or some hosts of it) as placement snapshots: one query per table, so
 * 10,000 hosts load in a few round trips rather than one per host.
 */
export async function loadSnapshots(db: Db, hostIds?: string[]): Promise<HostSnapshot[]> {
  const params = hostIds ? [hostIds] : [];
  const sql = hostIds ? SOME_HOSTS : WHOLE_FLEET;
  // Prepared: every worker rereads hosts this way twice a second.
  const q = <T>(text: string): Promise<T[]> => preparedQuery<T>(db, text, params);
  const [hosts, cells, cpus, hugepages, pmdCores, vfs, claims, groups] = await Promise.all([
    q<FleetRows['hosts'][number]>(sql.hosts),
    q<{ hostId: string; cellId: number; memoryKb: string }>(sql.cells),
    q<FleetRows['cpus'][number]>(sql.cpus),
    q<FleetRows['hugepages'][number]>(sql.hugepages),
    q<FleetRows['pmdCores'][number]>(sql.pmdCores),
    q<FleetRows['vfs'][number]>(sql.vfs),
    q<FleetRows['claims'][number]>(sql.claims),
    q<FleetRows['groups'][number]>(sql.groups),
  ]);
  return buildSnapshots({ hosts, cells: cells.map((c) => ({ ...c, memoryKb: Number(c.memoryKb) })), cpus, hugepages, pmdCores, vfs, claims, groups });
}

/**
 * The hosts where VMs of these affinity or anti-affinity groups are placed. Cold path: after a
 * claim found a group member where the picture had none (another worker placed it), so no index
 * on the group columns; the arrays are compared whole.
 */
export async function hostsOfGroups(db: Db, groups: readonly string[]): Promise<string[]> {
  if (groups.length === 0) return [];
  const rows = (await db.query(
    `SELECT DISTINCT "hostId" FROM vdu_instances
     WHERE "hostId" IS NOT NULL AND ("affinityGroups" && $1::text[] OR "antiAffinityGroups" && $1::text[])`,
    [groups],
  )) as { hostId: string }[];
  return rows.map((r) => r.hostId);
}
