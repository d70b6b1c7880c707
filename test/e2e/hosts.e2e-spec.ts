import { afterAll, beforeAll, describe, expect, jest, test } from '@jest/globals';
import type { INestApplication, INestApplicationContext } from '@nestjs/common';
import { resolve } from 'node:path';
import { pino } from 'pino';
import { DataSource } from 'typeorm';
import { createWorker } from '../../apps/worker/src/bootstrap.js';
import { Role } from '#vim/persistence';
import { client, type Client, isolateQueues, startApi, tokenFor } from '../support/api.js';
import { openEventStream } from '../support/sse.js';

const SRIOV_NODE = resolve('test/fixtures/libvirt/sriov-node.xml');
const OVSDB = 'unix:/var/run/openvswitch/db.sock';

/** Polls until discovery has run for the host (or the timeout passes). */
async function discovered(admin: Client, id: string, timeoutMs = 20_000): Promise<Record<string, unknown>> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const res = await admin.get(`/api/v1/hosts/${id}`).expect(200);
    if (res.body.lastDiscoveredAt || Date.now() > until) return res.body;
    await new Promise((r) => setTimeout(r, 200));
  }
}

jest.setTimeout(30_000);

describe('hosts and discovery through the worker', () => {
  let app: INestApplication;
  let worker: INestApplicationContext;
  let admin: Client;
  let viewer: Client;
  let viewerSecret: string;
  let db: DataSource;
  const json = (c: Client, method: 'post' | 'patch', url: string, body: unknown) =>
    c[method](url).set('content-type', 'application/json').send(JSON.stringify(body));

  let restoreQueues: () => void;

  beforeAll(async () => {
    restoreQueues = isolateQueues('hosts');
    // Discovery on registration and on demand is what is tested; a scheduled sweep would first
    // rediscover every simulated host other suites left in the database.
    process.env.INVENTORY_REFRESH_SECONDS = '0';
    app = await startApi();
    worker = await createWorker(pino({ level: 'silent' }));
    admin = client(app, await tokenFor(app, Role.PLATFORM_ADMIN));
    viewerSecret = await tokenFor(app, Role.VIEWER);
    viewer = client(app, viewerSecret);
    db = app.get(DataSource);
  });

  afterAll(async () => {
    await worker?.close();
    await app?.close();
    restoreQueues();
    delete process.env.INVENTORY_REFRESH_SECONDS;
  });

  test('this machine (qemu:///system, OvS-DPDK) is discovered and UP', async () => {
    const created = await json(admin, 'post', '/api/v1/hosts', { name: 'local', libvirtUri: 'qemu:///system', ovsdbRemote: OVSDB, reservedCpus: [0] }).expect(201);
    expect(created.headers.location).toBe(`/api/v1/hosts/${created.body.id}`);
    expect(created.body).toMatchObject({ vhostSocketDir: '/var/run/vim-lite/vhost', imageDir: '/var/lib/vim-lite/images', disabledCpuFeatures: [] });
    const host = await discovered(admin, created.body.id);
    expect(host).toMatchObject({ state: 'UP', dpdkInitialized: true, lastDiscoveryError: null, vhostUser: { ready: true, reason: null } });
    expect(host.netdevBridges).toContain('br-int');
    const [{ cpus }] = await db.query(`SELECT count(*)::int AS cpus FROM host_cpus WHERE "hostId" = $1`, [created.body.id]);
    expect(cpus).toBeGreaterThanOrEqual(1);
    const pmd = await db.query(`SELECT "cpuId" FROM pmd_cores WHERE "hostId" = $1`, [created.body.id]);
    expect(pmd.length).toBeGreaterThanOrEqual(1);
  });

  test('a test:/// host with SR-IOV PFs: VFs stored with their physnet and NUMA cell', async () => {
    const created = await json(admin, 'post', '/api/v1/hosts', {
      name: 'sriov-test',
      libvirtUri: `test://${SRIOV_NODE}`,
      ovsdbRemote: OVSDB,
      physnets: { '0000:3b:00.0': 'sriov-a', '0000:86:00.0': 'sriov-b' },
    }).expect(201);
    expect((await discovered(admin, created.body.id)).state).toBe('UP');
    const vfs = await db.query(
      `SELECT pf.physnet, vf."numaCell", count(*)::int AS n FROM sriov_vfs vf JOIN sriov_pfs pf ON pf.id = vf."pfId"
       WHERE vf."hostId" = $1 GROUP BY 1, 2 ORDER BY 1`,
      [created.body.id],
    );
    expect(vfs).toEqual([
      { physnet: 'sriov-a', numaCell: 0, n: 4 },
      { physnet: 'sriov-b', numaCell: 1, n: 4 },
    ]);
    const seen = await viewer.get(`/api/v1/hosts/${created.body.id}`).expect(200);
    expect(seen.body.capacity.map((c: { freeVfs: Record<string, number> }) => c.freeVfs)).toEqual([{ 'sriov-a': 4 }, { 'sriov-b': 4 }]);
    // This host shares the machine's OVSDB, whose pmd-cpu-mask 0x2 makes CPU 1 a PMD core: not for VMs.
    expect(seen.body.capacity.map((c: { freeCpus: number }) => c.freeCpus)).toEqual([7, 8]);
    expect(seen.body.capacity[0].freePmdQueues).toBe(4);
    // Totals next to the free figures, counted alike; nothing is claimed here, so all is free.
    type Cell = { [key: string]: number | Record<string, number> };
    const cells: Cell[] = seen.body.capacity;
    expect(cells.map((c) => c.totalCpus)).toEqual([7, 8]);
    expect(cells.map((c) => c.totalVfs)).toEqual([{ 'sriov-a': 4 }, { 'sriov-b': 4 }]);
    expect(cells[0].totalPmdQueues).toBe(4);
    const pools = await db.query(`SELECT "numaCell", "pageSizeKb", total FROM hugepage_pools WHERE "hostId" = $1`, [created.body.id]);
    for (const cell of cells) {
      for (const name of ['Cpus', 'MemoryMb', 'PmdQueues']) expect(cell[`total${name}`]).toBe(cell[`free${name}`]);
      expect(cell.totalHugepages).toEqual(
        Object.fromEntries(pools.filter((p: { numaCell: number }) => p.numaCell === cell.cellId).map((p: { pageSizeKb: number; total: number }) => [`${p.pageSizeKb}KiB`, p.total])),
      );
      expect(Object.keys(cell.freeHugepages).sort()).toEqual(Object.keys(cell.totalHugepages).sort());
    }
  });

  test('an unreachable host goes DOWN with the reason, and a refresh can be asked for', async () => {
    const created = await json(admin, 'post', '/api/v1/hosts', { name: 'gone', libvirtUri: 'test:///no/such/file.xml', ovsdbRemote: OVSDB }).expect(201);
    const host = await discovered(admin, created.body.id);
    expect(host.state).toBe('DOWN');
    expect(host.lastDiscoveryError).toMatch(/virsh/);
    await admin.post(`/api/v1/hosts/${created.body.id}/refresh`).expect(202);
  });

  test('a host that changes state is announced to every stream at once, without its discovery error', async () => {
    const events = await openEventStream(app, viewerSecret);
    try {
      const created = await json(admin, 'post', '/api/v1/hosts', { name: 'comes-up', libvirtUri: 'test:///default', ovsdbRemote: OVSDB }).expect(201);
      await events.until(() => events.events('host-state').some((e) => e.hostId === created.body.id));
      expect(events.events('host-state').filter((e) => e.hostId === created.body.id)).toEqual([
        { kind: 'host-state', hostId: created.body.id, hostName: 'comes-up', state: 'UP', previousState: 'DOWN', at: expect.any(String) },
      ]);
      await admin.delete(`/api/v1/hosts/${created.body.id}`).expect(204);
    } finally {
      events.close();
    }
  });

  test('DISABLED by an operator stays DISABLED whatever discovery finds', async () => {
    const created = await json(admin, 'post', '/api/v1/hosts', { name: 'maint', libvirtUri: 'test:///default', ovsdbRemote: OVSDB }).expect(201);
    await discovered(admin, created.body.id);
    const disabled = await json(admin, 'patch', `/api/v1/hosts/${created.body.id}`, { enabled: false }).expect(200);
    expect(disabled.body.state).toBe('DISABLED');
    const tuned = await json(admin, 'patch', `/api/v1/hosts/${created.body.id}`, { disabledCpuFeatures: ['arch-capabilities'] }).expect(200);
    expect(tuned.body).toMatchObject({ state: 'DISABLED', disabledCpuFeatures: ['arch-capabilities'] });
    await admin.delete(`/api/v1/hosts/${created.body.id}`).expect(204);
    await admin.get(`/api/v1/hosts/${created.body.id}`).expect(404);
  });

  test('bad input names each problem; duplicates are 409; nothing is stored', async () => {
    const before = (await db.query('SELECT count(*)::int AS n FROM hosts'))[0].n;
    const res = await json(admin, 'post', '/api/v1/hosts', {
      name: 'Bad_Name',
      libvirtUri: 'qemu:///system; rm -rf /',
      ovsdbRemote: 'ssl:1.2.3.4:6640',
      physnets: { 'eth0;reboot': '<x>' },
      reservedCpus: [-1],
      pmdQueueCapacity: 0,
      vhostSocketDir: `/var/run/${'x'.repeat(90)}`,
      imageDir: '/var/lib/../etc',
      disabledCpuFeatures: ['arch-capabilities', "x'/><feature name='y"],
    }).expect(400);
    expect(res.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(
      ['/disabledCpuFeatures', '/imageDir', '/libvirtUri', '/name', '/ovsdbRemote', '/physnets', '/pmdQueueCapacity', '/reservedCpus', '/vhostSocketDir'].sort(),
    );
    await json(admin, 'post', '/api/v1/hosts', { name: 'local', libvirtUri: 'qemu:///system', ovsdbRemote: OVSDB }).expect(409);
    const nulls = await json(admin, 'post', '/api/v1/hosts', { name: 'nulls', libvirtUri: 'qemu:///system', ovsdbRemote: OVSDB, reservedCpus: null, physnets: null }).expect(400);
    expect(nulls.body.errors.map((e: { path: string }) => e.path)).toEqual(expect.arrayContaining(['/reservedCpus', '/physnets']));
    const twice = await json(admin, 'post', '/api/v1/hosts', { name: 'twice', libvirtUri: 'qemu:///system', ovsdbRemote: OVSDB, disabledCpuFeatures: ['pdpe1gb', 'pdpe1gb'] }).expect(400);
    expect(twice.body.errors).toEqual([{ path: '/disabledCpuFeatures', message: expect.stringMatching(/unique/) }]);
    expect((await db.query('SELECT count(*)::int AS n FROM hosts'))[0].n).toBe(before);
  });

  test("virtType (Nova's virt_type): auto by default, set at registration and by PATCH, checked, and in the OpenAPI document", async () => {
    const created = await json(admin, 'post', '/api/v1/hosts', { name: 'tcg-only', libvirtUri: 'test:///default', ovsdbRemote: OVSDB, virtType: 'qemu' }).expect(201);
    expect(created.body.virtType).toBe('qemu');
    const id = created.body.id;
    expect((await admin.get(`/api/v1/hosts/${id}`).expect(200)).body.virtType).toBe('qemu');
    expect((await json(admin, 'patch', `/api/v1/hosts/${id}`, { virtType: 'kvm' }).expect(200)).body.virtType).toBe('kvm');
    const bad = await json(admin, 'patch', `/api/v1/hosts/${id}`, { virtType: 'xen', enabled: 'no' }).expect(400);
    expect(bad.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['/enabled', '/virtType']);
    expect(bad.body.errors.find((e: { path: string }) => e.path === '/virtType').message).toMatch(/auto, kvm, qemu/);
    await json(admin, 'patch', `/api/v1/hosts/${id}`, { virtType: null }).expect(400);
    expect((await db.query(`SELECT "virtType" FROM hosts WHERE id = $1`, [id]))[0].virtType).toBe('kvm');
    const plain = await json(admin, 'post', '/api/v1/hosts', { name: 'auto-type', libvirtUri: 'test:///default', ovsdbRemote: OVSDB }).expect(201);
    expect(plain.body.virtType).toBe('auto');

    const openapi = (await admin.get('/api/docs-json').expect(200)).body;
    const schemas = openapi.components.schemas;
    for (const name of ['CreateHostRequest', 'UpdateHostRequest']) expect(schemas[name].properties.virtType).toMatchObject({ enum: ['auto', 'kvm', 'qemu'], default: 'auto' });
    expect(schemas.VnfcView.properties).toHaveProperty('powerState');
    expect(schemas.HostView.properties.vhostUser).toEqual({ $ref: '#/components/schemas/VhostUserReadinessView' });
    expect(schemas.VhostUserReadinessView.properties).toMatchObject({ ready: { type: 'boolean', nullable: true }, reason: { type: 'string', nullable: true } });
    const forRole = { anyOf: [{ $ref: '#/components/schemas/HostView' }, { $ref: '#/components/schemas/HostSummaryView' }] };
    expect(openapi.paths['/api/v1/hosts/{id}'].get.responses['200'].content['application/json'].schema).toEqual(forRole);
    expect(schemas.HostPage.properties.items).toMatchObject({ type: 'array', items: forRole });
    expect(Object.keys(schemas.HostSummaryView.properties).sort()).toEqual(['capacity', 'id', 'name', 'state']);
    for (const host of [id, plain.body.id]) await admin.delete(`/api/v1/hosts/${host}`).expect(204);
  });

  test('the list is paged in name order, with capacity for the page', async () => {
    const all = await admin.get('/api/v1/hosts?limit=500').expect(200);
    const names = all.body.items.map((h: { name: string }) => h.name);
    expect(names).toEqual([...names].sort());
    expect(all.body.total).toBe(names.length);
    const page = await admin.get('/api/v1/hosts?limit=1&offset=1').expect(200);
    expect(page.body).toMatchObject({ total: names.length, limit: 1, offset: 1, items: [{ name: names[1] }] });
    expect(page.body.items[0].capacity).toEqual(all.body.items[1].capacity);
    const bad = await admin.get('/api/v1/hosts?limit=0&offset=-1').expect(400);
    expect(bad.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['/limit', '/offset']);
  });

  test('tenants, their admins included, see names and states, not URIs; only platform administrators change hosts', async () => {
    const tenantAdmin = client(app, await tokenFor(app, Role.ADMIN));
    for (const caller of [viewer, tenantAdmin]) {
      const list = await caller.get('/api/v1/hosts').expect(200);
      expect(list.body.items.length).toBeGreaterThanOrEqual(2);
      for (const host of list.body.items) expect(Object.keys(host).sort()).toEqual(['capacity', 'id', 'name', 'state']);
      expect(JSON.stringify(list.body)).not.toMatch(/0000:|qemu:|unix:/);
      await json(caller, 'post', '/api/v1/hosts', { name: 'x', libvirtUri: 'qemu:///system', ovsdbRemote: OVSDB }).expect(403);
    }
    const one = (await admin.get('/api/v1/hosts').expect(200)).body.items[0].id as string;
    expect((await tenantAdmin.get(`/api/v1/hosts/${one}`).expect(200)).body).not.toHaveProperty('libvirtUri');
    await json(tenantAdmin, 'patch', `/api/v1/hosts/${one}`, { enabled: true }).expect(403);
  });
});
