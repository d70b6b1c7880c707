import { afterAll, beforeAll, describe, expect, jest, test } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import { type ChildProcess, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { kvmAvailable, VirshProbe } from '../../libs/inventory/src/index.js';
import { UnraidHypervisorDriver } from '../../libs/libvirt/src/index.js';
import { domainNameFor } from '../../libs/naming/src/index.js';
import { OvsdbSwitchDriver, ownerExternalIds } from '../../libs/ovs/src/index.js';
import { Role } from '../../libs/persistence/src/index.js';
import { client, type Client, isolateQueues, startApi, tokenFor } from '../support/api.js';
import { opIdOf, setAsideOtherHosts, waitForOp } from '../support/lcm.js';
import { spawnApp, stopProcess, WORKER_MAIN } from '../support/processes.js';

jest.setTimeout(240_000);

const OVSDB = 'unix:/var/run/openvswitch/db.sock';

/** One VDU: 1 pinned vCPU, 128 MiB of shared (memfd) small-page memory, a qcow2 image, two VIRTIO ports. */
const VNFD = (id: string) => ({
  vnfd: {
    id,
    provider: 'e2e',
    'product-name': 'two-port-vnf',
    version: '1.0',
    'virtual-compute-desc': [{ id: 'c', 'virtual-cpu': { 'num-virtual-cpu': 1, pinning: { policy: 'static' } }, 'virtual-memory': { size: 0.125, 'mempage-size': 'SMALL' } }],

    vdu: [
      {
        id: 'fw',
        name: 'fw',
        'virtual-compute-desc': 'c',

        'int-cpd': [
          { id: 'left-int', 'virtual-network-interface-requirement': [{ name: 'eth0', 'virtual-interface': { type: 'VIRTIO' } }] },
          { id: 'right-int', 'virtual-network-interface-requirement': [{ name: 'eth1', 'virtual-interface': { type: 'VIRTIO' } }] },
        ],
      },
    ],
    'ext-cpd': [
      { id: 'left', 'int-cpd': { 'vdu-id': 'fw', cpd: 'left-int' } },
      { id: 'right', 'int-cpd': { 'vdu-id': 'fw', cpd: 'right-int' } },
    ],
    df: [{ id: 'default', 'vdu-profile': [{ id: 'fw', 'min-number-of-instances': 1, 'max-number-of-instances': 1 }] }],
  },
});

const BINDINGS = { left: { bridge: 'br-int', vlan: 101 }, right: { bridge: 'br-int', vlan: 102 } };

describe('lifecycle on this machine: qemu:///system (KVM where it is usable, else TCG) with OvS-DPDK', () => {
  let app: INestApplication;
  let api: Client;
  let db: DataSource;
  let worker: ChildProcess;
  let restoreQueues: () => void;
  let vnfdId: string;
  let hostId: string;
  let kvm: boolean;
  let restoreHosts = async () => {};
  const imageDir = mkdtempSync(join(tmpdir(), 'vim-e2e-images-'));
  const vhostSocketDir = `/var/run/vim-lite/e2e-${process.pid}`;
  const libvirt = new UnraidHypervisorDriver('qemu:///system');
  const ovs = new OvsdbSwitchDriver(OVSDB);
  const workerEnv = () => ({ QUEUE_PREFIX: process.env.QUEUE_PREFIX as string, DATABASE_URL: process.env.DATABASE_URL as string });

  beforeAll(async () => {
    restoreQueues = isolateQueues('lcm-qemu');
    process.env.INVENTORY_REFRESH_SECONDS = '0';
    app = await startApi();
    db = app.get(DataSource);
    api = client(app, await tokenFor(app, Role.ADMIN));
    worker = spawnApp(WORKER_MAIN, workerEnv());
    execFileSync('qemu-img', ['create', '-q', '-f', 'qcow2', join(imageDir, 'tiny.qcow2'), '16M']);
    // Only this machine may be chosen: other suites' simulated hosts are set aside meanwhile.
    restoreHosts = await setAsideOtherHosts(db);
    kvm = kvmAvailable(await new VirshProbe('qemu:///system').capabilities());
    // The nested KVM of the VMs these tests run on offers arch-capabilities (MSR 0x10a) and then
    // refuses to set it, and QEMU aborts; an operator would register such a host just so.
    const disabledCpuFeatures = ['arch-capabilities'];
    const host = await api
      .post('/api/v1/hosts')
      .send({ name: `qemu-${process.pid}`, libvirtUri: 'qemu:///system', ovsdbRemote: OVSDB, reservedCpus: [], vhostSocketDir, imageDir, disabledCpuFeatures })
      .expect(201);
    hostId = host.body.id;
    await waitForDiscovery(api, hostId);
    vnfdId = (await api.post('/api/v1/vnfds').send(VNFD(`two-port-${process.pid}`)).expect(201)).body.id;
  });

  afterAll(async () => {
    if (worker) await stopProcess(worker);
    await removeWhatTheTestsMade();
    await restoreHosts();
    await app?.close();
    await libvirt.close();
    await ovs.close();
    rmSync(imageDir, { recursive: true, force: true });
    rmSync(vhostSocketDir, { recursive: true, force: true });
    restoreQueues();
    delete process.env.INVENTORY_REFRESH_SECONDS;
  });

  const instances: string[] = [];

  /** After a failed test: its domains and ports, found by the names and external ids they were given. */
  async function removeWhatTheTestsMade(): Promise<void> {
    for (const instanceId of instances) {
      for (const vm of await vmsOf(instanceId).catch(() => [])) {
        await libvirt.destroyDomain(domainNameFor(vm.id)).catch(() => undefined);
        await libvirt.undefineDomain(domainNameFor(vm.id)).catch(() => undefined);
      }
      const ports = await ovs.findPorts(ownerExternalIds(instanceId)).catch(() => []);
      if (ports.length > 0) await ovs.removePorts('br-int', ports.map((p) => p.name)).catch(() => undefined);
    }
  }

  async function instantiate(name: string): Promise<{ instanceId: string; opId: string }> {
    const instance = (await api.post('/api/v1/vnf_instances').send({ vnfdId, vnfInstanceName: name }).expect(201)).body;
    instances.push(instance.id);
    const accepted = await api.post(`/api/v1/vnf_instances/${instance.id}/instantiate`).send({ flavourId: 'default', extCpBindings: BINDINGS }).expect(202);
    return { instanceId: instance.id, opId: opIdOf(accepted.headers.location) };
  }

  async function vmsOf(instanceId: string): Promise<{ id: string; hostId: string }[]> {
    return db.query(`SELECT id, "hostId" FROM vdu_instances WHERE "vnfInstanceId" = $1`, [instanceId]);
  }

  async function terminate(instanceId: string, body: Record<string, unknown>): Promise<Record<string, any>> {
    const accepted = await api.post(`/api/v1/vnf_instances/${instanceId}/terminate`).send(body).expect(202);
    return waitForOp(api, opIdOf(accepted.headers.location));
  }

  async function expectNothingLeft(instanceId: string, vmIds: string[]): Promise<void> {
    for (const vm of vmIds) expect(await libvirt.lookupDomain(domainNameFor(vm))).toBeUndefined();
    expect(await ovs.findPorts(ownerExternalIds(instanceId))).toEqual([]);
    expect(await db.query(`SELECT count(*)::int AS n FROM resource_claims WHERE "vduInstanceId" = ANY($1::uuid[])`, [vmIds])).toEqual([{ n: 0 }]);
    for (const vm of vmIds) expect(existsSync(join(imageDir, 'instances', `${vm}.qcow2`))).toBe(false);
  }

  test('two VIRTIO ports: the domain runs, both ports connect, pinning and memory match the claim; terminate leaves nothing', async () => {
    const { instanceId, opId } = await instantiate('two-port');
    const op = await waitForOp(api, opId);
    expect(op).toMatchObject({ operationState: 'COMPLETED', error: null });
    const [vm] = await vmsOf(instanceId);
    expect(vm.hostId).toBe(hostId);
    expect(await libvirt.lookupDomain(domainNameFor(vm.id))).toMatchObject({ state: 'running' });

    const ports = await ovs.findPorts(ownerExternalIds(instanceId, vm.id));
    expect(ports.map((p) => p.vlanTag).sort()).toEqual([101, 102]);
    // With no guest OS, the NICs come up while the firmware's iPXE tries them (about 20 s each, one after the other):
    // each port must be seen connected at some point.
    const seen = new Set<string>();
    await expectEventually(async () => {
      for (const p of ports) if ((await ovs.interfaceStatus(p.name))?.status.status === 'connected') seen.add(p.name);
      return seen.size === ports.length;
    }, 90_000);

    const claims = (await db.query(`SELECT kind, "resourceKey", "numaCell" FROM resource_claims WHERE "vduInstanceId" = $1`, [vm.id])) as {
      kind: string;
      resourceKey: string;
      numaCell: number;
    }[];
    const cpu = claims.find((c) => c.kind === 'CPU');
    const queues = claims.filter((c) => c.kind === 'PMD_QUEUE').map((c) => c.resourceKey.split('/')[0]);
    expect(cpu).toBeDefined();
    const xml = (await libvirt.domainXml(domainNameFor(vm.id))) as string;
    // libvirt writes attributes in single quotes.
    const q = (text: string) => text.replace(/"/g, "'");
    expect(xml).toContain(q(`<vcpupin vcpu="0" cpuset="${cpu!.resourceKey}"/>`));
    expect(xml).toContain(q(`<emulatorpin cpuset="${cpu!.resourceKey}"/>`));
    expect(xml).toContain(q(`<memory mode="strict" nodeset="${cpu!.numaCell}"/>`));
    expect(xml).toContain(q(`<source type="memfd"/>`));
    expect(xml).toContain(q(`<access mode="shared"/>`));
    // Under TCG the host's CPU and its features do not apply: libvirt's default model is used.
    expect(xml).toMatch(kvm ? /<domain type='kvm'/ : /<domain type='qemu'/);
    if (kvm) expect(xml).toMatch(/<cpu mode='host-passthrough'[^>]*>\s*<feature policy='disable' name='arch-capabilities'\/>/);
    else expect(xml).not.toContain("mode='host-passthrough'");
    expect(queues).toHaveLength(2);
    for (const port of ports) expect(queues.map((core) => `0:${core}`)).toContain(port.otherConfig['pmd-rxq-affinity']);

    const ended = await terminate(instanceId, { terminationType: 'GRACEFUL', gracefulTerminationTimeout: 3 });
    expect(ended).toMatchObject({ operationState: 'COMPLETED' });
    await expectNothingLeft(instanceId, [vm.id]);
    const instance = (await api.get(`/api/v1/vnf_instances/${instanceId}`).expect(200)).body;
    expect(instance.instantiationState).toBe('NOT_INSTANTIATED');
  });

  test('the worker killed in the middle of a launch: a new worker finishes it, nothing duplicated', async () => {
    const { instanceId, opId } = await instantiate('killed');
    // Kill once the launch is under way (past placement), before it has completed.
    const during = await waitForOp(api, opId, {
      until: (op) =>
        ['COMPLETED', 'ROLLED_BACK', 'FAILED', 'FAILED_TEMP'].includes(op.operationState as string) ||
        (op.operationState === 'PROCESSING' && op.currentStep !== null && !/vms|place/i.test(op.currentStep as string)),
    });
    expect(during.operationState).toBe('PROCESSING');
    await stopProcess(worker, 'SIGKILL');
    worker = spawnApp(WORKER_MAIN, workerEnv());
    const op = await waitForOp(api, opId, { timeoutMs: 120_000 });
    expect(['COMPLETED', 'ROLLED_BACK']).toContain(op.operationState);

    const vms = await vmsOf(instanceId);
    const ids = vms.map((v) => v.id);
    const claims = await db.query(
      `SELECT kind, "resourceKey", count(*)::int AS n FROM resource_claims WHERE "vduInstanceId" = ANY($1::uuid[]) GROUP BY 1, 2 HAVING count(*) > 1`,
      [ids],
    );
    expect(claims).toEqual([]);
    if (op.operationState === 'COMPLETED') {
      expect(vms).toHaveLength(1);
      expect(await libvirt.listDomainNames(domainNameFor(ids[0]))).toEqual([domainNameFor(ids[0])]);
      expect(await ovs.findPorts(ownerExternalIds(instanceId))).toHaveLength(2);
      expect(await terminate(instanceId, { terminationType: 'FORCEFUL' })).toMatchObject({ operationState: 'COMPLETED' });
    }
    await expectNothingLeft(instanceId, ids);
  });
});

async function waitForDiscovery(api: Client, hostId: string): Promise<void> {
  await expectEventually(async () => (await api.get(`/api/v1/hosts/${hostId}`).expect(200)).body.state === 'UP', 30_000);
}

async function expectEventually(check: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`not so after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
