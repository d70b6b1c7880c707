import { resolve } from 'node:path';
import type { DataSource } from 'typeorm';
import { normalizeVnfd } from '#vim/descriptors';
import { DEFAULT_TENANT_ID } from '#vim/persistence';

/** libvirt's test driver on the SR-IOV node fixture: 2 cells of 8 CPUs, a PF with 4 VFs on each. */
export const SRIOV_NODE_URI = `test://${resolve('test/fixtures/libvirt/sriov-node.xml')}`;

export interface LcmHostSpec {
  name: string;
  ovsdbRemote: string;
  vhostSocketDir: string;
  imageDir: string;
  /** The PMD core OvS really runs, so the rxq affinity written names a core it polls with. */
  pmdCpu: number;
}

/**
 * The SR-IOV node fixture as discovery would have stored it (test:/// lists no node devices, so
 * the VFs are declared here): CPUs 0-7 on cell 0 and 8-15 on cell 1 (CPU 0 reserved), 16 GiB of
 * small-page memory per cell, PF 0000:3b:00.0 on physnet sriov-a (cell 0) and 0000:86:00.0 on
 * sriov-b (cell 1), four VFs each. Returns the host id.
 */
export async function insertSriovTestHost(db: DataSource, spec: LcmHostSpec): Promise<string> {
  const pfs = [
    { pci: '0000:3b:00.0', bus: '3b', cell: 0, physnet: 'sriov-a' },
    { pci: '0000:86:00.0', bus: '86', cell: 1, physnet: 'sriov-b' },
  ];
  const [{ id }] = await db.query(
    `INSERT INTO hosts (name, "libvirtUri", "ovsdbRemote", reachability, physnets, "reservedCpus", "pmdQueueCapacity", "vhostSocketDir", "imageDir", "lastDiscoveredAt", "dpdkInitialized", "netdevBridges")
     VALUES ($1, $2, $3, 'UP', $4, '{0}', 4, $5, $6, now(), true, '{br-int}') RETURNING id`,
    [spec.name, SRIOV_NODE_URI, spec.ovsdbRemote, Object.fromEntries(pfs.map((pf) => [pf.pci, pf.physnet])), spec.vhostSocketDir, spec.imageDir],
  );
  await db.query(`INSERT INTO numa_cells ("hostId", "cellId", "memoryKb") VALUES ($1, 0, 16777216), ($1, 1, 16777216)`, [id]);
  await db.query(`INSERT INTO host_cpus ("hostId", "cpuId", "numaCell") SELECT $1, n, n / 8 FROM generate_series(0, 15) n`, [id]);
  await db.query(`INSERT INTO pmd_cores ("hostId", "cpuId", "numaCell") VALUES ($1, $2, $3)`, [id, spec.pmdCpu, Math.floor(spec.pmdCpu / 8)]);
  for (const pf of pfs) {
    const [{ id: pfId }] = await db.query(`INSERT INTO sriov_pfs ("hostId", "pciAddress", "numaCell", physnet) VALUES ($1, $2, $3, $4) RETURNING id`, [
      id, pf.pci, pf.cell, pf.physnet,
    ]);
    await db.query(
      `INSERT INTO sriov_vfs ("hostId", "pfId", "pciAddress", "vfIndex", "numaCell") SELECT $1, $2, '0000:' || $3 || ':02.' || v, v, $4 FROM generate_series(0, 3) v`,
      [id, pfId, pf.bus, pf.cell],
    );
  }
  return id;
}

/** Stores a descriptor document (as onboarding would: original and normalised model) and an instance of it. */
export async function insertInstance(db: DataSource, document: { vnfd: Record<string, unknown> }, name: string): Promise<string> {
  const model = normalizeVnfd(document);
  const [vnfd] = await db.query(
    `INSERT INTO vnf_descriptors ("tenantId", "vnfdId", version, "productName", model, original, "originalFormat")
     VALUES ($1, $2, $3, $4, $5, $6, 'json') RETURNING id`,
    [DEFAULT_TENANT_ID, `${model.vnfdId}-${name}`, model.version, model.productName, model, JSON.stringify(document)],
  );
  const [instance] = await db.query(`INSERT INTO vnf_instances ("tenantId", "vnfDescriptorId", name) VALUES ($1, $2, $3) RETURNING id`, [
    DEFAULT_TENANT_ID, vnfd.id, name,
  ]);
  return instance.id;
}

/** An operation as the API records it before it enqueues RUN_OP_JOB. */
export async function insertOp(db: DataSource, vnfInstanceId: string, operation: string, params: object): Promise<string> {
  const [op] = await db.query(
    `INSERT INTO lcm_op_occs ("tenantId", "vnfInstanceId", operation, "operationState", "operationParams") VALUES ($1, $2, $3, 'STARTING', $4) RETURNING id`,
    [DEFAULT_TENANT_ID, vnfInstanceId, operation, params],
  );
  return op.id;
}
