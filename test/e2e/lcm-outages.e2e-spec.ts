import { afterAll, beforeAll, describe, expect, jest, test } from '@jest/globals';
import type { INestApplication, INestApplicationContext } from '@nestjs/common';
import { Queue } from 'bullmq';
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { pino } from 'pino';
import { DataSource } from 'typeorm';
import { randomUUID } from 'node:crypto';
import { createWorker } from '../../apps/worker/src/bootstrap.js';
import { LcmReconcilerService } from '../../apps/worker/src/lcm/reconcile/lcm-reconciler.service.js';
import { RealLcmDrivers } from '../../apps/worker/src/lcm/drivers/real-lcm-drivers.js';
import type { HostRecord } from '../../apps/worker/src/lcm/pipeline/records.js';
import { domainNameFor } from '#vim/naming';
import { OvsdbClient, OvsdbSwitchDriver, ownerExternalIds, readSwitchInfo } from '#vim/ovs';
import { createDataSource, Role } from '#vim/persistence';
import { QUEUES } from '#vim/platform';
import { client, type Client, startApi, tokenFor } from '../support/api.js';
import { Gate, GatedLcmDrivers } from '../support/lcm-gate.js';
import { FaultyLcmDrivers } from '../support/lcm-faults.js';
import { insertSriovTestHost, SRIOV_NODE_URI } from '../support/lcm-fixture.js';
import { opIdOf } from '../support/lcm.js';
import { PrivatePostgres, PrivateRedis } from '../support/private-services.js';
import { minimalVnfd } from '../support/vnfd-builder.js';

jest.setTimeout(120_000);

/**
 * Lifecycle operations through Redis restarts and a Postgres outage. Redis and Postgres are this
 * suite's own (private-services.ts): the shared ones are never restarted. The api and the worker
 * run in this process against them, on libvirt's test:/// driver (domains live in the worker's
 * connection) and the Open vSwitch from deploy/local, whose ports are found by this run's instance
 * ids. A gate in front of the plug-ports step's OVSDB call freezes operations mid-step.
 */
const run = promisify(execFile);
const OVSDB = 'unix:/var/run/openvswitch/db.sock';
const FINAL = ['COMPLETED', 'ROLLED_BACK', 'FAILED_TEMP', 'FAILED'];

/**
 * One small VM: a shared (unpinned) vCPU, 128 MiB of small pages and one VIRTIO port on br-int.
 * The fixture host's one PMD core, VFs and dedicated CPUs are on NUMA cell 0 or split across
 * cells, which would hold fewer VMs at once than these tests run; their claims are memory and PMD
 * queue slots.
 */
function descriptor(id: string) {
  const document = minimalVnfd(id);
  const vnfd = document.vnfd as Record<string, any>;
  vnfd['virtual-compute-desc'][0] = { id: 'fw-compute', 'virtual-cpu': { 'num-virtual-cpu': 1 }, 'virtual-memory': { size: 0.125 } };
  vnfd.vdu[0]['int-cpd'] = vnfd.vdu[0]['int-cpd'].slice(0, 1);
  vnfd['ext-cpd'] = vnfd['ext-cpd'].slice(0, 1);
  return document;
}

