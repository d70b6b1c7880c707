import { afterAll, beforeAll, describe, expect, jest, test } from '@jest/globals';
import type { INestApplicationContext } from '@nestjs/common';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, open, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { pino } from 'pino';
import { DataSource } from 'typeorm';
import { createWorker } from '../../apps/worker/src/bootstrap.js';
import { RealLcmDrivers } from '../../apps/worker/src/lcm/drivers/real-lcm-drivers.js';
import { vmIdFor } from '../../apps/worker/src/lcm/pipeline/ids.js';
import type { HostRecord } from '../../apps/worker/src/lcm/pipeline/records.js';
import { loadConfig } from '#vim/config';
import { type LcmEvent, lcmEventChannel, RUN_OP_JOB, runOpJobId } from '#vim/lcm';
import { domainNameFor } from '#vim/naming';
import { OvsdbClient, OvsdbSwitchDriver, ownerExternalIds, readSwitchInfo } from '#vim/ovs';
import { QUEUES } from '#vim/platform';
import { type Fault, FaultyLcmDrivers } from '../support/lcm-faults.js';
import { insertInstance, insertOp, insertSriovTestHost, SRIOV_NODE_URI } from '../support/lcm-fixture.js';
import { setAsideOtherHosts } from '../support/lcm.js';
import { minimalVnfd } from '../support/vnfd-builder.js';

jest.setTimeout(120_000);

/**
 * The pipeline in an in-process worker against the real services: libvirt's test:/// driver on
 * the SR-IOV node fixture (domains live in the worker's connection, no QEMU), the Open vSwitch
 * from deploy/local, qemu-img and genisoimage on a temporary image folder, Postgres and Redis.
 * Ports, domains and files made here are removed here, by this run's instance ids.
 */
const run = promisify(execFile);
const OVSDB = 'unix:/var/run/openvswitch/db.sock';
const VDU = 'fw-vdu';
const BINDINGS = { in: { bridge: 'br-int', vlan: 100 }, out: { physnet: 'sriov-a', vlan: 200 } };

/** minimalVnfd on small pages (memfd shared memory: test:/// has no hugepages), with cloud-init. */
function descriptor() {
  const document = minimalVnfd('lcm-e2e');
  const vnfd = document.vnfd as Record<string, any>;
  delete vnfd['virtual-compute-desc'][0]['virtual-memory']['mempage-size'];
  vnfd.vdu[0]['cloud-init'] = '#cloud-config\nhostname: fw\n';
  return document;
}

