import { afterAll, beforeAll, describe, expect, jest, test } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import { type ChildProcess, execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DataSource } from 'typeorm';
import { UnraidHypervisorDriver } from '#vim/libvirt';
import { domainNameFor } from '#vim/naming';
import { OvsdbSwitchDriver, ownerExternalIds } from '#vim/ovs';
import { Role } from '#vim/persistence';
import { client, type Client, isolateQueues, startApi, tokenFor } from '../support/api.js';
import { withOwnVnfdId } from '../support/descriptors.js';
import { opIdOf, removeLeftovers, setAsideOtherHosts, waitForDiscovery, waitForOp } from '../support/lcm.js';
import { spawnApp, stopProcess, WORKER_MAIN } from '../support/processes.js';
import {
  addressOf,
  createEndpoint,
  type Endpoint,
  firstReplyMs,
  ping,
  portCounters,
  removeEndpoint,
  tcpConnects,
  udpDelivered,
} from '../support/traffic.js';

jest.setTimeout(300_000);

const OVSDB = 'unix:/var/run/openvswitch/db.sock';
const BRIDGE = 'br-int';
const IMAGE = 'vnf-forwarder.qcow2';
const IMAGE_OUT = resolve('.local/vnf-image');
// Short names: Linux interface names stop at 15 characters.
const TAG = String(process.pid % 100_000);

/**
 * Two namespaces per VNF, each in one of the VLANs the VNF's ext-cpds are bound to: in br-int's
 * NORMAL switching, A's VLAN and B's meet only inside the VM, which bridges eth0 and eth1.
 */
const pair = (letter: string, vlans: [number, number], subnet: string): [Endpoint, Endpoint] => [
  { ns: `vim-e2e-${letter}a-${TAG}`, port: `v${letter}a${TAG}`, cidr: `${subnet}.1/24`, vlan: vlans[0] },
  { ns: `vim-e2e-${letter}b-${TAG}`, port: `v${letter}b${TAG}`, cidr: `${subnet}.2/24`, vlan: vlans[1] },
];
const FORWARDER_ENDS = pair('f', [3101, 3102], '10.77.1');
const FIREWALL_ENDS = pair('w', [3103, 3104], '10.78.1');
const bindings = ([a, b]: [Endpoint, Endpoint]) => ({ left: { bridge: BRIDGE, vlan: a.vlan }, right: { bridge: BRIDGE, vlan: b.vlan } });

/** What the test prints as it goes: the timings the issue asks for, and the packet counts. */
const say = (line: string) => process.stdout.write(`[vnf-traffic] ${line}\n`);
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/**
 * Packets through a real VNF: the forwarding guest image of deploy/vnf-image, launched through the
 * API on this machine's qemu:///system and OvS-DPDK, with namespaces of the test's own as the
 * traffic's ends. TCG everywhere (the host is registered with virtType qemu), so the test means
 * the same on machines without KVM, with a working one and with a failing nested one.
 */