describe('lifecycle operations through Redis and Postgres outages', () => {
  const ovs = new OvsdbSwitchDriver(OVSDB);
  const saved = { ...process.env };
  const instanceIds: string[] = [];
  let postgres: PrivatePostgres;
  let dir: string;
  let pmdCpu: number;

  beforeAll(async () => {
    postgres = await PrivatePostgres.start();
    await postgres.createDatabase('vim');
    const migrator = await createDataSource(postgres.url('vim')).initialize();
    await migrator.runMigrations({ transaction: 'each' });
    await migrator.destroy();
    dir = await mkdtemp(join(tmpdir(), 'vim-outages-'));
    await mkdir(join(dir, 'images'));
    await run('qemu-img', ['create', '-q', '-f', 'qcow2', join(dir, 'images', 'fw.qcow2'), '16M']);
    const ovsdb = await OvsdbClient.connect(OVSDB);
    try {
      [pmdCpu] = (await readSwitchInfo(ovsdb)).pmdCpus;
    } finally {
      ovsdb.close();
    }
    Object.assign(process.env, { DATABASE_URL: postgres.url('vim'), INVENTORY_REFRESH_SECONDS: '0', VM_STATE_SYNC_SECONDS: '0', LOG_LEVEL: 'silent' });
  });

  afterAll(async () => {
    // Ports of a failed run, found by the external ids they were given.
    for (const instanceId of instanceIds) {
      for (const port of await ovs.findPorts(ownerExternalIds(instanceId)).catch(() => [])) await ovs.removePorts(port.bridge, [port.name]).catch(() => undefined);
    }
    await ovs.close();
    await postgres?.stop();
    await rm(dir, { recursive: true, force: true });
    process.env = saved;
  });

  /** An api and a worker on `redis`, with their own queue prefix, and this suite's host and descriptor. */
  async function deployment(name: string, redis: PrivateRedis, reconcileSeconds: number) {
    Object.assign(process.env, { REDIS_URL: redis.url, QUEUE_PREFIX: `e2e-outage-${name}-${process.pid}`, RECONCILE_INTERVAL_SECONDS: String(reconcileSeconds) });
    const gate = new Gate();
    const faults = new FaultyLcmDrivers(new RealLcmDrivers());
    const drivers = new GatedLcmDrivers(faults, gate);
    const worker = await createWorker(pino({ level: process.env.OUTAGE_LOG ?? 'silent' }, pino.destination(2)), { lcmDrivers: drivers });
    const app = await startApi();
    const db = app.get(DataSource);
    lastDb = db;
    const api = client(app, await tokenFor(app, Role.PLATFORM_ADMIN));
    const host: HostRecord = {
      id: '', name: `outage-${name}-${process.pid}`, libvirtUri: SRIOV_NODE_URI, ovsdbRemote: OVSDB,
      vhostSocketDir: join(dir, 'vhost'), imageDir: join(dir, 'images'), disabledCpuFeatures: [], virtType: 'auto',
    };
    await db.query(`UPDATE hosts SET enabled = false`);
    host.id = await insertSriovTestHost(db, { ...host, pmdCpu });
    // Room for every port of the suite on the one PMD core (the fixture gives it 4 queues).
    await db.query(`UPDATE hosts SET "pmdQueueCapacity" = 16 WHERE id = $1`, [host.id]);
    const vnfdId = (await api.post('/api/v1/vnfds').send(descriptor(`outage-${name}`)).expect(201)).body.id as string;
    const queue = new Queue(QUEUES.lcm, { connection: { url: redis.url }, prefix: process.env.QUEUE_PREFIX });
    return { app, api, db, worker: worker as INestApplicationContext | undefined, drivers, gate, faults, host, vnfdId, queue };
  }

  type Deployment = Awaited<ReturnType<typeof deployment>>;
  type Started = { instanceId: string; opId: string };

  async function close(d: Deployment | undefined): Promise<void> {
    if (!d) return;
    // A failed test may leave steps at the gate; the worker waits for its active jobs when it closes.
    d.gate.open();
    await d.queue.close();
    await d.app.close();
    d.drivers.holdOpen = false;
    await d.worker?.close();
    if (!d.worker) await d.drivers.close();
  }

  /** The worker stops (its active jobs finish first, the gate opened meanwhile); its drivers stay open for the next one. */
  async function stopWorker(d: Deployment): Promise<void> {
    const closing = d.worker!.close();
    d.gate.open();
    await closing;
    d.worker = undefined;
  }

  async function startWorker(d: Deployment): Promise<void> {
    d.worker = await createWorker(pino({ level: process.env.OUTAGE_LOG ?? 'silent' }, pino.destination(2)), { lcmDrivers: d.drivers });
  }

  /** A new instance and its instantiation (202), on a VLAN of its own. */
  async function instantiate(d: Deployment, n: number): Promise<Started> {
    const instance = (await d.api.post('/api/v1/vnf_instances').send({ vnfdId: d.vnfdId, vnfInstanceName: `fw-${n}` }).expect(201)).body;
    instanceIds.push(instance.id);
    const bindings = { in: { bridge: 'br-int', vlan: 100 + n } };
    const res = await d.api.post(`/api/v1/vnf_instances/${instance.id}/instantiate`).send({ flavourId: 'default', extCpBindings: bindings }).expect(202);
    return { instanceId: instance.id, opId: opIdOf(res.headers.location) };
  }

  async function ops(d: Deployment, opIds: readonly string[]): Promise<Record<string, any>[]> {
    return (await d.db.query(`SELECT * FROM lcm_op_occs WHERE id = ANY($1::uuid[]) ORDER BY array_position($1::uuid[], id)`, [opIds])) as Record<string, any>[];
  }

  let lastDb: DataSource | undefined;
  const lastOps = async () => JSON.stringify(await lastDb?.query(`SELECT "operationState", "currentStep", error FROM lcm_op_occs ORDER BY "createdAt" DESC LIMIT 8`).catch(String));

  async function waitFor<T>(what: string, probe: () => Promise<T | undefined | false>, ms = 60_000): Promise<T> {
    const deadline = Date.now() + ms;
    for (;;) {
      const value = await probe().catch(() => undefined);
      if (value) return value;
      if (Date.now() > deadline) throw new Error(`still waiting for ${what} after ${ms} ms; ${await lastOps()}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** Every operation ended or waiting for the operator, in a state entered after `since` (an operator action stamps the time it was taken). */
  const settled = (d: Deployment, opIds: readonly string[], ms?: number, since = 0) =>
    waitFor(`operations ${opIds.join(', ')} to end`, async () => {
      const rows = await ops(d, opIds);
      return rows.every((op) => FINAL.includes(op.operationState) && op.stateEnteredTime.getTime() > since) && rows;
    }, ms);

  /** Terminates the instances, then checks that nothing of any is left: claims, VM rows, domains, ports, files. */
  async function terminateAndExpectNothingLeft(d: Deployment, instances: readonly string[], instantiated: readonly string[]): Promise<void> {
    const terminations: string[] = [];
    for (const instanceId of instantiated) {
      const res = await d.api.post(`/api/v1/vnf_instances/${instanceId}/terminate`).send({ terminationType: 'FORCEFUL' }).expect(202);
      terminations.push(opIdOf(res.headers.location));
    }
    expect((await settled(d, terminations)).map((op) => op.operationState)).toEqual(terminations.map(() => 'COMPLETED'));
    const count = async (sql: string, args: unknown[]) => Number(((await d.db.query(sql, args)) as { n: string }[])[0]!.n);
    expect(await count(`SELECT count(*) AS n FROM resource_claims WHERE "hostId" = $1`, [d.host.id])).toBe(0);
    expect(await count(`SELECT count(*) AS n FROM vdu_instances WHERE "vnfInstanceId" = ANY($1::uuid[])`, [instances])).toBe(0);
    expect(await d.faults.real.hypervisor(d.host).listDomainNames('vim-')).toEqual([]);
    for (const instanceId of instances) expect(await ovs.findPorts(ownerExternalIds(instanceId))).toEqual([]);
    expect(await readdir(join(dir, 'images', 'instances')).catch(() => [])).toEqual([]);
  }

  /**
   * Six instantiations frozen in plug-ports, the first to go on failing there (an injected OVSDB
   * fault), then the worker stopped, so that each one's next job waits in Redis: five launch jobs
   * and one rollback; and a seventh instantiation whose start job waits too.
   */
  async function sevenWaitingJobs(d: Deployment): Promise<{ instances: string[]; opIds: string[] }> {
    d.gate.close();
    const started: Started[] = [];
    for (let n = 0; n < 6; n++) started.push(await instantiate(d, n));
    await waitFor('six plug-ports steps at the gate', async () => d.gate.pending === 6);
    d.faults.failNext('ports');
    await stopWorker(d);
    await waitFor('five operations due at launch and one rolling back', async () => {
      const states = (await ops(d, started.map((s) => s.opId))).map((op) => `${op.operationState}:${op.currentStep}`).sort();
      return states.join() === ['PROCESSING:launch', 'PROCESSING:launch', 'PROCESSING:launch', 'PROCESSING:launch', 'PROCESSING:launch', 'ROLLING_BACK:rollback'].join();
    });
    started.push(await instantiate(d, 6));
    await waitFor('seven waiting jobs', async () => (await d.queue.getWaitingCount()) === 7 && (await d.queue.getActiveCount()) === 0);
    return { instances: started.map((s) => s.instanceId), opIds: started.map((s) => s.opId) };
  }

  /** Six COMPLETED, and the one whose plug-ports failed ROLLED_BACK with the reason. */
  function expectEveryOneEnded(rows: Record<string, any>[]): string[] {
    const rolledBack = rows.filter((op) => op.operationState === 'ROLLED_BACK');
    expect(rows.filter((op) => op.operationState === 'COMPLETED')).toHaveLength(6);
    expect(rolledBack).toHaveLength(1);
    expect(rolledBack[0]!.error).toMatchObject({ type: 'urn:vim:problem:ovsdb', step: 'plug-ports', detail: expect.stringContaining('injected fault') });
    return rows.filter((op) => op.operationState === 'COMPLETED').map((op) => op.vnfInstanceId as string);
  }

  describe('Redis with an append-only file (BullMQ production settings), reconciler off', () => {
    let redis: PrivateRedis;
    let d: Deployment | undefined;

    beforeAll(async () => {
      redis = await PrivateRedis.start(true);
      d = await deployment('aof', redis, 0);
    });

    afterAll(async () => {
      await close(d);
      await redis?.stop();
    });

    test('a restart with seven jobs waiting loses none: every operation ends, and nothing is left after terminate', async () => {
      const { instances, opIds } = await sevenWaitingJobs(d!);
      await redis.restart('SIGTERM');
      expect(await d!.queue.getWaitingCount()).toBe(7);
      await startWorker(d!);
      const done = expectEveryOneEnded(await settled(d!, opIds));
      await terminateAndExpectNothingLeft(d!, instances, done);
    });
  });

  describe('Redis without persistence: the reconciler re-creates what the restart lost', () => {
    let redis: PrivateRedis;
    let d: Deployment | undefined;

    beforeAll(async () => {
      redis = await PrivateRedis.start(false);
      d = await deployment('plain', redis, 30);
    });

    afterAll(async () => {
      await close(d);
      await redis?.stop();
    });

    test('seven lost jobs (five launch steps, a rollback, a start): every operation ends, and nothing is left after terminate', async () => {
      const { instances, opIds } = await sevenWaitingJobs(d!);
      await redis.restart('SIGKILL');
      const restarted = Date.now();
      expect(await d!.queue.getWaitingCount()).toBe(0);
      await startWorker(d!);
      const workerUp = Date.now();
      const rows = await settled(d!, opIds);
      // Figures for the README (not asserted): how long until every operation whose job was lost ended.
      process.stderr.write(`lcm-outages: 7 operations whose jobs Redis lost ended ${Date.now() - restarted} ms after Redis came back (worker up after ${workerUp - restarted} ms)\n`);
      const done = expectEveryOneEnded(rows);
      await terminateAndExpectNothingLeft(d!, instances, done);
    });

    test('a cancel whose job Redis then lost is acted on once the reconciler re-creates the job; a retry then completes', async () => {
      await stopWorker(d!);
      const { instanceId, opId } = await instantiate(d!, 7);
      const cancel = await d!.api.post(`/api/v1/vnf_lcm_op_occs/${opId}/cancel`).expect(202);
      expect(cancel.body).toMatchObject({ operationState: 'STARTING', isCancelPending: true });
      await redis.restart('SIGKILL');
      await startWorker(d!);
      const [cancelled] = await settled(d!, [opId]);
      expect(cancelled).toMatchObject({ operationState: 'FAILED_TEMP', isCancelPending: false, error: { type: 'urn:vim:problem:lcm-cancelled' } });
      expect((await d!.api.get(`/api/v1/vnf_lcm_op_occs/${opId}`).expect(200)).body._links).toHaveProperty('retry');

      const decided = Date.parse((await d!.api.post(`/api/v1/vnf_lcm_op_occs/${opId}/retry`).expect(202)).body.stateEnteredTime);
      const [retried] = await settled(d!, [opId], 30_000, decided);
      expect(retried).toMatchObject({ operationState: 'COMPLETED', error: null });
      await terminateAndExpectNothingLeft(d!, [instanceId], [instanceId]);
    });

    test('a cancel while a step runs: the step finishes, the operation stops FAILED_TEMP before the next; rollback leaves nothing', async () => {
      d!.gate.close();
      const { instanceId, opId } = await instantiate(d!, 8);
      await waitFor('plug-ports at the gate', async () => d!.gate.pending === 1);
      await d!.api.post(`/api/v1/vnf_lcm_op_occs/${opId}/cancel`).expect(202);
      d!.gate.open();
      const [cancelled] = await settled(d!, [opId]);
      expect(cancelled).toMatchObject({ operationState: 'FAILED_TEMP', currentStep: 'launch', error: { type: 'urn:vim:problem:lcm-cancelled', step: 'launch' } });
      expect(await ovs.findPorts(ownerExternalIds(instanceId))).toHaveLength(1);
      expect(await d!.faults.real.hypervisor(d!.host).listDomainNames('vim-')).toEqual([]);

      const decided = Date.parse((await d!.api.post(`/api/v1/vnf_lcm_op_occs/${opId}/rollback`).expect(202)).body.stateEnteredTime);
      const [rolledBack] = await settled(d!, [opId], 30_000, decided);
      expect(rolledBack.operationState).toBe('ROLLED_BACK');
      await terminateAndExpectNothingLeft(d!, [instanceId], []);
    });
  });

  describe('leftovers', () => {
    let redis: PrivateRedis;
    let d: Deployment | undefined;
    const foreign = domainNameFor(randomUUID());

    beforeAll(async () => {
      redis = await PrivateRedis.start(true);
      d = await deployment('left', redis, 30);
    });

    afterAll(async () => {
      await d?.faults.real.hypervisor(d.host).undefineDomain(foreign).catch(() => undefined);
      await close(d);
      await redis?.stop();
    });

    test("what a failed instantiation left is rolled back by the reconciler's next pass; a domain it cannot attribute is reported and kept", async () => {
      d!.gate.close();
      const { instanceId, opId } = await instantiate(d!, 0);
      await waitFor('plug-ports at the gate', async () => d!.gate.pending === 1);
      await d!.api.post(`/api/v1/vnf_lcm_op_occs/${opId}/cancel`).expect(202);
      d!.gate.open();
      await settled(d!, [opId]);
      expect((await d!.api.post(`/api/v1/vnf_lcm_op_occs/${opId}/fail`).expect(200)).body.operationState).toBe('FAILED');
      const claims = async () => Number((await d!.db.query(`SELECT count(*) AS n FROM resource_claims WHERE "hostId" = $1`, [d!.host.id]))[0].n);
      expect(await claims()).toBeGreaterThan(0);
      expect(await ovs.findPorts(ownerExternalIds(instanceId))).toHaveLength(1);
      // A domain named as this product names them, of a VM this database does not know (another deployment's, say).
      await d!.faults.real.hypervisor(d!.host).defineDomain(`<domain type='test'><name>${foreign}</name><memory>131072</memory><os><type>hvm</type></os></domain>`);

      const pass = await d!.worker!.get(LcmReconcilerService).pass();
      // Earlier deployments of this suite registered hosts on the same test:/// node: one of them is named.
      expect(pass?.leftovers?.unattributed).toEqual([{ kind: 'domain', name: foreign, host: expect.stringMatching(/^outage-/), vmId: foreign.slice(4) }]);
      const cleanup = await waitFor('the automatic rollback', async () => {
        const [op] = await d!.db.query(`SELECT * FROM lcm_op_occs WHERE "vnfInstanceId" = $1 AND "isAutomaticInvocation"`, [instanceId]);
        return op?.operationState === 'ROLLED_BACK' && op;
      });
      expect(cleanup).toMatchObject({ operation: 'INSTANTIATE', error: { title: 'Leftovers of an instantiation' } });
      expect((await d!.api.get(`/api/v1/vnf_lcm_op_occs/${cleanup.id}`).expect(200)).body).toMatchObject({ isAutomaticInvocation: true, operationState: 'ROLLED_BACK' });
      expect(await d!.faults.real.hypervisor(d!.host).listDomainNames('vim-')).toEqual([foreign]);
      expect(await claims()).toBe(0);
      expect(await ovs.findPorts(ownerExternalIds(instanceId))).toEqual([]);

      // What the failed attempt held is free again: the instance instantiates afresh.
      const again = opIdOf((await d!.api.post(`/api/v1/vnf_instances/${instanceId}/instantiate`).send({ flavourId: 'default', extCpBindings: { in: { bridge: 'br-int', vlan: 100 } } }).expect(202)).headers.location);
      expect((await settled(d!, [again]))[0]!.operationState).toBe('COMPLETED');
      await d!.faults.real.hypervisor(d!.host).undefineDomain(foreign);
      await terminateAndExpectNothingLeft(d!, [instanceId], [instanceId]);
    });
  });

  describe('Postgres stopped while operations run', () => {
    let redis: PrivateRedis;
    let d: Deployment | undefined;

    beforeAll(async () => {
      redis = await PrivateRedis.start(true);
      // A short interval: only the periodic pass finds jobs an outage failed (Redis never went away).
      d = await deployment('pg', redis, 2);
    });

    afterAll(async () => {
      await close(d);
      await redis?.stop();
    });

    test('steps in flight retry, and start jobs whose only attempt met the outage are retried by the reconciler: every operation completes', async () => {
      // Eight steps at the gate take every slot of the worker (lcm concurrency 8): the next three start jobs wait.
      d!.gate.close();
      const inFlight: Started[] = [];
      for (let n = 0; n < 8; n++) inFlight.push(await instantiate(d!, n));
      await waitFor('eight plug-ports steps at the gate', async () => d!.gate.pending === 8);
      const waiting: Started[] = [];
      for (let n = 8; n < 11; n++) waiting.push(await instantiate(d!, n));
      const startJobs = waiting.map((w) => `op-${w.opId}-start-0`);
      expect(await Promise.all(startJobs.map((id) => d!.queue.getJobState(id)))).toEqual(['waiting', 'waiting', 'waiting']);

      await postgres.down();
      d!.gate.open();
      await waitFor('the three start jobs failed', async () => (await Promise.all(startJobs.map((id) => d!.queue.getJobState(id)))).every((s) => s === 'failed'));
      await postgres.up();

      const all = [...inFlight, ...waiting];
      const rows = await settled(d!, all.map((o) => o.opId));
      expect(rows.map((op) => [op.operationState, op.error])).toEqual(all.map(() => ['COMPLETED', null]));
      await terminateAndExpectNothingLeft(d!, all.map((o) => o.instanceId), all.map((o) => o.instanceId));
    });
  });
});