describe('lifecycle pipeline against the real services', () => {
  const prefix = `e2e-lcm-${process.pid}`;
  const ovs = new OvsdbSwitchDriver(OVSDB);
  const events: LcmEvent[] = [];
  const instanceIds: string[] = [];
  let worker: INestApplicationContext;
  let drivers: FaultyLcmDrivers;
  let db: DataSource;
  let queue: Queue;
  let subscriber: Redis;
  let dir: string;
  let host: HostRecord;
  let pmdCpu: number;
  let restoreHosts = async () => {};

  beforeAll(async () => {
    process.env.QUEUE_PREFIX = prefix;
    // The inserted host must not be "rediscovered" while the suite runs.
    process.env.INVENTORY_REFRESH_SECONDS = '0';
    const config = loadConfig();
    dir = await mkdtemp(join(tmpdir(), 'vim-lcm-'));
    await mkdir(join(dir, 'images'));
    await run('qemu-img', ['create', '-q', '-f', 'qcow2', join(dir, 'images', 'fw.qcow2'), '64M']);
    const client = await OvsdbClient.connect(OVSDB);
    try {
      [pmdCpu] = (await readSwitchInfo(client)).pmdCpus;
    } finally {
      client.close();
    }
    subscriber = new Redis(config.REDIS_URL);
    await subscriber.subscribe(lcmEventChannel(prefix));
    subscriber.on('message', (_channel: string, message: string) => events.push(JSON.parse(message) as LcmEvent));

    drivers = new FaultyLcmDrivers(new RealLcmDrivers());
    worker = await createWorker(pino({ level: 'silent' }), { lcmDrivers: drivers });
    db = worker.get(DataSource);
    queue = new Queue(QUEUES.lcm, { connection: { url: config.REDIS_URL }, prefix });
    host = { id: '', name: `lcm-${process.pid}`, libvirtUri: SRIOV_NODE_URI, ovsdbRemote: OVSDB, vhostSocketDir: join(dir, 'vhost'), imageDir: join(dir, 'images'), disabledCpuFeatures: [], virtType: 'auto' };
    host.id = await insertSriovTestHost(db, { ...host, pmdCpu });
    // Only this suite's host may be chosen: other suites leave theirs in the shared database.
    restoreHosts = await setAsideOtherHosts(db, [host.id]);
  });

  afterAll(async () => {
    await restoreHosts();
    for (const instanceId of instanceIds) {
      for (const port of await ovs.findPorts(ownerExternalIds(instanceId)).catch(() => [])) await ovs.removePorts(port.bridge, [port.name]);
      const name = domainNameFor(vmIdFor(instanceId, { vduId: VDU, ordinal: 0 }));
      await drivers?.real.hypervisor(host).destroyDomain(name).catch(() => undefined);
      await drivers?.real.hypervisor(host).undefineDomain(name).catch(() => undefined);
    }
    await ovs.close();
    await worker?.close();
    await queue?.close();
    // Every queue the worker touched lives under this suite's prefix: leave none of it in Redis.
    for (const name of Object.values(QUEUES)) {
      const q = new Queue(name, { connection: { url: loadConfig().REDIS_URL }, prefix });
      await q.obliterate({ force: true }).catch(() => undefined);
      await q.close();
    }
    await subscriber?.quit();
    await rm(dir, { recursive: true, force: true });
    delete process.env.QUEUE_PREFIX;
    delete process.env.INVENTORY_REFRESH_SECONDS;
  });

  /** Records the operation as the API does, enqueues RUN_OP_JOB, and waits until the worker is done with it. */
  async function runOp(instanceId: string, operation: string, params: object) {
    const opId = await insertOp(db, instanceId, operation, params);
    await queue.add(RUN_OP_JOB, { opId, action: 'start' }, { jobId: runOpJobId(opId, 'start', 1) });
    const deadline = Date.now() + 60_000;
    for (;;) {
      const [op] = await db.query(`SELECT * FROM lcm_op_occs WHERE id = $1`, [opId]);
      if (['COMPLETED', 'ROLLED_BACK', 'FAILED_TEMP', 'FAILED'].includes(op.operationState) || Date.now() > deadline) return op;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  async function newInstance(name: string): Promise<{ instanceId: string; vmId: string }> {
    const instanceId = await insertInstance(db, descriptor(), name);
    instanceIds.push(instanceId);
    return { instanceId, vmId: vmIdFor(instanceId, { vduId: VDU, ordinal: 0 }) };
  }

  const hypervisor = () => drivers.real.hypervisor(host);
  const instanceFiles = () => readdir(join(dir, 'images', 'instances')).catch(() => []);
  const count = async (sql: string, args: unknown[]) => ((await db.query(sql, args)) as { n: number }[])[0]!.n;

  /** Nothing of the instance left in libvirt, OvS, the image folder, the claims or the VM rows. */
  async function expectNothingLeft(instanceId: string, vmId: string): Promise<void> {
    expect(await hypervisor().lookupDomain(domainNameFor(vmId))).toBeUndefined();
    expect(await ovs.findPorts(ownerExternalIds(instanceId))).toEqual([]);
    expect(await instanceFiles()).toEqual([]);
    expect(await count(`SELECT count(*)::int AS n FROM resource_claims WHERE "hostId" = $1`, [host.id])).toBe(0);
    expect(await count(`SELECT count(*)::int AS n FROM vdu_instances WHERE "vnfInstanceId" = $1`, [instanceId])).toBe(0);
  }

  describe('instantiate, then terminate', () => {
    let instanceId: string;
    let vmId: string;

    beforeAll(async () => {
      ({ instanceId, vmId } = await newInstance('edge-fw'));
    });

    test('INSTANTIATE completes: the domain runs with the claimed VF, the vhost-user port is in OvS', async () => {
      const op = await runOp(instanceId, 'INSTANTIATE', { flavourId: 'default', instantiationLevelId: 'small', extCpBindings: BINDINGS });
      expect(op).toMatchObject({ operationState: 'COMPLETED', error: null, currentStep: null });
      // jsonb keeps its own key order.
      expect(Object.keys(op.timings.steps).sort()).toEqual(['launch', 'place', 'plug-ports']);
      expect(op.timings.libvirtMs).toBeGreaterThan(0);
      expect(op.timings.ovsdbMs).toBeGreaterThan(0);
      const [instance] = await db.query(`SELECT * FROM vnf_instances WHERE id = $1`, [instanceId]);
      expect(instance).toMatchObject({ instantiationState: 'INSTANTIATED', flavourId: 'default', instantiationLevelId: 'small', extCpBindings: BINDINGS });

      const [vm] = await db.query(`SELECT * FROM vdu_instances WHERE "vnfInstanceId" = $1`, [instanceId]);
      const [vf] = await db.query(`SELECT "resourceKey" FROM resource_claims WHERE "vduInstanceId" = $1 AND kind = 'VF'`, [vmId]);
      const [queueSlot] = await db.query(`SELECT "resourceKey" FROM resource_claims WHERE "vduInstanceId" = $1 AND kind = 'PMD_QUEUE'`, [vmId]);
      expect(vm).toMatchObject({ id: vmId, state: 'ACTIVE', hostId: host.id, domainName: domainNameFor(vmId), domainUuid: vmId });
      expect(vm.ports).toEqual([
        { cpdId: 'in-int', extCpdId: 'in', kind: 'vhostuser', name: expect.stringMatching(/^vhu[0-9a-f]{12}$/), bridge: 'br-int', vlan: 100 },
        { cpdId: 'out-int', extCpdId: 'out', kind: 'sriov', pciAddress: vf.resourceKey, physnet: 'sriov-a', vlan: 200 },
      ]);

      expect((await hypervisor().lookupDomain(vm.domainName))?.state).toBe('running');
      const xml = (await hypervisor().domainXml(vm.domainName)) as string;
      const [, bus, slot, fn] = /^0000:([0-9a-f]{2}):([0-9a-f]{2})\.([0-7])$/.exec(vf.resourceKey)!;
      const hostdev = /<interface type=["']hostdev["'][\s\S]*?<\/interface>/.exec(xml)?.[0];
      expect(hostdev).toMatch(new RegExp(`<address type=["']pci["'] domain=["']0x0000["'] bus=["']0x${bus}["'] slot=["']0x${slot}["'] function=["']0x${fn}["']`));
      expect(hostdev).toMatch(/<tag id=["']200["']/);
      expect(xml).toMatch(new RegExp(`<interface type=["']vhostuser["'][\\s\\S]*?path=["']${join(dir, 'vhost', vm.ports[0].name)}\\.sock["']`));

      const [port] = await ovs.findPorts(ownerExternalIds(instanceId, vmId));
      expect(port).toMatchObject({
        name: vm.ports[0].name,
        bridge: 'br-int',
        vlanTag: 100,
        otherConfig: { 'pmd-rxq-affinity': `0:${queueSlot.resourceKey.split('/')[0]}` },
        options: { 'vhost-server-path': join(dir, 'vhost', `${vm.ports[0].name}.sock`) },
      });
      expect(queueSlot.resourceKey).toBe(`${pmdCpu}/0`);

      expect((await instanceFiles()).sort()).toEqual([`${vmId}-cidata.iso`, `${vmId}.qcow2`]);
      const { stdout } = await run('qemu-img', ['info', '--output=json', join(dir, 'images', 'instances', `${vmId}.qcow2`)]);
      expect(JSON.parse(stdout)).toMatchObject({ format: 'qcow2', 'backing-filename': join(dir, 'images', 'fw.qcow2') });
      const iso = await open(join(dir, 'images', 'instances', `${vmId}-cidata.iso`));
      const { buffer } = await iso.read(Buffer.alloc(48), 0, 48, 0x8000);
      await iso.close();
      expect(buffer.subarray(1, 6).toString()).toBe('CD001');
      expect(buffer.subarray(40, 46).toString()).toBe('cidata');

      const steps = events.filter((e) => e.opId === op.id).map((e) => `${e.operationState}:${e.currentStep}`);
      expect(steps.at(0)).toBe('PROCESSING:place');
      expect(steps.at(-1)).toBe('COMPLETED:null');
    });

    test('TERMINATE removes the domain, the ports, the files, the claims and the VM rows', async () => {
      const op = await runOp(instanceId, 'TERMINATE', { terminationType: 'GRACEFUL', gracefulTerminationTimeout: 5 });
      expect(op).toMatchObject({ operationState: 'COMPLETED', error: null });
      await expectNothingLeft(instanceId, vmId);
      const [instance] = await db.query(`SELECT * FROM vnf_instances WHERE id = $1`, [instanceId]);
      expect(instance).toMatchObject({ instantiationState: 'NOT_INSTANTIATED', flavourId: null });
    });
  });

  test.each([
    ['define', 'launch', 'urn:vim:problem:libvirt'],
    ['start', 'launch', 'urn:vim:problem:libvirt'],
    ['ports', 'plug-ports', 'urn:vim:problem:ovsdb'],
  ] as [Fault, string, string][])('a failing %s rolls INSTANTIATE back with nothing left behind', async (fault, step, type) => {
    const { instanceId, vmId } = await newInstance(`faulty-${fault}`);
    drivers.failNext(fault);
    const op = await runOp(instanceId, 'INSTANTIATE', { flavourId: 'default', extCpBindings: BINDINGS });

    expect(op).toMatchObject({ operationState: 'ROLLED_BACK', currentStep: 'rollback' });
    expect(op.error).toMatchObject({ type, status: 502, title: 'Lifecycle step failed', step, vduInstanceId: vmId, host: host.name });
    expect(op.error.detail).toContain('injected fault');
    await expectNothingLeft(instanceId, vmId);
    const [instance] = await db.query(`SELECT "instantiationState" FROM vnf_instances WHERE id = $1`, [instanceId]);
    expect(instance.instantiationState).toBe('NOT_INSTANTIATED');
  });
});
