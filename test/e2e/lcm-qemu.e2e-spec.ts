import { afterAll, beforeAll, describe, expect, jest, test } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import { type ChildProcess, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { UnraidHypervisorDriver } from '#vim/libvirt';
import { domainNameFor } from '#vim/naming';
import { OvsdbSwitchDriver, ownerExternalIds } from '#vim/ovs';
import { Role } from '#vim/persistence';
import { client, type Client, isolateQueues, startApi, tokenFor } from '../support/api.js';
import { expectEventually, opIdOf, removeLeftovers, setAsideOtherHosts, waitForDiscovery, waitForOp } from '../support/lcm.js';
import { checkKvm, type KvmKind } from '../support/kvm-check.js';
import { spawnApp, stopProcess, WORKER_MAIN } from '../support/processes.js';
import { openEventStream } from '../support/sse.js';

jest.setTimeout(240_000);

const OVSDB = 'unix:/var/run/openvswitch/db.sock';

/**
 * One VDU: 1 pinned vCPU, 128 MiB of shared (memfd) small-page memory, two VIRTIO ports, and no
 * disk (the firmware boots from the NICs), or a disk of `image`.
 */
const VNFD = (id: string, image?: string) => ({
  vnfd: {
    id,
    ...(image && { 'sw-image-desc': [{ id: 'disk', name: 'disk', image, version: '1', 'disk-format': 'raw', 'container-format': 'bare' }] }),
    provider: 'e2e',
    'product-name': 'two-port-vnf',
    version: '1.0',
    'virtual-compute-desc': [{ id: 'c', 'virtual-cpu': { 'num-virtual-cpu': 1, pinning: { policy: 'static' } }, 'virtual-memory': { size: 0.125, 'mempage-size': 'SMALL' } }],

    vdu: [
      {
        id: 'fw',
        name: 'fw',
        'virtual-compute-desc': 'c',
        ...(image && { 'sw-image-desc': 'disk' }),
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

/**
 * A boot sector that powers the machine off through ACPI (PM1a_CNT: SLP_EN with S5's SLP_TYP 0, at
 * 0x604 where QEMU's q35 has it, and 0xb004 for older layouts): a guest that stops by itself soon
 * after the firmware hands over, under TCG and KVM alike.
 */
function powerOffDisk(path: string): void {
  const code = [0xba, 0x04, 0x06, 0xb8, 0x00, 0x20, 0xef, 0xba, 0x04, 0xb0, 0xef, 0xfa, 0xf4, 0xeb, 0xfd];
  const disk = Buffer.alloc(1024 * 1024);
  Buffer.from(code).copy(disk);
  disk[510] = 0x55;
  disk[511] = 0xaa;
  writeFileSync(path, disk);
}

/**
 * A boot sector that enters 32-bit protected mode and jumps to 256 MiB, where the guest has no
 * memory: KVM cannot fetch the instruction there and stops the guest with "KVM internal error.
 * Suberror: 1 ... emulation failure", `paused (unknown)`, the very failure of a nested KVM that
 * fails in the firmware. TCG runs on through whatever it reads there.
 */
function haltUnderKvmDisk(path: string): void {
  const disk = Buffer.alloc(1024 * 1024);
  // cli; lgdt [0x7c28]; mov eax, cr0; or al, 1; mov cr0, eax; jmp dword 0x08:0x10000000
  Buffer.from([0xfa, 0x0f, 0x01, 0x16, 0x28, 0x7c, 0x0f, 0x20, 0xc0, 0x0c, 0x01, 0x0f, 0x22, 0xc0, 0x66, 0xea, 0x00, 0x00, 0x00, 0x10, 0x08, 0x00]).copy(disk);
  // GDT at 0x7c18: the null descriptor, then a flat 4 GiB 32-bit code segment; its descriptor at 0x7c28.
  Buffer.from([0xff, 0xff, 0x00, 0x00, 0x00, 0x9a, 0xcf, 0x00]).copy(disk, 0x20);
  Buffer.from([0x0f, 0x00, 0x18, 0x7c, 0x00, 0x00]).copy(disk, 0x28);
  disk[510] = 0x55;
  disk[511] = 0xaa;
  writeFileSync(path, disk);
}

/** How long the workers of the two tests above watch a guest: the power-off guest is off ~2 s after start under TCG (SeaBIOS first). */
const LONG_GUEST_CHECK_MS = '10000';

describe('lifecycle on this machine: qemu:///system with OvS-DPDK, under TCG always and under KVM where a boot check finds it working', () => {
  let app: INestApplication;
  let api: Client;
  let db: DataSource;
  let worker: ChildProcess;
  let restoreQueues: () => void;
  let vnfdId: string;
  let powerOffVnfdId: string;
  let haltVnfdId: string;
  let hostId: string;
  let kvm: KvmKind;
  let adminSecret: string;
  let restoreHosts = async () => {};
  const imageDir = mkdtempSync(join(tmpdir(), 'vim-e2e-images-'));
  const vhostSocketDir = `/var/run/vim-lite/e2e-${process.pid}`;
  const libvirt = new UnraidHypervisorDriver('qemu:///system');
  const ovs = new OvsdbSwitchDriver(OVSDB);
  // The sync every second, so that a test sees a change soon; the guest check as configured by default.
  const workerEnv = (extra: Record<string, string> = {}) => ({
    QUEUE_PREFIX: process.env.QUEUE_PREFIX as string,
    DATABASE_URL: process.env.DATABASE_URL as string,
    VM_STATE_SYNC_SECONDS: '1',
    ...extra,
  });

  beforeAll(async () => {
    restoreQueues = isolateQueues('lcm-qemu');
    process.env.INVENTORY_REFRESH_SECONDS = '0';
    app = await startApi();
    db = app.get(DataSource);
    adminSecret = await tokenFor(app, Role.PLATFORM_ADMIN);
    api = client(app, adminSecret);
    worker = spawnApp(WORKER_MAIN, workerEnv());
    powerOffDisk(join(imageDir, 'power-off.raw'));
    haltUnderKvmDisk(join(imageDir, 'halt-under-kvm.raw'));
    // Only this machine may be chosen: other suites' simulated hosts are set aside meanwhile.
    restoreHosts = await setAsideOtherHosts(db);
    kvm = await checkKvm();
    // TCG runs everywhere: the host is registered so, and only the KVM test changes that. Some
    // nested KVMs offer arch-capabilities (MSR 0x10a) and then refuse to set it, and QEMU aborts;
    // an operator would register such a host with that feature disabled.
    const disabledCpuFeatures = ['arch-capabilities'];
    const host = await api
      .post('/api/v1/hosts')
      .send({ name: `qemu-${process.pid}`, libvirtUri: 'qemu:///system', ovsdbRemote: OVSDB, reservedCpus: [], vhostSocketDir, imageDir, disabledCpuFeatures, virtType: 'qemu' })
      .expect(201);
    hostId = host.body.id;
    await waitForDiscovery(api, hostId);
    vnfdId = (await api.post('/api/v1/vnfds').send(VNFD(`two-port-${process.pid}`)).expect(201)).body.id;
    powerOffVnfdId = (await api.post('/api/v1/vnfds').send(VNFD(`power-off-${process.pid}`, 'power-off.raw')).expect(201)).body.id;
    haltVnfdId = (await api.post('/api/v1/vnfds').send(VNFD(`halt-under-kvm-${process.pid}`, 'halt-under-kvm.raw')).expect(201)).body.id;
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

  const removeWhatTheTestsMade = () => removeLeftovers(instances, vmsOf, { libvirt, ovs });

  async function instantiate(name: string, descriptor = vnfdId): Promise<{ instanceId: string; opId: string }> {
    const instance = (await api.post('/api/v1/vnf_instances').send({ vnfdId: descriptor, vnfInstanceName: name }).expect(201)).body;
    instances.push(instance.id);
    const accepted = await api.post(`/api/v1/vnf_instances/${instance.id}/instantiate`).send({ flavourId: 'default', extCpBindings: BINDINGS }).expect(202);
    return { instanceId: instance.id, opId: opIdOf(accepted.headers.location) };
  }

  async function vmsOf(instanceId: string): Promise<{ id: string; hostId: string }[]> {
    return db.query(`SELECT id, "hostId" FROM vdu_instances WHERE "vnfInstanceId" = $1`, [instanceId]);
  }

  /** Runs `work` with a worker that watches each guest for LONG_GUEST_CHECK_MS, then brings the suite's worker back. */
  async function withLongGuestCheck(work: () => Promise<void>): Promise<void> {
    await stopProcess(worker);
    worker = spawnApp(WORKER_MAIN, workerEnv({ LCM_GUEST_CHECK_MS: LONG_GUEST_CHECK_MS }));
    try {
      await work();
    } finally {
      await stopProcess(worker);
      worker = spawnApp(WORKER_MAIN, workerEnv());
    }
  }

  /** The VM as the API shows it. */
  async function vnfcOf(instanceId: string, vmId: string): Promise<Record<string, unknown>> {
    const instance = (await api.get(`/api/v1/vnf_instances/${instanceId}`).expect(200)).body;
    return (instance.instantiatedVnfInfo?.vnfcResourceInfo ?? []).find((vnfc: { id: string }) => vnfc.id === vmId);
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
    for (const vm of vmIds) expect(existsSync(consoleLogOf(vm))).toBe(false);
  }

  const consoleLogOf = (vmId: string) => join(imageDir, 'instances', `${vmId}-console.log`);

  test("the serial console: the firmware's output is kept and readable through the API; a QEMU killed under its VM leaves its sockets, which terminate removes", async () => {
    const { instanceId, opId } = await instantiate('console');
    expect(await waitForOp(api, opId)).toMatchObject({ operationState: 'COMPLETED', error: null });
    const [vm] = await vmsOf(instanceId);
    const viewer = client(app, await tokenFor(app, Role.VIEWER));
    const consoleUrl = `/api/v1/vnf_instances/${instanceId}/vms/${vm.id}/console`;
    // SeaBIOS writes to the serial port (useserial), and so does the NICs' iPXE through it, within seconds of the start.
    let tail: { vmId: string; path: string; lines: string[]; truncated: boolean; sizeBytes: number } = { vmId: '', path: '', lines: [], truncated: false, sizeBytes: 0 };
    await expectEventually(async () => {
      tail = (await viewer.get(consoleUrl).expect(200)).body;
      return tail.lines.some((l) => /SeaBIOS/.test(l)) && tail.lines.some((l) => /iPXE/.test(l));
    }, 60_000);
    expect(tail).toMatchObject({ vmId: vm.id, path: consoleLogOf(vm.id), truncated: false });
    expect(tail.sizeBytes).toBeGreaterThan(0);
    expect(tail.lines.join('\n')).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
    const two = (await viewer.get(`${consoleUrl}?lines=2`).expect(200)).body;
    expect(two.lines).toHaveLength(2);
    expect(two.truncated).toBe(true);
    for (const lines of ['0', '2001', 'x']) await viewer.get(`${consoleUrl}?lines=${lines}`).expect(400);

    // Not found: a VM the instance does not have, an instance that does not exist, and the same VM for another tenant.
    await viewer.get(`/api/v1/vnf_instances/${instanceId}/vms/00000000-0000-4000-8000-00000000dead/console`).expect(404);
    await viewer.get(`/api/v1/vnf_instances/00000000-0000-4000-8000-00000000dead/vms/${vm.id}/console`).expect(404);
    await viewer.get(`/api/v1/vnf_instances/${instanceId}/vms/not-a-uuid/console`).expect(404);
    const tenant = (await api.post('/api/v1/tenants').send({ name: `console-${process.pid}` }).expect(201)).body;
    await client(app, await tokenFor(app, Role.VIEWER, tenant.id)).get(consoleUrl).expect(404);

    // QEMU dies under its VM (as a crash would): the vhost-user sockets it served stay on disk.
    const domain = domainNameFor(vm.id);
    const sockets = (await ovs.findPorts(ownerExternalIds(instanceId, vm.id))).map((p) => join(vhostSocketDir, `${p.name}.sock`));
    expect(sockets).toHaveLength(2);
    await expectEventually(async () => sockets.every((path) => existsSync(path)), 60_000);
    const qemuPid = Number(readFileSync(`/var/run/libvirt/qemu/${domain}.pid`, 'utf8').trim());
    expect(qemuPid).toBeGreaterThan(1);
    process.kill(qemuPid, 'SIGKILL');
    await expectEventually(async () => (await libvirt.powerState(domain))?.state !== 'RUNNING', 30_000);
    for (const path of sockets) expect(existsSync(path)).toBe(true);

    expect(await terminate(instanceId, { terminationType: 'FORCEFUL' })).toMatchObject({ operationState: 'COMPLETED' });
    for (const path of sockets) expect(existsSync(path)).toBe(false);
    await expectNothingLeft(instanceId, [vm.id]);
    // Gone with the VM: the API answers 404 now that the instance has no such VM.
    await viewer.get(consoleUrl).expect(404);
  });

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
    // The host's virtType is qemu: TCG, where the host's CPU and its features do not apply.
    expect(xml).toMatch(/<domain type='qemu'/);
    expect(xml).not.toContain("mode='host-passthrough'");
    expect(await vnfcOf(instanceId, vm.id)).toMatchObject({ state: 'ACTIVE', powerState: 'RUNNING' });
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

  test("a guest that stops right after libvirt started it fails the launch with libvirt's state and reason; the rollback leaves nothing", async () => {
    await withLongGuestCheck(async () => {
      const { instanceId, opId } = await instantiate('powers-off', powerOffVnfdId);
      const op = await waitForOp(api, opId, { timeoutMs: 120_000 });
      expect(op).toMatchObject({
        operationState: 'ROLLED_BACK',
        error: { type: 'urn:vim:problem:guest-not-running', step: 'launch', domainState: 'SHUTOFF', domainStateReason: 'shutdown' },
      });
      expect(op.error.detail).toContain('libvirt reports it shut off (shutdown)');
      // The worker reads the QEMU log of a local qemu:///system: its last lines are quoted.
      expect(op.error.qemuLog).toEqual(expect.arrayContaining([expect.any(String)]));
      // What the guest wrote to its console (SeaBIOS, then the boot sector), read before the rollback removed the file.
      expect(op.error.consoleLog).toEqual(expect.arrayContaining([expect.stringMatching(/SeaBIOS|Booting/)]));
      expect(op.error.consoleLog.length).toBeLessThanOrEqual(20);
      expect(await vmsOf(instanceId)).toEqual([]);
      await expectNothingLeft(instanceId, [op.error.vduInstanceId]);
      const instance = (await api.get(`/api/v1/vnf_instances/${instanceId}`).expect(200)).body;
      expect(instance.instantiationState).toBe('NOT_INSTANTIATED');
    });
  });

  test('a guest that KVM halts in its boot code (as a failing nested KVM halts the firmware): paused (unknown) and "KVM internal error" quoted, rolled back; under TCG it runs', async () => {
    // auto: kvm wherever libvirt offers it, which is where this failure can happen at all.
    await api.patch(`/api/v1/hosts/${hostId}`).send({ virtType: 'auto' }).expect(200);
    try {
      await withLongGuestCheck(async () => {
        const { instanceId, opId } = await instantiate('halts-under-kvm', haltVnfdId);
        const op = await waitForOp(api, opId, { timeoutMs: 120_000 });
        if (kvm.kind === 'absent') {
          expect(op).toMatchObject({ operationState: 'COMPLETED', error: null });
          const [vm] = await vmsOf(instanceId);
          expect(await libvirt.powerState(domainNameFor(vm.id))).toEqual({ state: 'RUNNING' });
          expect(await terminate(instanceId, { terminationType: 'FORCEFUL' })).toMatchObject({ operationState: 'COMPLETED' });
          await expectNothingLeft(instanceId, [vm.id]);
          return;
        }
        expect(op).toMatchObject({
          operationState: 'ROLLED_BACK',
          error: { type: 'urn:vim:problem:guest-not-running', step: 'launch', domainState: 'PAUSED', domainStateReason: 'unknown' },
        });
        expect(op.error.detail).toContain('libvirt reports it paused (unknown)');
        expect(op.error.qemuLog[0]).toMatch(/^KVM internal error\. Suberror: 1/);
        expect(op.error.qemuLog).toContain('emulation failure');
        await expectNothingLeft(instanceId, [op.error.vduInstanceId]);
      });
    } finally {
      await api.patch(`/api/v1/hosts/${hostId}`).send({ virtType: 'qemu' }).expect(200);
    }
  });

  test('libvirt pauses a running VM: the API and the event stream show it PAUSED with the reason; heal brings it back RUNNING, announced too', async () => {
    const { instanceId, opId } = await instantiate('paused-later');
    expect(await waitForOp(api, opId)).toMatchObject({ operationState: 'COMPLETED' });
    const [vm] = await vmsOf(instanceId);
    const domain = domainNameFor(vm.id);
    const stream = await openEventStream(app, adminSecret, `?vnfInstanceId=${instanceId}`);
    try {
      // What a KVM internal error does to a guest, by the operator's hand: libvirt pauses it.
      execFileSync('virsh', ['-c', 'qemu:///system', 'suspend', domain], { stdio: 'ignore' });
      await expectEventually(async () => (await vnfcOf(instanceId, vm.id)).powerState === 'PAUSED', 30_000);
      expect(await vnfcOf(instanceId, vm.id)).toMatchObject({ state: 'ACTIVE', powerState: 'PAUSED', powerStateReason: 'user', powerStateAt: expect.any(String) });
      await stream.until(() => stream.events('vm-state').some((e) => e.powerState === 'PAUSED'));
      expect(stream.events('vm-state')).toContainEqual(
        expect.objectContaining({ kind: 'vm-state', vnfInstanceId: instanceId, vduInstanceId: vm.id, powerState: 'PAUSED', powerStateReason: 'user', previousPowerState: 'RUNNING' }),
      );

      const healed = await api.post(`/api/v1/vnf_instances/${instanceId}/heal`).send({ vduInstanceIds: [vm.id] }).expect(202);
      expect(await waitForOp(api, opIdOf(healed.headers.location), { timeoutMs: 120_000 })).toMatchObject({ operationState: 'COMPLETED', error: null });
      expect(await libvirt.powerState(domain)).toMatchObject({ state: 'RUNNING' });
      expect(await vnfcOf(instanceId, vm.id)).toMatchObject({ state: 'ACTIVE', powerState: 'RUNNING', powerStateReason: null });
      await stream.until(() => stream.events('vm-state').some((e) => e.previousPowerState === 'PAUSED'));
      expect(stream.events('vm-state').at(-1)).toMatchObject({ vduInstanceId: vm.id, powerState: 'RUNNING', previousPowerState: 'PAUSED' });
    } finally {
      stream.close();
    }
    expect(await terminate(instanceId, { terminationType: 'FORCEFUL' })).toMatchObject({ operationState: 'COMPLETED' });
    await expectNothingLeft(instanceId, [vm.id]);
  });

  test('KVM as the boot check found it: a working one runs the VM as a kvm domain; a missing or failing one fails the launch, named, and rolls back', async () => {
    // No KVM: the operator's kvm is refused by libvirt. KVM offered: auto takes it, as it always did.
    await api.patch(`/api/v1/hosts/${hostId}`).send({ virtType: kvm.kind === 'absent' ? 'kvm' : 'auto' }).expect(200);
    // A failing KVM stops the guest in its firmware; the long watch sees that however late the firmware gets there.
    const watching = kvm.kind === 'broken' ? withLongGuestCheck : (work: () => Promise<void>) => work();
    try {
      await watching(async () => {
        const { instanceId, opId } = await instantiate(`kvm-${kvm.kind}`);
        const op = await waitForOp(api, opId, { timeoutMs: 120_000 });
        if (kvm.kind === 'works') {
          expect(op).toMatchObject({ operationState: 'COMPLETED', error: null });
          const [vm] = await vmsOf(instanceId);
          const xml = (await libvirt.domainXml(domainNameFor(vm.id))) as string;
          expect(xml).toMatch(/<domain type='kvm'/);
          expect(xml).toMatch(/<cpu mode='host-passthrough'[^>]*>\s*<feature policy='disable' name='arch-capabilities'\/>/);
          expect(await vnfcOf(instanceId, vm.id)).toMatchObject({ powerState: 'RUNNING' });
          expect(await terminate(instanceId, { terminationType: 'FORCEFUL' })).toMatchObject({ operationState: 'COMPLETED' });
          await expectNothingLeft(instanceId, [vm.id]);
          return;
        }
        expect(op.operationState).toBe('ROLLED_BACK');
        if (kvm.kind === 'broken') {
          // As the boot check saw it: the guest stopped, libvirt's state and reason quoted (paused (unknown), "KVM internal error").
          expect(op.error).toMatchObject({ type: 'urn:vim:problem:guest-not-running', step: 'launch' });
          if (kvm.power) expect(op.error).toMatchObject({ domainState: kvm.power.state, domainStateReason: kvm.power.reason ?? null });
          if (kvm.log.some((line) => line.includes('KVM internal error'))) expect(op.error.qemuLog.join('\n')).toContain('KVM internal error');
        } else {
          expect(op.error).toMatchObject({ type: 'urn:vim:problem:libvirt', step: 'launch' });
          expect(op.error.detail).toMatch(/kvm/i);
        }
        expect(await vmsOf(instanceId)).toEqual([]);
        await expectNothingLeft(instanceId, [op.error.vduInstanceId]);
      });
    } finally {
      await api.patch(`/api/v1/hosts/${hostId}`).send({ virtType: 'qemu' }).expect(200);
    }
  });
});
