import { afterAll, beforeAll, describe, expect, jest, test } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import { Queue } from 'bullmq';
import { readFileSync } from 'node:fs';
import type request from 'supertest';
import { DataSource } from 'typeorm';
import { parse as parseYaml } from 'yaml';
import { APPLY_CHAIN_JOB, applyChainJobId } from '#vim/chains';
import { AppConfig } from '#vim/config';
import { DEFAULT_TENANT_ID, Role } from '#vim/persistence';
import { QUEUES } from '#vim/platform';
import { client, type Client, isolateQueues, startApi, tokenFor } from '../support/api.js';
import { insertInstance, insertSriovTestHost } from '../support/lcm-fixture.js';
import { openEventStream } from '../support/sse.js';
import { minimalVnfd } from '../support/vnfd-builder.js';

jest.setTimeout(30_000);

type Problem = { status: number; detail: string; errors?: { path: string; message: string }[] };

/**
 * The chains API as a client meets it, without a worker: what is refused (with every reason and
 * its pointer) leaves nothing behind; what is accepted is stored with its operation, announced and
 * queued. The records it checks against (instances INSTANTIATED with ports on hosts) are written
 * as the lifecycle would have; chain-api.e2e-spec.ts runs the whole path with real VMs and packets.
 */
describe('service chains API (no worker)', () => {
  let app: INestApplication;
  let db: DataSource;
  let queue: Queue;
  let restoreQueues: () => void;
  let operator: Client;
  let operatorSecret: string;
  let viewer: Client;
  let otherTenant: Client;
  const suffix = Math.random().toString(36).slice(2, 8);
  const near = `chn-near-${suffix}`;
  const far = `chn-far-${suffix}`;
  const ids: Record<'fw' | 'fwdA' | 'fwdB' | 'vf' | 'idle' | 'remote', string> = {} as never;

  const json = (c: Client, method: 'post' | 'patch', url: string, body: unknown) => c[method](url).set('content-type', 'application/json').send(JSON.stringify(body));
  const problem = (res: request.Response) => res.body as Problem;
  const pathsOf = (res: request.Response) => (problem(res).errors ?? []).map((e) => e.path);
  const count = async (table: string) => Number((await db.query(`SELECT count(*) AS n FROM ${table}`))[0].n);

  // VLAN 3309 is the one the tenant's VMs are on (vhost below): a tenant steers only its own networks.
  const net = (port: string, vlan = 3309) => ({ host: near, bridge: 'br-int', vlan, port });
  const hop = (id: string, ingressCpd = 'left', egressCpd = 'right') => ({ instances: [{ vnfInstanceId: id, ingressCpd, egressCpd }] });
  const udp5201 = { ethertype: 'ipv4', protocol: 17, destinationPorts: { from: 5201, to: 5201 } };
  const chainBody = (name: string, over: Record<string, unknown> = {}) => ({ name, ingress: net('chn-a'), egress: net('chn-b'), classifier: udp5201, hops: [hop(ids.fw)], ...over });

  /** An instance as the lifecycle leaves it: one running VM on `host` with these ports. */
  async function instance(name: string, hostId: string, ports: object[], state = 'INSTANTIATED'): Promise<string> {
    const id = await insertInstance(db, minimalVnfd(`chn-${name}-${suffix}`), name);
    await db.query(`UPDATE vnf_instances SET "instantiationState" = $2, "flavourId" = 'default' WHERE id = $1`, [id, state]);
    if (state === 'INSTANTIATED') {
      await db.query(`INSERT INTO vdu_instances ("vnfInstanceId", "vduId", "hostId", state, "powerState", ports) VALUES ($1, 'vm', $2, 'ACTIVE', 'RUNNING', $3)`, [id, hostId, JSON.stringify(ports)]);
    }
    return id;
  }
  const vhost = (cpdId: string, name: string) => ({ cpdId: `${cpdId}-int`, extCpdId: cpdId, kind: 'vhostuser', name, bridge: 'br-int', vlan: 3309 });

  beforeAll(async () => {
    restoreQueues = isolateQueues('chainapi');
    app = await startApi();
    db = app.get(DataSource);
    const config = app.get(AppConfig);
    queue = new Queue(QUEUES.chains, { connection: { url: config.REDIS_URL }, prefix: config.QUEUE_PREFIX });
    operatorSecret = await tokenFor(app, Role.OPERATOR);
    operator = client(app, operatorSecret);
    viewer = client(app, await tokenFor(app, Role.VIEWER));
    const [{ id: tenantB }] = await db.query(`INSERT INTO tenants (name) VALUES ('chainapi-b-' || gen_random_uuid()) RETURNING id`);
    otherTenant = client(app, await tokenFor(app, Role.OPERATOR, tenantB));
    const common = { vhostSocketDir: '/tmp', imageDir: '/tmp', pmdCpu: 1 };
    const nearId = await insertSriovTestHost(db, { ...common, name: near, ovsdbRemote: 'unix:/var/run/openvswitch/db.sock' });
    const farId = await insertSriovTestHost(db, { ...common, name: far, ovsdbRemote: 'tcp:192.0.2.7:6640' });
    ids.fw = await instance('fw', nearId, [vhost('left', 'vhu-fw-l'), vhost('right', 'vhu-fw-r')]);
    ids.fwdA = await instance('fwd-a', nearId, [vhost('left', 'vhu-fa-l'), vhost('right', 'vhu-fa-r')]);
    ids.fwdB = await instance('fwd-b', nearId, [vhost('left', 'vhu-fb-l'), vhost('right', 'vhu-fb-r')]);
    ids.vf = await instance('vf', nearId, [{ cpdId: 'left-int', extCpdId: 'left', kind: 'sriov', pciAddress: '0000:3b:02.0', physnet: 'sriov-a' }, vhost('right', 'vhu-vf-r')]);
    ids.idle = await instance('idle', nearId, [], 'NOT_INSTANTIATED');
    ids.remote = await instance('remote', farId, [vhost('left', 'vhu-rm-l'), vhost('right', 'vhu-rm-r')]);
  });

  afterAll(async () => {
    await db?.query(`DELETE FROM service_chains WHERE "tenantId" = $1`, [DEFAULT_TENANT_ID]);
    await db?.query(`DELETE FROM chain_op_occs WHERE "tenantId" = $1`, [DEFAULT_TENANT_ID]);
    await queue?.obliterate({ force: true }).catch(() => undefined);
    await queue?.close();
    await app?.close();
    restoreQueues?.();
  });

  test('the OpenAPI document describes the chain endpoints', async () => {
    const doc = (await viewer.get('/api/docs-json').expect(200)).body;
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/api/v1/service_chains', '/api/v1/service_chains/{id}', '/api/v1/service_chains/{id}/trace', '/api/v1/service_chains/from_nsd', '/api/v1/chain_op_occs', '/api/v1/chain_op_occs/{opId}']),
    );
    expect(doc.paths['/api/v1/service_chains'].post.responses['422']).toBeDefined();
    expect(Object.keys(doc.components.schemas.ClassifierDto.properties).sort()).toEqual(['destinationPorts', 'destinationPrefix', 'ethertype', 'protocol', 'sourcePorts', 'sourcePrefix']);
  });

  test('a chain that cannot be steered is refused with every reason at its pointer, and nothing is kept', async () => {
    const before = await Promise.all(['service_chains', 'chain_hops', 'chain_op_occs'].map(count));
    const res = await json(operator, 'post', '/api/v1/service_chains', chainBody('bad', {
      classifier: { ethertype: 'ipv4', destinationPrefix: '10.0.0.1/24' },
      hops: [hop(ids.vf), hop(ids.idle), hop(ids.remote), hop(ids.fw, 'left', 'nowhere'), hop('00000000-0000-4000-8000-00000000dead')],
    })).expect(422);
    const byPath = Object.fromEntries((problem(res).errors ?? []).map((e) => [e.path, e.message]));
    expect(byPath['/classifier/destinationPrefix']).toMatch(/host bits/);
    expect(byPath['/hops/0/instances/0/ingressCpd']).toMatch(/SR-IOV port; a VF bypasses OvS, so it cannot be steered/);
    expect(byPath['/hops/1/instances/0/vnfInstanceId']).toMatch(/NOT_INSTANTIATED, not INSTANTIATED/);
    expect(byPath['/hops/2/instances/0/vnfInstanceId']).toMatch(new RegExp(`host '${far}'.*cannot reach with ovs-ofctl`));
    expect(byPath['/hops/3/instances/0/egressCpd']).toMatch(/no port for connection point nowhere/);
    expect(byPath['/hops/4/instances/0/vnfInstanceId']).toMatch(/does not exist/);
    expect(await Promise.all(['service_chains', 'chain_hops', 'chain_op_occs'].map(count))).toEqual(before);
  });

  test('another tenant\'s instance is one that does not exist', async () => {
    const res = await json(otherTenant, 'post', '/api/v1/service_chains', chainBody('theirs')).expect(422);
    expect(problem(res).errors).toContainEqual({ path: '/hops/0/instances/0/vnfInstanceId', message: `VNF instance ${ids.fw} does not exist` });
  });

  test("a tenant steers only networks its VMs are on, and never another tenant's VM port; a platform administrator any network", async () => {
    const elsewhere = await json(operator, 'post', '/api/v1/service_chains', chainBody('elsewhere', { ingress: net('chn-a', 3399) })).expect(422);
    expect(problem(elsewhere).errors).toEqual([{ path: '/ingress', message: expect.stringMatching(/none of your VMs is attached to bridge br-int \(VLAN 3399\)/) }]);
    const theirs = await json(otherTenant, 'post', '/api/v1/service_chains', chainBody('theirs-port', { ingress: net('vhu-fw-l') })).expect(422);
    expect(pathsOf(theirs)).toEqual(expect.arrayContaining(['/ingress/port']));
    const admin = client(app, await tokenFor(app, Role.PLATFORM_ADMIN));
    const accepted = await json(admin, 'post', '/api/v1/service_chains', chainBody('admin-net', { ingress: net('chn-x', 3398), egress: net('chn-y', 3398) })).expect(202);
    await db.query(`DELETE FROM service_chains WHERE id = $1`, [accepted.body.id]);
  });

  test('a malformed body is a 400 naming each field; a viewer may not create', async () => {
    const res = await json(operator, 'post', '/api/v1/service_chains', { ...chainBody('shape'), classifier: { ethertype: 'ipx' }, hops: [], extra: 1 }).expect(400);
    expect(new Set(pathsOf(res))).toEqual(new Set(['/classifier/ethertype', '/hops', '/extra']));
    await json(viewer, 'post', '/api/v1/service_chains', chainBody('viewer')).expect(403);
  });

  describe('an accepted chain', () => {
    let chain: Record<string, any>;
    let location: string;

    beforeAll(async () => {
      const events = await openEventStream(app, operatorSecret);
      try {
        const res = await json(operator, 'post', '/api/v1/service_chains', chainBody('web')).expect(202);
        chain = res.body;
        location = res.headers.location ?? '';
        await events.until(() => events.events('chain').some((e) => e.chainId === chain.id));
        expect(events.events('chain')).toEqual([expect.objectContaining({ kind: 'chain', chainId: chain.id, chainName: 'web', operation: 'CREATE', operationState: 'STARTING', chainState: 'PENDING' })]);
      } finally {
        events.close();
      }
    });

    test('is PENDING with a STARTING CREATE operation that the worker is asked to run', async () => {
      expect(chain).toMatchObject({ name: 'web', state: 'PENDING', generation: 0, symmetric: false, failMode: 'closed', priority: 0, installed: [], counters: null, repairs: 0 });
      expect(chain.cookie).toMatch(/^0x[0-9a-f]+$/);
      expect(location).toBe(`/api/v1/chain_op_occs/${chain.lastOperation.id}`);
      const op = (await viewer.get(location).expect(200)).body;
      expect(op).toMatchObject({ chainId: chain.id, chainName: 'web', operation: 'CREATE', operationState: 'STARTING', isAutomaticInvocation: false });
      const job = await queue.getJob(applyChainJobId(op.id));
      expect(job).toMatchObject({ name: APPLY_CHAIN_JOB, data: { chainId: chain.id, opId: op.id } });
      const hops = await db.query(`SELECT position, "vnfInstanceId", "ingressCp", "egressCp" FROM chain_hops WHERE "chainId" = $1`, [chain.id]);
      expect(hops).toEqual([{ position: 0, vnfInstanceId: ids.fw, ingressCp: 'left', egressCp: 'right' }]);
    });

    test('is the tenant\'s own: listed for it, not found by another', async () => {
      const list = (await viewer.get('/api/v1/service_chains').expect(200)).body;
      expect(list.items.map((c: { id: string }) => c.id)).toContain(chain.id);
      await otherTenant.get(`/api/v1/service_chains/${chain.id}`).expect(404);
      await otherTenant.get(location).expect(404);
      await viewer.get('/api/v1/service_chains/not-a-uuid').expect(404);
      await json(otherTenant, 'patch', `/api/v1/service_chains/${chain.id}`, { failMode: 'open' }).expect(404);
      await otherTenant.delete(`/api/v1/service_chains/${chain.id}`).expect(404);
      await json(otherTenant, 'post', `/api/v1/service_chains/${chain.id}/trace`, { ethertype: 'ipv4', source: '10.0.0.1', destination: '10.0.0.2', protocol: 17 }).expect(404);
    });

    test('a trace of a chain with no rules yet is a 409; a packet of the wrong shape a 400', async () => {
      // A viewer may trace (a read): the answer is the chain's, not a 403.
      const pending = await json(viewer, 'post', `/api/v1/service_chains/${chain.id}/trace`, { ethertype: 'ipv4', source: '10.0.0.1', destination: '10.0.0.2', protocol: 17, destinationPort: 5201 }).expect(409);
      expect(problem(pending).detail).toMatch(/no rules installed yet/);
      const bad = await json(operator, 'post', `/api/v1/service_chains/${chain.id}/trace`, { ethertype: 'ipv6', source: '10.0.0.1', destination: 'fd00::2', protocol: 1, destinationPort: 7 }).expect(400);
      expect(pathsOf(bad).sort()).toEqual(['/destinationPort', '/source']);
    });

    test('a second chain of the same name is a conflict; one overlapping it on the same ingress is refused unless its priority differs', async () => {
      await json(operator, 'post', '/api/v1/service_chains', chainBody('web', { hops: [hop(ids.fwdA)] })).expect(409);
      const overlap = await json(operator, 'post', '/api/v1/service_chains', chainBody('web-2', { classifier: { ethertype: 'ipv4', protocol: 17 }, hops: [hop(ids.fwdA)] })).expect(422);
      expect(problem(overlap).errors).toEqual([{ path: '/classifier', message: expect.stringMatching(/overlaps the classifier of chain 'web' .* same priority \(0\)/) }]);
      await json(operator, 'post', '/api/v1/service_chains', chainBody('web-2', { classifier: { ethertype: 'ipv4', protocol: 17 }, hops: [hop(ids.fwdA)], priority: 10 })).expect(202);
    });

    test('a change or a deletion waits for the unfinished operation', async () => {
      const res = await json(operator, 'patch', `/api/v1/service_chains/${chain.id}`, { hops: [hop(ids.fwdB), hop(ids.fw)] }).expect(409);
      expect(problem(res).detail).toMatch(/operation in progress/);
      await operator.delete(`/api/v1/service_chains/${chain.id}`).expect(409);
      expect((await viewer.get(`/api/v1/service_chains/${chain.id}`).expect(200)).body.hops).toEqual([hop(ids.fw)]);
    });

    test('once it is done, a change is checked like a create, and stored with its own operation', async () => {
      await db.query(`UPDATE chain_op_occs SET "operationState" = 'COMPLETED' WHERE "chainId" = $1`, [chain.id]);
      const refused = await json(operator, 'patch', `/api/v1/service_chains/${chain.id}`, { hops: [hop(ids.vf)] }).expect(422);
      expect(pathsOf(refused)).toEqual(['/hops/0/instances/0/ingressCpd']);
      const res = await json(operator, 'patch', `/api/v1/service_chains/${chain.id}`, { hops: [hop(ids.fwdB), hop(ids.fw)], failMode: 'open' }).expect(202);
      expect(res.body).toMatchObject({ hops: [hop(ids.fwdB), hop(ids.fw)], failMode: 'open', lastOperation: { operation: 'UPDATE', operationState: 'STARTING' } });
      const hops = await db.query(`SELECT position, "vnfInstanceId" FROM chain_hops WHERE "chainId" = $1 ORDER BY position`, [chain.id]);
      expect(hops).toEqual([{ position: 0, vnfInstanceId: ids.fwdB }, { position: 1, vnfInstanceId: ids.fw }]);
      await json(operator, 'patch', `/api/v1/service_chains/${chain.id}`, { name: 'renamed' }).expect(400);
    });

    test('an instance that is a hop cannot be deleted', async () => {
      await db.query(`UPDATE vnf_instances SET "instantiationState" = 'NOT_INSTANTIATED' WHERE id = $1`, [ids.fwdB]);
      await db.query(`DELETE FROM vdu_instances WHERE "vnfInstanceId" = $1`, [ids.fwdB]);
      const res = await operator.delete(`/api/v1/vnf_instances/${ids.fwdB}`).expect(409);
      expect(problem(res).detail).toMatch(/is a hop of a service chain/);
    });

    test('DELETE marks it DELETING under a DELETE operation for the worker', async () => {
      await db.query(`UPDATE chain_op_occs SET "operationState" = 'COMPLETED' WHERE "chainId" = $1`, [chain.id]);
      const res = await operator.delete(`/api/v1/service_chains/${chain.id}`).expect(202);
      expect(res.body).toMatchObject({ state: 'DELETING', lastOperation: { operation: 'DELETE', operationState: 'STARTING' } });
      await json(operator, 'patch', `/api/v1/service_chains/${chain.id}`, { failMode: 'closed' }).expect(409);
    });
  });

  describe('from an NSD', () => {
    const nsd = () => (parseYaml(readFileSync('test/fixtures/nsds/fw-fwd-chain-nsd.yaml', 'utf8')) as { nsd: { nsd: Record<string, unknown>[] } }).nsd.nsd[0]!;
    const ends = { ingress: net('chn-c'), egress: net('chn-d') };

    test('a profile mapped to no instance is named in the NSD; nothing is kept', async () => {
      const before = await count('service_chains');
      const res = await json(operator, 'post', '/api/v1/service_chains/from_nsd', { nsd: nsd(), instances: { fw: ids.fw, 'fwd-a': ids.fwdA }, ...ends }).expect(422);
      expect(pathsOf(res).every((p) => p.startsWith('/nsd/vnffgd/0/nfpd/0/position-desc-id/0/'))).toBe(true);
      expect(problem(res).errors!.map((e) => e.message).join()).toMatch(/fwd-b/);
      expect(await count('service_chains')).toBe(before);
    });

    test('every path and classifier of the graph becomes a chain over the mapped instances', async () => {
      // As the worker would once it has removed the earlier chains, which cross fw and fwd-a too.
      await db.query(`DELETE FROM service_chains WHERE "tenantId" = $1`, [DEFAULT_TENANT_ID]);
      await db.query(`UPDATE vnf_instances SET "instantiationState" = 'INSTANTIATED' WHERE id = $1`, [ids.fwdB]);
      await db.query(`INSERT INTO vdu_instances ("vnfInstanceId", "vduId", "hostId", state, "powerState", ports) SELECT $1, 'vm', h.id, 'ACTIVE', 'RUNNING', $2 FROM hosts h WHERE h.name = $3`, [
        ids.fwdB, JSON.stringify([vhost('left', 'vhu-fb-l'), vhost('right', 'vhu-fb-r')]), near,
      ]);
      const res = await json(operator, 'post', '/api/v1/service_chains/from_nsd', { nsd: nsd(), instances: { fw: ids.fw, 'fwd-a': ids.fwdA, 'fwd-b': ids.fwdB }, ...ends });
      expect([res.status, res.body.errors]).toEqual([202, undefined]);
      const chains = res.body.items as Record<string, any>[];
      expect(chains.map((c) => c.name).sort()).toEqual(expect.arrayContaining([expect.stringMatching(/^web-graph\.web-path\.position1\./)]));
      expect(chains.length).toBeGreaterThanOrEqual(2);
      for (const c of chains) {
        expect(c.hops.map((h: { instances: { vnfInstanceId: string }[] }) => h.instances.map((i) => i.vnfInstanceId))).toEqual([[ids.fw], [ids.fwdA, ids.fwdB]]);
        expect(c).toMatchObject({ state: 'PENDING', lastOperation: { operation: 'CREATE', operationState: 'STARTING' } });
      }
    });
  });
});