describe('packets through a real VNF launched by the product: forwarder and firewall on vhost-user ports', () => {
  let app: INestApplication;
  let api: Client;
  let db: DataSource;
  let worker: ChildProcess;
  let restoreQueues: () => void;
  let restoreHosts = async () => {};
  let forwarderVnfd: string;
  let firewallVnfd: string;
  const imageDir = mkdtempSync(join(tmpdir(), 'vim-e2e-vnf-images-'));
  const vhostSocketDir = `/var/run/vim-lite/e2e-vnf-${process.pid}`;
  const libvirt = new UnraidHypervisorDriver('qemu:///system');
  const ovs = new OvsdbSwitchDriver(OVSDB);
  const instances: string[] = [];

  beforeAll(async () => {
    const started = Date.now();
    // build.sh reports on stderr; `up to date` means the cached image was kept.
    const build = spawnSync('bash', ['deploy/vnf-image/build.sh', '--out', IMAGE_OUT], { encoding: 'utf8' });
    if (build.status !== 0) throw new Error(`deploy/vnf-image/build.sh failed:\n${build.stderr}`);
    say(`image build: ${seconds(Date.now() - started)} (${/up to date/.test(build.stderr) ? 'cached' : 'built'})`);
    copyFileSync(join(IMAGE_OUT, IMAGE), join(imageDir, IMAGE));

    restoreQueues = isolateQueues('vnf-traffic');
    process.env.INVENTORY_REFRESH_SECONDS = '0';
    app = await startApi();
    db = app.get(DataSource);
    api = client(app, await tokenFor(app, Role.PLATFORM_ADMIN));
    worker = spawnApp(WORKER_MAIN, { QUEUE_PREFIX: process.env.QUEUE_PREFIX as string, DATABASE_URL: process.env.DATABASE_URL as string, VM_STATE_SYNC_SECONDS: '1' });
    restoreHosts = await setAsideOtherHosts(db);
    const host = await api
      .post('/api/v1/hosts')
      .send({ name: `vnf-${process.pid}`, libvirtUri: 'qemu:///system', ovsdbRemote: OVSDB, reservedCpus: [], vhostSocketDir, imageDir, disabledCpuFeatures: ['arch-capabilities'], virtType: 'qemu' })
      .expect(201);
    await waitForDiscovery(api, host.body.id);
    const upload = (name: string) => api.post('/api/v1/vnfds').set('content-type', 'application/yaml').send(withOwnVnfdId(readFileSync(join('test/fixtures/vnfds', name), 'utf8'), `e2e-${TAG}`)).expect(201);
    forwarderVnfd = (await upload('vnf-forwarder-vnfd.yaml')).body.id;
    firewallVnfd = (await upload('vnf-firewall-vnfd.yaml')).body.id;
    for (const [a, b] of [FORWARDER_ENDS, FIREWALL_ENDS]) for (const end of [a, b]) createEndpoint(BRIDGE, end);
  });

  afterAll(async () => {
    if (worker) await stopProcess(worker);
    await removeWhatTheTestsMade();
    for (const end of [...FORWARDER_ENDS, ...FIREWALL_ENDS]) removeEndpoint(BRIDGE, end);
    await restoreHosts();
    await app?.close();
    await libvirt.close();
    await ovs.close();
    rmSync(imageDir, { recursive: true, force: true });
    rmSync(vhostSocketDir, { recursive: true, force: true });
    restoreQueues?.();
    delete process.env.INVENTORY_REFRESH_SECONDS;
  });

  const removeWhatTheTestsMade = () => removeLeftovers(instances, vmsOf, { libvirt, ovs, bridge: BRIDGE });

  async function vmsOf(instanceId: string): Promise<{ id: string }[]> {
    return db.query(`SELECT id FROM vdu_instances WHERE "vnfInstanceId" = $1`, [instanceId]);
  }

  /** Instantiates `vnfdId` with its ext-cpds in the VLANs of `ends`; answers when the operation completed, timed. */
  async function instantiate(name: string, vnfdId: string, ends: [Endpoint, Endpoint]): Promise<{ instanceId: string; vmId: string; tookMs: number }> {
    const instance = (await api.post('/api/v1/vnf_instances').send({ vnfdId, vnfInstanceName: name }).expect(201)).body;
    instances.push(instance.id);
    const started = Date.now();
    const accepted = await api.post(`/api/v1/vnf_instances/${instance.id}/instantiate`).send({ flavourId: 'default', extCpBindings: bindings(ends) }).expect(202);
    const op = await waitForOp(api, opIdOf(accepted.headers.location), { timeoutMs: 180_000 });
    const tookMs = Date.now() - started;
    expect(op).toMatchObject({ operationState: 'COMPLETED', error: null });
    const [vm] = await vmsOf(instance.id);
    return { instanceId: instance.id, vmId: vm!.id, tookMs };
  }

  /** The VM's two OvS ports, the one in A's VLAN first. */
  async function vmPorts(instanceId: string, [a]: [Endpoint, Endpoint]): Promise<[string, string]> {
    const ports = await ovs.findPorts(ownerExternalIds(instanceId));
    expect(ports).toHaveLength(2);
    const left = ports.find((p) => p.vlanTag === a.vlan)!;
    const right = ports.find((p) => p !== left)!;
    return [left.name, right.name];
  }

  async function untilFirstPacket(ends: [Endpoint, Endpoint], what: string): Promise<void> {
    const ms = await firstReplyMs(ends[0], addressOf(ends[1]), 120_000);
    expect(ms).toBeDefined();
    say(`${what}: first packet through after ${seconds(ms!)}`);
  }

  async function terminate(instanceId: string): Promise<void> {
    const accepted = await api.post(`/api/v1/vnf_instances/${instanceId}/terminate`).send({ terminationType: 'FORCEFUL' }).expect(202);
    expect(await waitForOp(api, opIdOf(accepted.headers.location), { timeoutMs: 120_000 })).toMatchObject({ operationState: 'COMPLETED' });
  }

  async function expectNothingLeft(instanceId: string, vmId: string): Promise<void> {
    expect(await libvirt.lookupDomain(domainNameFor(vmId))).toBeUndefined();
    expect(await ovs.findPorts(ownerExternalIds(instanceId))).toEqual([]);
    expect(await vmsOf(instanceId)).toEqual([]);
    expect(await db.query(`SELECT count(*)::int AS n FROM resource_claims WHERE "vduInstanceId" = $1`, [vmId])).toEqual([{ n: 0 }]);
    const leftovers = (dir: string) => (existsSync(dir) ? readdirSync(dir).filter((f) => f.includes(vmId) || f.startsWith('vhu')) : []);
    expect(leftovers(join(imageDir, 'instances'))).toEqual([]);
    expect(leftovers(vhostSocketDir)).toEqual([]);
  }

  let forwarder: { instanceId: string; vmId: string };

  test('the forwarder: instantiated through the API, it carries ping, UDP and TCP from A to B, counted on its own ports', async () => {
    const launched = await instantiate('forwarder', forwarderVnfd, FORWARDER_ENDS);
    forwarder = launched;
    say(`forwarder: instantiate POST to COMPLETED ${seconds(launched.tookMs)}`);
    await untilFirstPacket(FORWARDER_ENDS, 'forwarder');

    const [a, b] = FORWARDER_ENDS;
    const [left, right] = await vmPorts(launched.instanceId, FORWARDER_ENDS);
    const before = [portCounters(BRIDGE, left), portCounters(BRIDGE, right)];
    expect(await ping(a, addressOf(b), 20)).toBe(20);
    const udp = await udpDelivered(a, b, 5201, 200);
    const after = [portCounters(BRIDGE, left), portCounters(BRIDGE, right)];
    say(`forwarder: 20/20 pings, ${udp}/200 UDP datagrams to port 5201`);
    expect(udp).toBeGreaterThanOrEqual(190);
    // Every request went into the VM on A's side and out of it on B's side; every reply back the other way.
    expect(after[0]!.txPackets - before[0]!.txPackets).toBeGreaterThanOrEqual(20 + udp);
    expect(after[1]!.rxPackets - before[1]!.rxPackets).toBeGreaterThanOrEqual(20 + udp);
    expect(after[1]!.txPackets - before[1]!.txPackets).toBeGreaterThanOrEqual(20);
    expect(after[0]!.rxPackets - before[0]!.rxPackets).toBeGreaterThanOrEqual(20);
    expect(await tcpConnects(a, b, 5201)).toBe(true);

    // The guest's serial console, as an operator reads it through the API.
    const console = await api.get(`/api/v1/vnf_instances/${launched.instanceId}/vms/${launched.vmId}/console`).query({ lines: 200 }).expect(200);
    expect(console.body.lines.join('\n')).toMatch(/vnf-forwarder: ready mode=bridge/);
  });

  test('the forwarder stopped: nothing reaches B; healed through the API: traffic is back', async () => {
    const [a, b] = FORWARDER_ENDS;
    // As a crash would: the domain goes away under the product's feet.
    execFileSync('virsh', ['-c', 'qemu:///system', 'destroy', domainNameFor(forwarder.vmId)], { stdio: 'ignore' });
    expect(await ping(a, addressOf(b), 5)).toBe(0);
    expect(await udpDelivered(a, b, 5201, 50)).toBe(0);
    say('forwarder stopped: 0/5 pings, 0/50 UDP datagrams');

    const started = Date.now();
    const accepted = await api.post(`/api/v1/vnf_instances/${forwarder.instanceId}/heal`).send({ vduInstanceIds: [forwarder.vmId] }).expect(202);
    expect(await waitForOp(api, opIdOf(accepted.headers.location), { timeoutMs: 120_000 })).toMatchObject({ operationState: 'COMPLETED', error: null });
    say(`forwarder: heal POST to COMPLETED ${seconds(Date.now() - started)}`);
    await untilFirstPacket(FORWARDER_ENDS, 'forwarder healed');
    expect(await ping(a, addressOf(b), 20)).toBe(20);

    await terminate(forwarder.instanceId);
    await expectNothingLeft(forwarder.instanceId, forwarder.vmId);
    expect(await ping(a, addressOf(b), 3)).toBe(0);
  });

  test('the firewall: the port its day-0 configuration names is dropped in the VM, the rest passes', async () => {
    const launched = await instantiate('firewall', firewallVnfd, FIREWALL_ENDS);
    say(`firewall: instantiate POST to COMPLETED ${seconds(launched.tookMs)}`);
    await untilFirstPacket(FIREWALL_ENDS, 'firewall');

    const [a, b] = FIREWALL_ENDS;
    const [left, right] = await vmPorts(launched.instanceId, FIREWALL_ENDS);
    const before = [portCounters(BRIDGE, left), portCounters(BRIDGE, right)];
    const blocked = await udpDelivered(a, b, 5201, 100);
    const after = [portCounters(BRIDGE, left), portCounters(BRIDGE, right)];
    const passed = await udpDelivered(a, b, 5301, 100);
    say(`firewall: ${blocked}/100 UDP datagrams to the blocked port 5201, ${passed}/100 to port 5301`);
    expect(blocked).toBe(0);
    expect(passed).toBeGreaterThanOrEqual(95);
    // The blocked datagrams reached the VM and went no further (B's side sees only the odd ARP).
    const [into, outOf] = [after[0]!.txPackets - before[0]!.txPackets, after[1]!.rxPackets - before[1]!.rxPackets];
    say(`firewall: while 100 datagrams were blocked, ${into} packets went into the VM on A's side and ${outOf} came out on B's side`);
    expect(into).toBeGreaterThanOrEqual(100);
    expect(outOf).toBeLessThan(10);
    expect(await tcpConnects(a, b, 5201)).toBe(false);
    expect(await tcpConnects(a, b, 5301)).toBe(true);
    expect(await ping(a, addressOf(b), 10)).toBe(10);

    await terminate(launched.instanceId);
    await expectNothingLeft(launched.instanceId, launched.vmId);
  });
});
