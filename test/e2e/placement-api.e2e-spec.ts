import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Role } from '#vim/persistence';
import { client, type Client, startApi, tokenFor } from '../support/api.js';
import { insertHosts } from '../support/fleet-fixture.js';

describe('POST /api/v1/placement/dry-run', () => {
  let app: INestApplication;
  let operator: Client;
  let db: DataSource;
  const physnet = `dry-${process.pid}`;
  const dryRun = (body: unknown) => operator.post('/api/v1/placement/dry-run').set('content-type', 'application/json').send(JSON.stringify(body));
  const vm = { vcpus: 4, cpuPolicy: 'dedicated', memoryMb: 4096, pageSize: 2048, virtioPorts: 2, sriovPorts: [{ physnet }], vfNumaAffinity: 'required' };

  beforeAll(async () => {
    app = await startApi();
    operator = client(app, await tokenFor(app, Role.OPERATOR));
    db = app.get(DataSource);
    await insertHosts(db, [{ name: `dry-a-${process.pid}`, physnet, vfsPerPf: 2 }]);
  });

  afterAll(async () => {
    await app?.close();
  });

  test('answers where the VM would go, NUMA-aligned, and claims nothing', async () => {
    const before = (await db.query('SELECT count(*)::int AS n FROM resource_claims'))[0].n;
    const res = await dryRun(vm).expect(200);
    const p = res.body.placement;
    expect(p.cpus).toHaveLength(4);
    expect(p.pmdQueues).toHaveLength(2);
    expect(p.vfs).toEqual([expect.objectContaining({ physnet, cellId: p.cellId })]);
    expect(p.hugepages).toEqual({ pageSizeKb: 2048, count: 2048 });
    expect((await db.query('SELECT count(*)::int AS n FROM resource_claims'))[0].n).toBe(before);
  });

  test('no valid host: a problem with counts per filter and the shortfall per host', async () => {
    const res = await dryRun({ ...vm, sriovPorts: [{ physnet }, { physnet }, { physnet }] }).expect(409);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body.type).toBe('urn:vim:problem:no-valid-host');
    expect(res.body.reasonCounts.SriovFilter).toBeGreaterThanOrEqual(1);
    const mine = res.body.hosts.find((h: { name: string }) => h.name === `dry-a-${process.pid}`);
    expect(mine.reason).toMatch(new RegExp(`numa \\d has 2 free VFs on physnet ${physnet}, needs 3`));
  });

  test('a host not ready for vhost-user refuses a VM with vhost-user ports, quoting discovery; an SR-IOV-only VM still goes there', async () => {
    const name = `dry-novhu-${process.pid}`;
    const onlyHere = `novhu-${process.pid}`; // a physnet no other host has: the SR-IOV-only VM can go nowhere else
    const reason =
      'ovs-vswitchd (pid 4242) has DPDK loaded without its mempool ring driver (librte_mempool_ring), so it cannot create packet-buffer pools for vhost-user ports: install librte-mempool-ring23, then restart ovs-vswitchd';
    const [id] = await insertHosts(db, [{ name, physnet: onlyHere, vfsPerPf: 2 }]);
    await db.query(`UPDATE hosts SET "vhostUserReady" = false, "vhostUserProblem" = $2 WHERE id = $1`, [id, reason]);
    try {
      const refused = await dryRun({ ...vm, sriovPorts: [{ physnet: onlyHere }] }).expect(409);
      expect(refused.body.type).toBe('urn:vim:problem:no-valid-host');
      expect(refused.body.reasonCounts.VhostUserReadyFilter).toBeGreaterThanOrEqual(1);
      const mine = refused.body.hosts.find((h: { name: string }) => h.name === name);
      expect(mine).toEqual({ hostId: id, name, filter: 'VhostUserReadyFilter', reason: `host cannot carry vhost-user ports (needs 2): ${reason}` });

      const placed = await dryRun({ ...vm, virtioPorts: 0, sriovPorts: [{ physnet: onlyHere }] }).expect(200);
      expect(placed.body.placement).toMatchObject({ hostId: id, pmdQueues: [], vfs: [expect.objectContaining({ physnet: onlyHere })] });

      // Not checked (a switch on another machine) counts as ready.
      await db.query(`UPDATE hosts SET "vhostUserReady" = NULL, "vhostUserProblem" = 'not checked: ovs-vswitchd is not on this machine' WHERE id = $1`, [id]);
      expect((await dryRun({ ...vm, sriovPorts: [{ physnet: onlyHere }] }).expect(200)).body.placement.hostId).toBe(id);
    } finally {
      await db.query('DELETE FROM hosts WHERE id = $1', [id]);
    }
  });

  test('a bad request names each problem', async () => {
    const res = await dryRun({ vcpus: 0, cpuPolicy: 'pinned', memoryMb: 'lots', pageSize: 4096, virtioPorts: -1, sriovPorts: [{ physnet: 'a b' }], vfNumaAffinity: 'maybe' }).expect(400);
    expect([...new Set(res.body.errors.map((e: { path: string }) => e.path))].sort()).toEqual(
      ['/cpuPolicy', '/memoryMb', '/pageSize', '/sriovPorts/0/physnet', '/vcpus', '/vfNumaAffinity', '/virtioPorts'].sort(),
    );
  });
});
