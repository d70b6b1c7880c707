import type { DataSource } from 'typeorm';

/**
 * The benchmark fleet, written set-wise: every host has 2 NUMA cells, 32 CPUs (CPU 0 reserved,
 * CPUs 14-15 and 30-31 run PMD threads), 64 GiB and 8192 2 MiB pages per cell, and 2 PFs (one
 * per cell) with 16 VFs each on physnet "data".
 */
export async function fillFleet(db: DataSource, hosts: number): Promise<void> {
  await db.query(
    `INSERT INTO hosts (name, "libvirtUri", "ovsdbRemote", reachability, "reservedCpus", "pmdQueueCapacity", "lastDiscoveredAt")
     SELECT 'bench-' || lpad(n::text, 6, '0'), 'test:///default', 'tcp:127.0.0.1:6640', 'UP', '{0}', 4, now() FROM generate_series(1, $1) n`,
    [hosts],
  );
  await db.query(`INSERT INTO numa_cells ("hostId", "cellId", "memoryKb") SELECT h.id, c, 64 * 1024 * 1024 FROM hosts h, generate_series(0, 1) c`);
  await db.query(`INSERT INTO host_cpus ("hostId", "cpuId", "numaCell") SELECT h.id, n, n / 16 FROM hosts h, generate_series(0, 31) n`);
  await db.query(`INSERT INTO hugepage_pools ("hostId", "numaCell", "pageSizeKb", total, free) SELECT h.id, c, 2048, 8192, 8192 FROM hosts h, generate_series(0, 1) c`);
  await db.query(`INSERT INTO pmd_cores ("hostId", "cpuId", "numaCell") SELECT h.id, p, p / 16 FROM hosts h, unnest(ARRAY[14, 15, 30, 31]) p`);
  await db.query(
    `INSERT INTO sriov_pfs ("hostId", "pciAddress", "numaCell", physnet) SELECT h.id, '0000:' || lpad(to_hex(c + 1), 2, '0') || ':00.0', c, 'data' FROM hosts h, generate_series(0, 1) c`,
  );
  await db.query(
    `INSERT INTO sriov_vfs ("hostId", "pfId", "pciAddress", "vfIndex", "numaCell")
     SELECT pf."hostId", pf.id, '0000:' || lpad(to_hex(pf."numaCell" + 1), 2, '0') || ':' || lpad(to_hex(2 + v / 8), 2, '0') || '.' || (v % 8), v, pf."numaCell"
     FROM sriov_pfs pf, generate_series(0, 15) v`,
  );
  await db.query('ANALYZE');
}
