import { afterAll, beforeAll, describe, expect, jest, test } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import type { AddressInfo } from 'node:net';
import type request from 'supertest';
import { DataSource } from 'typeorm';
import { LcmEventStream } from '../../apps/api/src/lcm/lcm-event-stream.service.js';
import { LcmJobs } from '../../apps/api/src/lcm/lcm-jobs.service.js';
import { LcmOperations } from '../../apps/api/src/lcm/lcm-operations.service.js';
import { AppConfig } from '#vim/config';
import { type LcmEvent, lcmEventChannel, RUN_OP_JOB, runOpJobId } from '#vim/lcm';
import { Role } from '#vim/persistence';
import { QUEUES } from '#vim/platform';
import { client, type Client, isolateQueues, startApi, tokenFor } from '../support/api.js';
import { insertHosts } from '../support/fleet-fixture.js';
import { openEventStream } from '../support/sse.js';
import { minimalVnfd } from '../support/vnfd-builder.js';

jest.setTimeout(30_000);

// minimalVnfd: ext-cpd `in` leads to a VIRTIO port (a bridge), `out` to an SR-IOV one (a physnet).
const VALID = { flavourId: 'default', extCpBindings: { in: { bridge: 'br-int', vlan: 100 }, out: { physnet: 'sriov-a' } } };
const UNKNOWN = '6f1e9c1a-0000-4000-8000-000000000000';

type Problem = { detail: string; errors?: { path: string; message: string }[]; [key: string]: unknown };

