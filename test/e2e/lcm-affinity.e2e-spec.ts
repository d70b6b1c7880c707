import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, jest, test } from '@jest/globals';
import type { INestApplication, INestApplicationContext } from '@nestjs/common';
import { Queue } from 'bullmq';
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { pino } from 'pino';
import { DataSource } from 'typeorm';
import { createWorker } from '../../apps/worker/src/bootstrap.js';
import { RealLcmDrivers } from '../../apps/worker/src/lcm/drivers/real-lcm-drivers.js';
import { FleetCache } from '../../apps/worker/src/placement/fleet-cache.js';
import { loadConfig } from '#vim/config';
import { OvsdbClient, OvsdbSwitchDriver, ownerExternalIds, readSwitchInfo } from '#vim/ovs';
import { Role } from '#vim/persistence';
import { QUEUES } from '#vim/platform';
import { client, type Client, isolateQueues, startApi, tokenFor } from '../support/api.js';
import { insertSriovTestHost, SRIOV_NODE_URI } from '../support/lcm-fixture.js';
import { opIdOf, setAsideOtherHosts, waitForOp } from '../support/lcm.js';
import { minimalVnfd } from '../support/vnfd-builder.js';

jest.setTimeout(180_000);

/**
 * The descriptor's affinity rules through the real api and worker: descriptors onboarded and
 * instances instantiated over HTTP, placed and launched by an in-process worker on two hosts of
 * libvirt's test:/// driver (the SR-IOV node fixture), with the Open vSwitch of deploy/local.
 * Each test enables only the hosts it needs; after each, terminate removes what it made.
 */
const run = promisify(execFile);
const OVSDB = 'unix:/var/run/openvswitch/db.sock';
const BINDINGS = { in: { bridge: 'br-int', vlan: 100 }, out: { physnet: 'sriov-a', vlan: 200 } };

/** minimalVnfd on small pages (test:/// has no hugepages), its VDU at two VMs, in a group of the given type or with a local rule. */
function descriptor(version: string, group?: { type: 'affinity' | 'anti-affinity'; local?: true }) {
  const document = minimalVnfd(`affinity-e2e-${process.pid}`, version);
  const vnfd = document.vnfd as Record<string, any>;
  delete vnfd['virtual-compute-desc'][0]['virtual-memory']['mempage-size'];
  const df = vnfd.df[0];
  df['instantiation-level'] = [{ id: 'pair', 'vdu-level': [{ 'vdu-id': 'fw-vdu', 'number-of-instances': 2 }] }];
  if (group?.local) {
    df['vdu-profile'][0]['local-affinity-or-anti-affinity-rule'] = [{ 'affinity-type': group.type, 'affinity-scope': 'nfvi-node' }];
  } else if (group !== undefined) {
    df['affinity-or-anti-affinity-group'] = [{ id: 'fw-group', type: group.type, scope: 'nfvi-node' }];
    df['vdu-profile'][0]['affinity-or-anti-affinity-group'] = [{ id: 'fw-group' }];
  }
  return document;
}

