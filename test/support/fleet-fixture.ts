import type { DataSource } from 'typeorm';
import { DEFAULT_TENANT_ID } from '#vim/persistence';

export interface SimulatedHost {
  name: string;
  cells?: number;
  cpusPerCell?: number;
  memoryMbPerCell?: number;
  hugepages2mPerCell?: number;
  pmdCoresPerCell?: number;
  /** PFs per cell and VFs per PF, all on `physnet`. */
  pfsPerCell?: number;
  vfsPerPf?: number;
  physnet?: string;
}

/**
 * Writes hosts as discovery would have stored them, straight into Postgres: placement tests and
 * the benchmark need fleets far larger than this machine. Returns the host ids.
 */
export async function insertHosts(db: DataSource, hosts: SimulatedHost[]): Promise<string[]> {
  const ids: string[] = [];
  for (const spec of hosts) {
    const h = { cells: 2, cpusPerCell: 16, memoryMbPerCell: 65536, hugepages2mPerCell: 8192, pmdCoresPerCell: 2, pfsPerCell: 1, vfsPerPf: 16, physnet: 'sriov-a', ...spec };
    const [{ id }] = await db.query(
      `INSERT INTO hosts (name, "libvirtUri", "ovsdbRemote", reachability, "reservedCpus", "pmdQueueCapacity", "lastDiscoveredAt")
       VALUES ($1, 'test:///default', 'tcp:127.0.0.1:6640', 'UP', '{0}', 4, now()) RETURNING id`,
      [h.name],
    );
    ids.push(id);
    const cpu = (cell: number, i: number) => cell * h.cpusPerCell + i;
    const cells = Array.from({ length: h.cells }, (_, c) => c);
    await db.query(`INSERT INTO numa_cells ("hostId", "cellId", "memoryKb") SELECT $1, c, $2 FROM unnest($3::int[]) c`, [id, h.memoryMbPerCell * 1024, cells]);
    await db.query(`INSERT INTO host_cpus ("hostId", "cpuId", "numaCell") SELECT $1, n, n / $2 FROM generate_series(0, $3 - 1) n`, [id, h.cpusPerCell, h.cells * h.cpusPerCell]);
    await db.query(`INSERT INTO hugepage_pools ("hostId", "numaCell", "pageSizeKb", total, free) SELECT $1, c, 2048, $2, $2 FROM unnest($3::int[]) c`, [id, h.hugepages2mPerCell, cells]);
    // The last CPUs of each cell run the PMD threads.
    const pmds = cells.flatMap((c) => Array.from({ length: h.pmdCoresPerCell }, (_, i) => [cpu(c, h.cpusPerCell - 1 - i), c]));
    await db.query(`INSERT INTO pmd_cores ("hostId", "cpuId", "numaCell") SELECT $1, u.cpu, u.cell FROM unnest($2::int[], $3::int[]) AS u(cpu, cell)`, [
      id,
      pmds.map((p) => p[0]),
      pmds.map((p) => p[1]),
    ]);
    for (const c of cells) {
      for (let pf = 0; pf < h.pfsPerCell; pf++) {
        const bus = (c * h.pfsPerCell + pf + 1).toString(16).padStart(2, '0');
        const [{ id: pfId }] = await db.query(
          `INSERT INTO sriov_pfs ("hostId", "pciAddress", "numaCell", physnet) VALUES ($1, $2, $3, $4) RETURNING id`,
          [id, `0000:${bus}:00.0`, c, h.physnet],
        );
        await db.query(
          `INSERT INTO sriov_vfs ("hostId", "pfId", "pciAddress", "vfIndex", "numaCell")
           SELECT $1, $2, '0000:' || $3 || ':' || lpad(to_hex(2 + v / 8), 2, '0') || '.' || (v % 8), v, $4 FROM generate_series(0, $5 - 1) v`,
          [id, pfId, bus, c, h.vfsPerPf],
        );
      }
    }
  }
  return ids;
}

/** A descriptor, an instance and `count` VDU instances to place (their claims need them). */
export async function insertVms(db: DataSource, count: number, vduId = 'vm'): Promise<{ vnfInstanceId: string; vduInstanceIds: string[] }> {
  const [vnfd] = await db.query(
    `INSERT INTO vnf_descriptors ("tenantId", "vnfdId", version, "productName", model, original, "originalFormat")
     VALUES ($1, 'sim-' || gen_random_uuid(), '1', 'sim', '{}', '{}', 'json') RETURNING id`,
    [DEFAULT_TENANT_ID],
  );
  const [instance] = await db.query(`INSERT INTO vnf_instances ("tenantId", "vnfDescriptorId") VALUES ($1, $2) RETURNING id`, [DEFAULT_TENANT_ID, vnfd.id]);
  const rows = await db.query(`INSERT INTO vdu_instances ("vnfInstanceId", "vduId") SELECT $1, $2 || n FROM generate_series(1, $3) n RETURNING id`, [instance.id, vduId, count]);
  return { vnfInstanceId: instance.id, vduInstanceIds: rows.map((r: { id: string }) => r.id) };
}