describe('VNF lifecycle API (no worker)', () => {
  let app: INestApplication;
  let db: DataSource;
  let queue: Queue;
  let publisher: Redis;
  let prefix: string;
  let restoreQueues: () => void;
  let tenantA: string;
  let tenantB: string;
  let operator: Client;
  let viewer: Client;
  let viewerSecret: string;
  let otherTenant: Client;
  let vnfdId: string;
  let hostId: string;

  const json = (c: Client, url: string, body: unknown) => c.post(url).set('content-type', 'application/json').send(JSON.stringify(body));
  const problem = (res: request.Response) => res.body as Problem;
  const pathsOf = (res: request.Response) => (problem(res).errors ?? []).map((e) => e.path);
  const opCount = async (instanceId: string) => Number((await db.query('SELECT count(*) AS n FROM lcm_op_occs WHERE "vnfInstanceId" = $1', [instanceId]))[0].n);
  const setOpState = (opId: string, state: string) => db.query(`UPDATE lcm_op_occs SET "operationState" = $2 WHERE id = $1`, [opId, state]);
  const setInstanceState = (id: string, state: string) => db.query(`UPDATE vnf_instances SET "instantiationState" = $2, "flavourId" = 'default' WHERE id = $1`, [id, state]);

  async function newInstance(name = 'fw-1'): Promise<string> {
    const res = await json(operator, '/api/v1/vnf_instances', { vnfdId, vnfInstanceName: name }).expect(201);
    return res.body.id;
  }

  /** An instance with a STARTING instantiate operation (and its job). */
  async function instantiating(): Promise<{ instanceId: string; opId: string }> {
    const instanceId = await newInstance();
    const res = await json(operator, `/api/v1/vnf_instances/${instanceId}/instantiate`, VALID).expect(202);
    return { instanceId, opId: res.body.id };
  }

  beforeAll(async () => {
    restoreQueues = isolateQueues('lcmapi');
    app = await startApi();
    db = app.get(DataSource);
    const config = app.get(AppConfig);
    prefix = config.QUEUE_PREFIX;
    queue = new Queue(QUEUES.lcm, { connection: { url: config.REDIS_URL }, prefix });
    publisher = new Redis(config.REDIS_URL);
    [{ id: tenantA }] = await db.query(`INSERT INTO tenants (name) VALUES ('lcmapi-a-' || gen_random_uuid()) RETURNING id`);
    [{ id: tenantB }] = await db.query(`INSERT INTO tenants (name) VALUES ('lcmapi-b-' || gen_random_uuid()) RETURNING id`);
    operator = client(app, await tokenFor(app, Role.OPERATOR, tenantA));
    viewerSecret = await tokenFor(app, Role.VIEWER, tenantA);
    viewer = client(app, viewerSecret);
    otherTenant = client(app, await tokenFor(app, Role.ADMIN, tenantB));
    vnfdId = (await json(operator, '/api/v1/vnfds', minimalVnfd()).expect(201)).body.id;
    [hostId] = await insertHosts(db, [{ name: `lcmapi-${process.pid}` }]);
  });

  afterAll(async () => {
    await app?.close();
    await queue?.obliterate({ force: true }).catch(() => undefined);
    await queue?.close();
    publisher?.disconnect();
    restoreQueues();
  });

  describe('instances', () => {
    test('create, get, list with filters and pages, delete', async () => {
      const created = await json(operator, '/api/v1/vnf_instances', { vnfdId, vnfInstanceName: 'fw-a', vnfInstanceDescription: 'edge\nsite 1' }).expect(201);
      expect(created.headers.location).toBe(`/api/v1/vnf_instances/${created.body.id}`);
      expect(created.body).toMatchObject({
        vnfInstanceName: 'fw-a',
        vnfInstanceDescription: 'edge\nsite 1',
        vnfdId,
        vnfdVersion: '1.0',
        vnfProvider: 'Acme',
        vnfProductName: 'acme-fw',
        instantiationState: 'NOT_INSTANTIATED',
      });
      expect(created.body).not.toHaveProperty('instantiatedVnfInfo');
      expect((await viewer.get(created.headers.location).expect(200)).body).toEqual(created.body);

      const second = await newInstance('fw-b');
      await setInstanceState(second, 'INSTANTIATED');
      const page = await viewer.get(`/api/v1/vnf_instances?limit=1&offset=1&vnfdId=${vnfdId}`).expect(200);
      expect(page.body).toMatchObject({ limit: 1, offset: 1 });
      expect(page.body.total).toBeGreaterThanOrEqual(2);
      const instantiated = await viewer.get('/api/v1/vnf_instances?instantiationState=INSTANTIATED&limit=200').expect(200);
      expect(instantiated.body.items.map((i: { id: string }) => i.id)).toContain(second);
      expect(instantiated.body.items.map((i: { id: string }) => i.id)).not.toContain(created.body.id);
      const bad = await viewer.get('/api/v1/vnf_instances?limit=0&instantiationState=MAYBE&colour=red').expect(400);
      expect(pathsOf(bad).sort()).toEqual(['/colour', '/instantiationState', '/limit']);

      await operator.delete(created.headers.location).expect(204);
      await viewer.get(created.headers.location).expect(404);
      const refused = await operator.delete(`/api/v1/vnf_instances/${second}`).expect(409);
      expect(problem(refused).detail).toMatch(/INSTANTIATED/);
    });

    test('an instantiated instance shows its flavour, bindings and VMs with host, NUMA cell, domain and ports', async () => {
      const id = await newInstance();
      await db.query(`UPDATE vnf_instances SET "instantiationState" = 'INSTANTIATED', "flavourId" = 'default', "extCpBindings" = $2 WHERE id = $1`, [
        id,
        JSON.stringify(VALID.extCpBindings),
      ]);
      const ports = [{ cpdId: 'in-int', kind: 'vhostuser', name: 'vhu-x', bridge: 'br-int', vlan: 100 }];
      const [vm] = await db.query(
        `INSERT INTO vdu_instances ("vnfInstanceId", "vduId", "hostId", "numaCell", state, "domainName", ports) VALUES ($1, 'fw-vdu', $2, 1, 'ACTIVE', $3, $4) RETURNING id`,
        [id, hostId, `vim-lcmapi-${id}`, JSON.stringify(ports)],
      );
      await db.query(`INSERT INTO resource_claims ("hostId", "vduInstanceId", kind, "resourceKey", "numaCell") VALUES ($1, $2, 'CPU', '11', 1), ($1, $2, 'CPU', '9', 1)`, [hostId, vm.id]);
      const res = await viewer.get(`/api/v1/vnf_instances/${id}`).expect(200);
      expect(res.body.instantiatedVnfInfo).toMatchObject({
        flavourId: 'default',
        extCpBindings: VALID.extCpBindings,
        vnfcResourceInfo: [{ vduId: 'fw-vdu', state: 'ACTIVE', hostId, hostName: `lcmapi-${process.pid}`, numaCell: 1, pinnedCpus: [9, 11], domainName: `vim-lcmapi-${id}`, ports }],
      });
      await db.query(`DELETE FROM resource_claims WHERE "vduInstanceId" = $1`, [vm.id]);
    });

    test('the descriptor must exist in the tenant and be ENABLED; bad bodies name each field', async () => {
      const unknown = await json(operator, '/api/v1/vnf_instances', { vnfdId: UNKNOWN }).expect(400);
      expect(pathsOf(unknown)).toEqual(['/vnfdId']);
      const foreign = await json(otherTenant, '/api/v1/vnf_instances', { vnfdId }).expect(400);
      expect(pathsOf(foreign)).toEqual(['/vnfdId']);
      const bad = await json(operator, '/api/v1/vnf_instances', { vnfdId: 'fw', vnfInstanceName: 'a\u0000b', extra: 1 }).expect(400);
      expect(pathsOf(bad).sort()).toEqual(['/extra', '/vnfInstanceName', '/vnfdId']);

      const disabled = (await json(operator, '/api/v1/vnfds', minimalVnfd('disabled-fw')).expect(201)).body.id;
      await operator.patch(`/api/v1/vnfds/${disabled}`).send({ operationalState: 'DISABLED' }).expect(200);
      const refused = await json(operator, '/api/v1/vnf_instances', { vnfdId: disabled }).expect(409);
      expect(problem(refused).detail).toMatch(/DISABLED/);
    });

    test("another tenant's instance and operation are 404, and not listed", async () => {
      const { instanceId, opId } = await instantiating();
      await otherTenant.get(`/api/v1/vnf_instances/${instanceId}`).expect(404);
      await otherTenant.delete(`/api/v1/vnf_instances/${instanceId}`).expect(404);
      await json(otherTenant, `/api/v1/vnf_instances/${instanceId}/instantiate`, VALID).expect(404);
      await json(otherTenant, `/api/v1/vnf_instances/${instanceId}/terminate`, { terminationType: 'FORCEFUL' }).expect(404);
      await otherTenant.get(`/api/v1/vnf_lcm_op_occs/${opId}`).expect(404);
      await otherTenant.post(`/api/v1/vnf_lcm_op_occs/${opId}/fail`).expect(404);
      expect((await otherTenant.get('/api/v1/vnf_instances').expect(200)).body.items).toEqual([]);
      expect((await otherTenant.get('/api/v1/vnf_lcm_op_occs').expect(200)).body.items).toEqual([]);
      await viewer.get('/api/v1/vnf_instances/not-a-uuid').expect(404);
      await viewer.get('/api/v1/vnf_lcm_op_occs/not-a-uuid').expect(404);
      await json(otherTenant, '/api/v1/vnf_instances/not-a-uuid/terminate', { terminationType: 'FORCEFUL' }).expect(404);
    });

    test('a viewer reads but cannot create, act or delete', async () => {
      const { instanceId, opId } = await instantiating();
      await json(viewer, '/api/v1/vnf_instances', { vnfdId }).expect(403);
      await json(viewer, `/api/v1/vnf_instances/${instanceId}/terminate`, { terminationType: 'FORCEFUL' }).expect(403);
      await viewer.post(`/api/v1/vnf_lcm_op_occs/${opId}/retry`).expect(403);
      await viewer.delete(`/api/v1/vnf_instances/${instanceId}`).expect(403);
      await viewer.get(`/api/v1/vnf_lcm_op_occs/${opId}`).expect(200);
    });
  });

  describe('instantiate', () => {
    test.each([
      ['an unknown flavour', '/flavourId', { ...VALID, flavourId: 'gold' }],
      ['a missing binding', '/extCpBindings/out', { ...VALID, extCpBindings: { in: VALID.extCpBindings.in } }],
      ['a bridge on the SR-IOV cpd', '/extCpBindings/out/bridge', { ...VALID, extCpBindings: { ...VALID.extCpBindings, out: { bridge: 'br-int' } } }],
      ['a VLAN out of range', '/extCpBindings/in/vlan', { ...VALID, extCpBindings: { ...VALID.extCpBindings, in: { bridge: 'br-int', vlan: 4095 } } }],
      ['an unknown instantiation level', '/instantiationLevelId', { ...VALID, instantiationLevelId: 'huge' }],
      ['no bindings at all', '/extCpBindings', { flavourId: 'default' }],
    ])('%s: 400 naming %s, nothing written or queued', async (_what, path, body) => {
      const instanceId = await newInstance();
      const queued = await queue.count();
      const res = await json(operator, `/api/v1/vnf_instances/${instanceId}/instantiate`, body).expect(400);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(pathsOf(res)).toContain(path);
      expect(await opCount(instanceId)).toBe(0);
      expect(await queue.count()).toBe(queued);
      expect((await viewer.get(`/api/v1/vnf_instances/${instanceId}`)).body.instantiationState).toBe('NOT_INSTANTIATED');
    });

    test('202, Location of a STARTING operation, and its start job on the lcm queue', async () => {
      const instanceId = await newInstance();
      const res = await json(operator, `/api/v1/vnf_instances/${instanceId}/instantiate`, VALID).expect(202);
      const opId = res.body.id as string;
      expect(res.headers.location).toBe(`/api/v1/vnf_lcm_op_occs/${opId}`);
      const op = await viewer.get(res.headers.location).expect(200);
      expect(op.body).toMatchObject({
        id: opId,
        vnfInstanceId: instanceId,
        operation: 'INSTANTIATE',
        operationState: 'STARTING',
        isAutomaticInvocation: false,
        isCancelPending: false,
        operationParams: VALID,
        error: null,
        currentStep: null,
        timings: {},
      });
      expect(Date.parse(op.body.startTime)).not.toBeNaN();
      const job = await queue.getJob(runOpJobId(opId, 'start', 0));
      expect(job?.name).toBe(RUN_OP_JOB);
      expect(job?.data).toEqual({ opId, action: 'start' });
      const listed = await viewer.get(`/api/v1/vnf_lcm_op_occs?vnfInstanceId=${instanceId}&operationState=STARTING&operation=INSTANTIATE`).expect(200);
      expect(listed.body).toMatchObject({ total: 1, items: [{ id: opId }] });
      expect((await viewer.get(`/api/v1/vnf_lcm_op_occs?vnfInstanceId=${instanceId}&operation=HEAL`).expect(200)).body.total).toBe(0);
    });

    test('one operation at a time: a second one, or a DELETE, is a 409 naming the active operation', async () => {
      const { instanceId, opId } = await instantiating();
      for (const res of [
        await json(operator, `/api/v1/vnf_instances/${instanceId}/instantiate`, VALID).expect(409),
        await json(operator, `/api/v1/vnf_instances/${instanceId}/terminate`, { terminationType: 'FORCEFUL' }).expect(409),
        await operator.delete(`/api/v1/vnf_instances/${instanceId}`).expect(409),
      ]) {
        expect(problem(res)).toMatchObject({ activeOperationId: opId, activeOperation: `/api/v1/vnf_lcm_op_occs/${opId}` });
        expect(problem(res).detail).toContain(opId);
      }
      expect(await opCount(instanceId)).toBe(1);
    });

    test('two concurrent instantiations: exactly one wins', async () => {
      const instanceId = await newInstance();
      const answers = await Promise.all([1, 2, 3].map(() => json(operator, `/api/v1/vnf_instances/${instanceId}/instantiate`, VALID)));
      expect(answers.map((r) => r.status).sort()).toEqual([202, 409, 409]);
      expect(await opCount(instanceId)).toBe(1);
    });

    test('only NOT_INSTANTIATED: 409 naming the state', async () => {
      const instanceId = await newInstance();
      await setInstanceState(instanceId, 'INSTANTIATED');
      const res = await json(operator, `/api/v1/vnf_instances/${instanceId}/instantiate`, VALID).expect(409);
      expect(problem(res)).toMatchObject({ instantiationState: 'INSTANTIATED' });
      expect(await opCount(instanceId)).toBe(0);
    });

    test('a queue that does not take the job: 503, the operation FAILED with the cause, the instance free again', async () => {
      const instanceId = await newInstance();
      const enqueue = jest.spyOn(app.get(LcmJobs), 'enqueue').mockRejectedValueOnce(new Error('Connection is closed.'));
      try {
        const res = await json(operator, `/api/v1/vnf_instances/${instanceId}/instantiate`, VALID).expect(503);
        expect(res.headers['retry-after']).toBe('5');
        const opId = problem(res).operationId as string;
        const op = await viewer.get(`/api/v1/vnf_lcm_op_occs/${opId}`).expect(200);
        expect(op.body.operationState).toBe('FAILED');
        expect(op.body.error).toMatchObject({ status: 503, detail: expect.stringContaining('Connection is closed.') });
      } finally {
        enqueue.mockRestore();
      }
      await json(operator, `/api/v1/vnf_instances/${instanceId}/instantiate`, VALID).expect(202);
    });
  });

  describe('terminate and heal', () => {
    test('terminate: 409 unless INSTANTIATED; 202 with its job; a second one names the first', async () => {
      const instanceId = await newInstance();
      const early = await json(operator, `/api/v1/vnf_instances/${instanceId}/terminate`, { terminationType: 'GRACEFUL' }).expect(409);
      expect(problem(early)).toMatchObject({ instantiationState: 'NOT_INSTANTIATED' });
      await setInstanceState(instanceId, 'INSTANTIATED');
      const bad = await json(operator, `/api/v1/vnf_instances/${instanceId}/terminate`, { terminationType: 'FORCEFUL', gracefulTerminationTimeout: 30 }).expect(400);
      expect(pathsOf(bad)).toEqual(['/gracefulTerminationTimeout']);

      const res = await json(operator, `/api/v1/vnf_instances/${instanceId}/terminate`, { terminationType: 'GRACEFUL', gracefulTerminationTimeout: 30 }).expect(202);
      expect(res.headers.location).toBe(`/api/v1/vnf_lcm_op_occs/${res.body.id}`);
      expect(res.body).toMatchObject({ operation: 'TERMINATE', operationState: 'STARTING', operationParams: { terminationType: 'GRACEFUL', gracefulTerminationTimeout: 30 } });
      expect((await queue.getJob(runOpJobId(res.body.id, 'start', 0)))?.data).toEqual({ opId: res.body.id, action: 'start' });
      const again = await json(operator, `/api/v1/vnf_instances/${instanceId}/terminate`, { terminationType: 'FORCEFUL' }).expect(409);
      expect(problem(again).activeOperationId).toBe(res.body.id);
    });

    test("heal: only the instance's VMs; same-host when not told", async () => {
      const instanceId = await newInstance();
      await setInstanceState(instanceId, 'INSTANTIATED');
      const [{ id: vm }] = await db.query(`INSERT INTO vdu_instances ("vnfInstanceId", "vduId") VALUES ($1, 'fw-vdu') RETURNING id`, [instanceId]);
      const foreign = await json(operator, `/api/v1/vnf_instances/${instanceId}/heal`, { vduInstanceIds: [vm, UNKNOWN] }).expect(400);
      expect(pathsOf(foreign)).toEqual(['/vduInstanceIds/1']);
      expect(await opCount(instanceId)).toBe(0);

      const named = await json(operator, `/api/v1/vnf_instances/${instanceId}/heal`, { vduInstanceIds: [vm], cause: 'NIC flaps' }).expect(202);
      expect(named.body).toMatchObject({ operation: 'HEAL', operationParams: { vduInstanceIds: [vm], target: 'same-host', cause: 'NIC flaps' } });
      await setOpState(named.body.id, 'COMPLETED');
      const all = await json(operator, `/api/v1/vnf_instances/${instanceId}/heal`, { target: 'any-host' }).expect(202);
      expect(all.body.operationParams).toEqual({ target: 'any-host' });
    });
  });

  describe('operator actions', () => {
    test('retry, rollback and fail outside FAILED_TEMP: 409 naming the state', async () => {
      const { opId } = await instantiating();
      for (const action of ['retry', 'rollback', 'fail']) {
        const res = await operator.post(`/api/v1/vnf_lcm_op_occs/${opId}/${action}`).expect(409);
        expect(problem(res)).toMatchObject({ operationState: 'STARTING' });
        expect(problem(res).detail).toContain(`in state STARTING cannot ${action}`);
      }
    });

    test('cancel: 202 marks a running operation for the worker (once, whoever asks again); other states 409; unknown or foreign 404', async () => {
      const { instanceId, opId } = await instantiating();
      const stream = await openEventStream(app, viewerSecret, `?vnfInstanceId=${instanceId}`);
      try {
        expect(Object.keys((await viewer.get(`/api/v1/vnf_lcm_op_occs/${opId}`)).body._links).sort()).toEqual(['cancel', 'self', 'vnfInstance']);
        for (const state of ['STARTING', 'PROCESSING', 'ROLLING_BACK']) {
          await setOpState(opId, state);
          const res = await operator.post(`/api/v1/vnf_lcm_op_occs/${opId}/cancel`).expect(202);
          expect(res.body).toMatchObject({ id: opId, operationState: state, isCancelPending: true });
          expect(Object.keys(res.body._links).sort()).toEqual(['self', 'vnfInstance']);
        }
        await stream.until(() => stream.text().includes('"isCancelPending":true'));
        const text = stream.text();
        expect(text).toMatch(new RegExp(`"opId":"${opId}".*"isCancelPending":true`));
      } finally {
        stream.close();
      }
      await viewer.post(`/api/v1/vnf_lcm_op_occs/${opId}/cancel`).expect(403);
      await otherTenant.post(`/api/v1/vnf_lcm_op_occs/${opId}/cancel`).expect(404);
      await operator.post(`/api/v1/vnf_lcm_op_occs/${UNKNOWN}/cancel`).expect(404);
      await operator.post('/api/v1/vnf_lcm_op_occs/not-a-uuid/cancel').expect(404);
      for (const state of ['FAILED_TEMP', 'COMPLETED', 'ROLLED_BACK', 'FAILED']) {
        await setOpState(opId, state);
        const res = await operator.post(`/api/v1/vnf_lcm_op_occs/${opId}/cancel`).expect(409);
        expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
        expect(problem(res)).toMatchObject({ status: 409, operationState: state });
        expect(problem(res).detail).toContain(`in state ${state} cannot cancel (only STARTING, PROCESSING, ROLLING_BACK can)`);
      }
    });

    test('fail: FAILED_TEMP -> FAILED at once, and the instance is free for a new operation', async () => {
      const { instanceId, opId } = await instantiating();
      await setOpState(opId, 'FAILED_TEMP');
      expect(Object.keys((await viewer.get(`/api/v1/vnf_lcm_op_occs/${opId}`)).body._links)).toEqual(expect.arrayContaining(['retry', 'rollback', 'fail']));
      const res = await operator.post(`/api/v1/vnf_lcm_op_occs/${opId}/fail`).expect(200);
      expect(res.body.operationState).toBe('FAILED');
      expect((await operator.post(`/api/v1/vnf_lcm_op_occs/${opId}/fail`).expect(409)).body.operationState).toBe('FAILED');
      await json(operator, `/api/v1/vnf_instances/${instanceId}/instantiate`, VALID).expect(202);
    });

    test('retry and rollback: 202, the operation left FAILED_TEMP for the worker, and a job of its own each time', async () => {
      const { opId } = await instantiating();
      await setOpState(opId, 'FAILED_TEMP');
      const actionJobs = async () => (await queue.getJobs(['waiting'])).filter((j) => j.data.opId === opId && j.data.action !== 'start');
      const decisions: string[] = [];
      for (const action of ['retry', 'retry', 'rollback']) {
        const res = await operator.post(`/api/v1/vnf_lcm_op_occs/${opId}/${action}`).expect(202);
        expect(res.body.operationState).toBe('FAILED_TEMP');
        decisions.push(res.body.stateEnteredTime);
        const job = (await actionJobs()).find((j) => j.id === runOpJobId(opId, action as 'retry' | 'rollback', Date.parse(res.body.stateEnteredTime)));
        // The worker applies an action only to a failure older than the job.
        expect(job?.timestamp).toBe(Date.parse(res.body.stateEnteredTime));
      }
      expect(new Set(decisions).size).toBe(3);
      expect((await actionJobs()).map((j) => j.data.action).sort()).toEqual(['retry', 'retry', 'rollback']);
    });

    test('a failed terminate cannot be rolled back (409 naming the operation); it can be retried', async () => {
      const instanceId = await newInstance();
      await setInstanceState(instanceId, 'INSTANTIATED');
      const opId = (await json(operator, `/api/v1/vnf_instances/${instanceId}/terminate`, { terminationType: 'FORCEFUL' }).expect(202)).body.id;
      await setOpState(opId, 'FAILED_TEMP');
      expect(Object.keys((await viewer.get(`/api/v1/vnf_lcm_op_occs/${opId}`)).body._links).sort()).toEqual(['fail', 'retry', 'self', 'vnfInstance']);
      const refused = await operator.post(`/api/v1/vnf_lcm_op_occs/${opId}/rollback`).expect(409);
      expect(problem(refused)).toMatchObject({ operation: 'TERMINATE', detail: expect.stringContaining('cannot be rolled back') });
      await operator.post(`/api/v1/vnf_lcm_op_occs/${opId}/retry`).expect(202);
    });

    test('a decision taken on a stale read loses: 409, and nothing changes', async () => {
      const { opId } = await instantiating();
      await setOpState(opId, 'FAILED_TEMP');
      const operations = app.get(LcmOperations);
      const stale = await operations.get(tenantA, opId);
      await operator.post(`/api/v1/vnf_lcm_op_occs/${opId}/retry`).expect(202);
      const read = jest.spyOn(operations, 'get').mockResolvedValueOnce(stale);
      try {
        const res = await operator.post(`/api/v1/vnf_lcm_op_occs/${opId}/fail`).expect(409);
        expect(problem(res)).toMatchObject({ operationState: 'FAILED_TEMP', detail: expect.stringContaining('changed while this action was being taken') });
      } finally {
        read.mockRestore();
      }
      expect((await viewer.get(`/api/v1/vnf_lcm_op_occs/${opId}`)).body.operationState).toBe('FAILED_TEMP');
    });

    test('a retry the queue does not take: 503, the operation still FAILED_TEMP', async () => {
      const { opId } = await instantiating();
      await setOpState(opId, 'FAILED_TEMP');
      const enqueue = jest.spyOn(app.get(LcmJobs), 'enqueue').mockRejectedValueOnce(new Error('Connection is closed.'));
      try {
        const res = await operator.post(`/api/v1/vnf_lcm_op_occs/${opId}/retry`).expect(503);
        expect(problem(res).detail).toMatch(/still FAILED_TEMP/);
      } finally {
        enqueue.mockRestore();
      }
      expect((await viewer.get(`/api/v1/vnf_lcm_op_occs/${opId}`)).body.operationState).toBe('FAILED_TEMP');
      await operator.post(`/api/v1/vnf_lcm_op_occs/${opId}/retry`).expect(202);
    });
  });

  test('the OpenAPI document describes the lifecycle endpoints', async () => {
    const doc = (await viewer.get('/api/docs-json').expect(200)).body;
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/vnf_instances/{id}/instantiate', '/api/v1/vnf_lcm_op_occs/{opId}/retry', '/api/v1/vnf_lcm_op_occs/{opId}/cancel', '/api/v1/vnf_lcm_op_occs/events',
        '/api/v1/vnf_instances/{id}/vms/{vmId}/console',
      ]),
    );
    const console = doc.paths['/api/v1/vnf_instances/{id}/vms/{vmId}/console'].get;
    expect(console.parameters).toContainEqual(expect.objectContaining({ name: 'lines', in: 'query', schema: expect.objectContaining({ minimum: 1, maximum: 2000, default: 100 }) }));
    expect(console.responses['200'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/VmConsoleView' });
    expect(Object.keys(doc.components.schemas.VmConsoleView.properties).sort()).toEqual(['lines', 'path', 'sizeBytes', 'truncated', 'vmId']);
    expect(doc.components.schemas.InstantiateVnfRequest.properties.extCpBindings.additionalProperties).toEqual({ $ref: '#/components/schemas/ExtCpBindingDto' });
  });

  describe('events', () => {
    const event = (tenantId: string, over: Partial<LcmEvent> = {}): LcmEvent => ({
      opId: UNKNOWN,
      vnfInstanceId: UNKNOWN,
      tenantId,
      operation: 'INSTANTIATE',
      operationState: 'PROCESSING',
      currentStep: `step-${Math.random()}`,
      isCancelPending: false,
      at: new Date().toISOString(),
      ...over,
    });
    const publish = (e: LcmEvent) => publisher.publish(lcmEventChannel(prefix), JSON.stringify(e));

    test("a viewer's stream carries its tenant's events, not another tenant's; closing it cleans up", async () => {
      const stream = await openEventStream(app, viewerSecret);
      try {
        expect(stream.res.statusCode).toBe(200);
        expect(stream.res.headers['content-type']).toMatch(/^text\/event-stream/);
        const theirs = event(tenantB);
        const ours = event(tenantA);
        await publish(theirs);
        await publish(ours);
        await stream.until(() => stream.text().includes(ours.currentStep as string));
        const text = stream.text();
        expect(text).toContain(`event: lcm\ndata: ${JSON.stringify(ours)}\n\n`);
        expect(text).not.toContain(theirs.currentStep);
      } finally {
        stream.close();
      }
      const streams = app.get(LcmEventStream);
      const until = Date.now() + 5000;
      while (streams.clients > 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
      expect(streams.clients).toBe(0);
    });

    test("the API's own changes are announced too: a new operation, and fail", async () => {
      const instanceId = await newInstance();
      const stream = await openEventStream(app, viewerSecret, `?vnfInstanceId=${instanceId}`);
      try {
        const opId = (await json(operator, `/api/v1/vnf_instances/${instanceId}/instantiate`, VALID).expect(202)).body.id;
        await setOpState(opId, 'FAILED_TEMP');
        await operator.post(`/api/v1/vnf_lcm_op_occs/${opId}/fail`).expect(200);
        await stream.until(() => stream.text().includes('"operationState":"FAILED"'));
        const text = stream.text();
        const events = [...text.matchAll(/^data: (.*)$/gm)].map((m) => JSON.parse(m[1]) as LcmEvent);
        expect(events.map((e) => [e.opId, e.tenantId, e.operation, e.operationState])).toEqual([
          [opId, tenantA, 'INSTANTIATE', 'STARTING'],
          [opId, tenantA, 'INSTANTIATE', 'FAILED'],
        ]);
      } finally {
        stream.close();
      }
    });

    test('?vnfInstanceId= narrows the stream to one instance of the tenant', async () => {
      const instanceId = await newInstance();
      await viewer.get(`/api/v1/vnf_lcm_op_occs/events?vnfInstanceId=${UNKNOWN}`).expect(404);
      await viewer.get('/api/v1/vnf_lcm_op_occs/events?vnfInstanceId=nope').expect(400);
      const stream = await openEventStream(app, viewerSecret, `?vnfInstanceId=${instanceId}`);
      try {
        const elsewhere = event(tenantA);
        const here = event(tenantA, { vnfInstanceId: instanceId });
        await publish(elsewhere);
        await publish(here);
        await stream.until(() => stream.text().includes(here.currentStep as string));
        const text = stream.text();
        expect(text).toContain(here.currentStep);
        expect(text).not.toContain(elsewhere.currentStep);
      } finally {
        stream.close();
      }
    });

    test('shutting the api down ends open streams instead of waiting for them', async () => {
      const other = await startApi();
      const stream = await openEventStream(other, viewerSecret);
      const ended = new Promise((resolve) => stream.res.once('end', resolve));
      await other.close();
      await ended;
    });

    test('without a token: 401 problem, no stream', async () => {
      const { port } = app.getHttpServer().address() as AddressInfo;
      const res = await fetch(`http://127.0.0.1:${port}/api/v1/vnf_lcm_op_occs/events`);
      expect(res.status).toBe(401);
      expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
    });
  });
});