describe('affinity-or-anti-affinity-groups through the api and the worker', () => {
  let app: INestApplication;
  let worker: INestApplicationContext;
  let db: DataSource;
  let operator: Client;
  let restoreQueues: () => void;
  let restoreHosts = async () => {};
  let dir: string;
  const hosts: string[] = [];
  const instances: string[] = [];
  const vnfds = new Map<string, string>();
  const json = (url: string, body: unknown) => operator.post(url).set('content-type', 'application/json').send(JSON.stringify(body));

  beforeAll(async () => {
    restoreQueues = isolateQueues('affinity');
    process.env.INVENTORY_REFRESH_SECONDS = '0';
    dir = await mkdtemp(join(tmpdir(), 'vim-affinity-'));
    await mkdir(join(dir, 'images'));
    await run('qemu-img', ['create', '-q', '-f', 'qcow2', join(dir, 'images', 'fw.qcow2'), '64M']);
    const ovsdb = await OvsdbClient.connect(OVSDB);
    const [pmdCpu] = await readSwitchInfo(ovsdb).then((info) => info.pmdCpus).finally(() => ovsdb.close());
    app = await startApi();
    worker = await createWorker(pino({ level: 'silent' }), { lcmDrivers: new RealLcmDrivers() });
    db = app.get(DataSource);
    const [{ id: tenant }] = await db.query(`INSERT INTO tenants (name) VALUES ('affinity-' || gen_random_uuid()) RETURNING id`);
    operator = client(app, await tokenFor(app, Role.OPERATOR, tenant));
    for (const name of ['a', 'b']) {
      const spec = { name: `affinity-${name}-${process.pid}`, ovsdbRemote: OVSDB, vhostSocketDir: join(dir, 'vhost'), imageDir: join(dir, 'images'), pmdCpu: pmdCpu! };
      hosts.push(await insertSriovTestHost(db, spec));
    }
    restoreHosts = await setAsideOtherHosts(db, hosts);
    const kinds = { none: undefined, affinity: { type: 'affinity' }, anti: { type: 'anti-affinity' }, local: { type: 'anti-affinity', local: true } } as const;
    for (const [kind, group] of Object.entries(kinds)) {
      const created = await json('/api/v1/vnfds', descriptor(kind, group)).expect(201);
      vnfds.set(kind, created.body.id);
    }
  });

  beforeEach(async () => {
    await changeHosts(`enabled = true, "reservedCpus" = '{0}'`, hosts);
  });

  /**
   * Changes hosts as an operator or discovery would, and brings the worker's picture of the fleet
   * up to date, as its next reload would: decisions go on with the picture they have and a claim
   * rechecks only what can be claimed twice, so a picture from before the change (a host still
   * disabled, CPUs not yet reserved) would decide the test on other hosts than it sets up. The
   * second reload is the one that surely started after the change.
   */
  async function changeHosts(set: string, ids: string[]): Promise<void> {
    await db.query(`UPDATE hosts SET ${set}, "updatedAt" = now() WHERE id = ANY($1::uuid[])`, [ids]);
    const fleet = worker.get(FleetCache);
    await fleet.reload();
    await fleet.reload();
  }

  // Each test starts from empty hosts: two VMs fill much of a test:/// host's cell 0 (VFs, PMD queues).
  afterEach(async () => {
    for (const id of instances) {
      const [instance] = await db.query(`SELECT "instantiationState" FROM vnf_instances WHERE id = $1`, [id]);
      if (instance?.instantiationState !== 'INSTANTIATED') continue;
      const res = await json(`/api/v1/vnf_instances/${id}/terminate`, { terminationType: 'FORCEFUL' }).expect(202);
      expect(await waitForOp(operator, opIdOf(res.headers.location))).toMatchObject({ operationState: 'COMPLETED' });
    }
  });

  afterAll(async () => {
    const ovs = new OvsdbSwitchDriver(OVSDB);
    for (const id of instances) for (const port of await ovs.findPorts(ownerExternalIds(id)).catch(() => [])) await ovs.removePorts(port.bridge, [port.name]);
    await ovs.close();
    await restoreHosts();
    await db?.query(`UPDATE hosts SET enabled = false WHERE id = ANY($1::uuid[])`, [hosts]);
    await worker?.close();
    await app?.close();
    for (const name of Object.values(QUEUES)) {
      const q = new Queue(name, { connection: { url: loadConfig().REDIS_URL }, prefix: process.env.QUEUE_PREFIX });
      await q.obliterate({ force: true }).catch(() => undefined);
      await q.close();
    }
    restoreQueues();
    delete process.env.INVENTORY_REFRESH_SECONDS;
    await rm(dir, { recursive: true, force: true });
  });

  /** Creates an instance of the descriptor and instantiates it at two VMs; returns the finished operation and the VMs' hosts. */
  async function instantiatePair(kind: string): Promise<{ op: Record<string, any>; hostsOfVms: string[] }> {
    const created = await json('/api/v1/vnf_instances', { vnfdId: vnfds.get(kind), vnfInstanceName: `fw-${kind}` }).expect(201);
    instances.push(created.body.id);
    const started = await json(`/api/v1/vnf_instances/${created.body.id}/instantiate`, { flavourId: 'default', instantiationLevelId: 'pair', extCpBindings: BINDINGS }).expect(202);
    const op = await waitForOp(operator, opIdOf(started.headers.location));
    const vms = (await db.query(`SELECT "hostId" FROM vdu_instances WHERE "vnfInstanceId" = $1 ORDER BY "createdAt", id`, [created.body.id])) as { hostId: string }[];
    return { op, hostsOfVms: vms.map((vm) => vm.hostId) };
  }

  const onlyHostA = () => changeHosts('enabled = false', [hosts[1]!]);
  /** Host b stays enabled and up, with every CPU reserved: no room for a pinned VM. */
  const fillHostB = () => changeHosts(`"reservedCpus" = (SELECT array_agg(n) FROM generate_series(0, 15) n)`, [hosts[1]!]);

  test('no group, one host with room: both VMs of the VDU land on it (spreading is a preference)', async () => {
    await fillHostB();
    const { op, hostsOfVms } = await instantiatePair('none');
    expect(op).toMatchObject({ operationState: 'COMPLETED', error: null });
    expect(hostsOfVms).toEqual([hosts[0], hosts[0]]);
  });

  test('no group, two hosts with room: the VMs are spread over both', async () => {
    const { op, hostsOfVms } = await instantiatePair('none');
    expect(op).toMatchObject({ operationState: 'COMPLETED' });
    expect(new Set(hostsOfVms).size).toBe(2);
  });

  test('an affinity group: both VMs on one host, though two have room', async () => {
    const { op, hostsOfVms } = await instantiatePair('affinity');
    expect(op).toMatchObject({ operationState: 'COMPLETED', error: null });
    expect(hostsOfVms).toHaveLength(2);
    expect(hostsOfVms[1]).toBe(hostsOfVms[0]);
  });

  test('an anti-affinity group: the VMs on different hosts', async () => {
    const { op, hostsOfVms } = await instantiatePair('anti');
    expect(op).toMatchObject({ operationState: 'COMPLETED', error: null });
    expect(new Set(hostsOfVms).size).toBe(2);
  });

  test('an anti-affinity group with one host: rolled back, naming AntiAffinityFilter and the group', async () => {
    await onlyHostA();
    const { op, hostsOfVms } = await instantiatePair('anti');
    expect(op).toMatchObject({ operationState: 'ROLLED_BACK' });
    expect(op.error).toMatchObject({ type: 'urn:vim:problem:no-valid-host', reasonCounts: { AntiAffinityFilter: 1 } });
    expect(op.error.detail).toMatch(/cannot be placed: no valid host: .*1 failed AntiAffinityFilter/);
    expect(op.error.hosts.find((h: { hostId: string }) => h.hostId === hosts[0])).toEqual(
      expect.objectContaining({ filter: 'AntiAffinityFilter', reason: expect.stringMatching(/^anti-affinity group [0-9a-f-]{36}:fw-group already has a member on this host$/) }),
    );
    expect(hostsOfVms).toEqual([]);
  });

  test('a local anti-affinity rule with one host: rolled back, naming AntiAffinityFilter', async () => {
    await onlyHostA();
    const { op } = await instantiatePair('local');
    expect(op).toMatchObject({ operationState: 'ROLLED_BACK', error: { type: 'urn:vim:problem:no-valid-host', reasonCounts: { AntiAffinityFilter: 1 } } });
  });

  test("a dry run for a member the group's host has no room for: 409 naming AffinityFilter and the members' host", async () => {
    const { op, hostsOfVms } = await instantiatePair('affinity');
    expect(op).toMatchObject({ operationState: 'COMPLETED' });
    const [members] = hostsOfVms;
    const [other] = hosts.filter((h) => h !== members);
    const [{ name }] = await db.query(`SELECT name FROM hosts WHERE id = $1`, [members]);
    // Three VFs on one cell: the members' host has two left on physnet sriov-a, the other host four.
    const res = await json('/api/v1/placement/dry-run', {
      vcpus: 1, cpuPolicy: 'shared', memoryMb: 512, pageSize: 'small', virtioPorts: 0, vfNumaAffinity: 'required',
      sriovPorts: [{ physnet: 'sriov-a' }, { physnet: 'sriov-a' }, { physnet: 'sriov-a' }],
      affinityGroups: [`${instances.at(-1)}:fw-group`],
    }).expect(409);
    expect(res.body.reasonCounts).toMatchObject({ AffinityFilter: 1, SriovFilter: 1 });
    expect(res.body.hosts.find((h: { hostId: string }) => h.hostId === other)).toEqual(
      expect.objectContaining({ filter: 'AffinityFilter', reason: `affinity group ${instances.at(-1)}:fw-group has its members on ${name}, not on this host` }),
    );
  });

  test('an affinity group: the first VM goes where the whole group fits, not where only it does', async () => {
    // Host a keeps CPUs 6 and 7 (cell 0, with the VFs and the PMD core): room for one VM of 2
    // pinned vCPUs. 'pack' (the default) would take it first; its second VM could not follow.
    await changeHosts(`"reservedCpus" = '{0,1,2,3,4,5,8,9,10,11,12,13,14,15}'`, [hosts[0]!]);
    const { op, hostsOfVms } = await instantiatePair('affinity');
    expect(op).toMatchObject({ operationState: 'COMPLETED', error: null });
    expect(hostsOfVms).toEqual([hosts[1], hosts[1]]);
  });
});
