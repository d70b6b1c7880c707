import { afterAll, beforeAll, describe, expect, jest, test } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import { type ChildProcess, execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DataSource } from 'typeorm';
import { isChainGroupId } from '#vim/chains';
import { UnraidHypervisorDriver } from '#vim/libvirt';
import { domainNameFor } from '#vim/naming';
import { chainCookieMatch, OvsdbSwitchDriver, ownerExternalIds } from '#vim/ovs';
import { Role } from '#vim/persistence';
import { client, type Client, isolateQueues, startApi, tokenFor } from '../support/api.js';
import { withOwnVnfdId } from '../support/descriptors.js';
import { opIdOf, removeLeftovers, setAsideOtherHosts, waitForChain, waitForChainOp, waitForDiscovery, waitForOp } from '../support/lcm.js';
import { spawnApp, stopProcess, WORKER_MAIN } from '../support/processes.js';
import { openEventStream } from '../support/sse.js';
import { addressOf, createEndpoint, type Endpoint, ping, portCounters, removeEndpoint, udpDelivered, udpStream } from '../support/traffic.js';

jest.setTimeout(300_000);

/**
 * Service chains through the API, proven with packets (issue 20): two real forwarding VNFs
 * (deploy/vnf-image's guest, a Linux bridge between eth0 and eth1) launched through the API as
 * VMs on this machine's qemu:///system under TCG, vhost-user ports on br-int (OvS-DPDK), are the
 * hops; namespaces A and B are the chain's ingress and egress, OvS internal ports in one VLAN of
 * br-int, so that without a chain (and for whatever a chain does not classify: ARP, ping, UDP to
 * another port) A and B reach each other by br-int's NORMAL switching and no VM sees a packet.
 * Each VM's two ext-cpds are bound to VLANs of their own, which nothing else is in: only the
 * chain's flows take a packet into a VM or out of one. The worker installs the chain's rules,
 * follows the instances, repairs drift and answers traces; the test checks each of them against
 * counted packets (B's receiver, OpenFlow port stats of the VMs' ports, the chain's flows).
 *
 * Both VMs are unpinned (the fixture with `policy: dynamic`): CPU 1 is the OvS PMD core, so only
 * one VM with a dedicated vCPU fits on this 2-core machine.
 */
const OVSDB = 'unix:/var/run/openvswitch/db.sock';
const BRIDGE = 'br-int';
const IMAGE = 'vnf-forwarder.qcow2';
const IMAGE_OUT = resolve('.local/vnf-image');
// Short names: Linux interface names stop at 15 characters.
const TAG = String(process.pid % 100_000);
const A: Endpoint = { ns: `vchn-a-${TAG}`, port: `vchna${TAG}`, cidr: '10.79.2.1/24', vlan: 3201 };
const B: Endpoint = { ns: `vchn-b-${TAG}`, port: `vchnb${TAG}`, cidr: '10.79.2.2/24', vlan: 3201 };
/** Each VM's left (ingress side) and right (egress side) VLAN: one port each, the VM's. */
const VM_VLANS = { vm1: [3202, 3203], vm2: [3204, 3205] } as const;
type VmName = keyof typeof VM_VLANS;
const PORT = 5201;
const N = 200;

const say = (line: string) => process.stdout.write(`[chain-api] ${line}\n`);
const sh = (file: string, args: readonly string[]) => execFileSync(file, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
const ofportOf = (port: string) => Number(sh('ovs-vsctl', ['--timeout=10', 'get', 'Interface', port, 'ofport']).trim());
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The forwarder fixture unpinned (one VM with a dedicated vCPU at a time fits this 2-core machine,
 * whose other core polls for OvS), with a vnfd id of its own. Hops name its ext-cpds, left and
 * right, as exposed by its int-cpds left-int and right-int.
 */
const unpinnedForwarder = () => readFileSync('test/fixtures/vnfds/vnf-forwarder-vnfd.yaml', 'utf8').replace(/policy: static/, 'policy: dynamic');
const sharedForwarderVnfd = () => withOwnVnfdId(unpinnedForwarder(), `chains-${TAG}`);

interface Vm {
  name: VmName;
  instanceId: string;
  vmId: string;
  /** OvS interface names of its left (ext-cpd `left`) and right (`right`) ports. */
  left: string;
  right: string;
}

/** A chain's flow as `ovs-ofctl dump-flows` prints it: cookie, packets, in_port, actions. */
interface ChainFlow {
  cookie: bigint;
  packets: number;
  inPort: number;
  actions: string;
  line: string;
}

describe('service chains through the API: classified traffic steered through forwarding VNF VMs on br-int, proven with packets', () => {
  let app: INestApplication;
  let api: Client;
  let secret: string;
  let db: DataSource;
  let worker: ChildProcess;
  let restoreQueues: () => void;
  let restoreHosts = async () => {};
  let hostId: string | undefined;
  let vnfdId: string | undefined;
  /** Descriptors uploaded by a test (deleted in afterAll). */
  let events: Awaited<ReturnType<typeof openEventStream>> | undefined;
  const hostName = `chn-${process.pid}`;
  const imageDir = mkdtempSync(join(tmpdir(), 'vim-e2e-chn-images-'));
  const vhostSocketDir = `/var/run/vim-lite/e2e-chn-${process.pid}`;
  const libvirt = new UnraidHypervisorDriver('qemu:///system');
  const ovs = new OvsdbSwitchDriver(OVSDB);
  const instances: string[] = [];
  /** Chains the test made (id and cookie): deleted in afterAll if a test left them. */
  const chains = new Map<string, bigint>();
  const vms = {} as Record<VmName, Vm>;
  let ofport: Record<string, number> = {};
  let chainId: string;
  let cookie: bigint;

  beforeAll(async () => {
    const started = Date.now();
    const build = spawnSync('bash', ['deploy/vnf-image/build.sh', '--out', IMAGE_OUT], { encoding: 'utf8' });
    if (build.status !== 0) throw new Error(`deploy/vnf-image/build.sh failed:\n${build.stderr}`);
    copyFileSync(join(IMAGE_OUT, IMAGE), join(imageDir, IMAGE));

    restoreQueues = isolateQueues('chain-api');
    process.env.INVENTORY_REFRESH_SECONDS = '0';
    app = await startApi();
    db = app.get(DataSource);
    secret = await tokenFor(app, Role.PLATFORM_ADMIN);
    api = client(app, secret);
    worker = spawnApp(WORKER_MAIN, {
      QUEUE_PREFIX: process.env.QUEUE_PREFIX as string,
      DATABASE_URL: process.env.DATABASE_URL as string,
      VM_STATE_SYNC_SECONDS: '1',
      CHAIN_CHECK_INTERVAL_MS: '1000',
    });
    restoreHosts = await setAsideOtherHosts(db);
    const host = await api
      .post('/api/v1/hosts')
      .send({ name: hostName, libvirtUri: 'qemu:///system', ovsdbRemote: OVSDB, reservedCpus: [], vhostSocketDir, imageDir, disabledCpuFeatures: ['arch-capabilities'], virtType: 'qemu' })
      .expect(201);
    hostId = host.body.id;
    await waitForDiscovery(api, hostId!);
    vnfdId = (await api.post('/api/v1/vnfds').set('content-type', 'application/yaml').send(sharedForwarderVnfd()).expect(201)).body.id;
    createEndpoint(BRIDGE, A);
    createEndpoint(BRIDGE, B);

    // Both VMs at once: their boots overlap (TCG, one core for both).
    const launched = await Promise.all((Object.keys(VM_VLANS) as VmName[]).map((name) => instantiate(name)));
    for (const vm of launched) vms[vm.name] = vm;
    say(`two forwarder VMs instantiated through the API in ${((Date.now() - started) / 1000).toFixed(1)} s (image, API, worker, host included)`);
    await Promise.all(launched.map((vm) => untilGuestReady(vm)));
    say(`both guests forwarding (console 'ready') after ${((Date.now() - started) / 1000).toFixed(1)} s`);
    readPorts();
  });

  afterAll(async () => {
    events?.close();
    for (const [id, chainCookie] of chains) {
      try {
        const deleting = await api.delete(`/api/v1/service_chains/${id}`);
        if (deleting.status === 202) await waitForChainOp(api, opIdOf(deleting.headers.location), 30_000);
      } catch {
        // the worker may be gone; the cookie below takes the rules
      }
      try {
        sh('ovs-ofctl', ['-O', 'OpenFlow15', 'del-flows', BRIDGE, chainCookieMatch(chainCookie)]);
      } catch {
        // none
      }
    }
    for (const id of instances) {
      try {
        const accepted = await api.post(`/api/v1/vnf_instances/${id}/terminate`).send({ terminationType: 'FORCEFUL' });
        if (accepted.status === 202) await waitForOp(api, opIdOf(accepted.headers.location), { timeoutMs: 60_000 });
        await api.delete(`/api/v1/vnf_instances/${id}`);
      } catch {
        // removeLeftovers below
      }
    }
    if (worker) await stopProcess(worker);
    if (db) await removeLeftovers(instances, vmsOf, { libvirt, ovs, bridge: BRIDGE });
    removeEndpoint(BRIDGE, A);
    removeEndpoint(BRIDGE, B);
    if (api && vnfdId) await api.delete(`/api/v1/vnfds/${vnfdId}`).catch(() => undefined);
    if (api && hostId) await api.delete(`/api/v1/hosts/${hostId}`).catch(() => undefined);
    await restoreHosts();
    await app?.close();
    await libvirt.close();
    await ovs.close();
    rmSync(imageDir, { recursive: true, force: true });
    rmSync(vhostSocketDir, { recursive: true, force: true });
    restoreQueues?.();
    delete process.env.INVENTORY_REFRESH_SECONDS;
  });

  async function vmsOf(instanceId: string): Promise<{ id: string }[]> {
    return db.query(`SELECT id FROM vdu_instances WHERE "vnfInstanceId" = $1`, [instanceId]);
  }

  async function instantiate(name: VmName): Promise<Vm> {
    const instance = (await api.post('/api/v1/vnf_instances').send({ vnfdId, vnfInstanceName: `vchn-${name}` }).expect(201)).body;
    instances.push(instance.id);
    const [left, right] = VM_VLANS[name];
    const extCpBindings = { left: { bridge: BRIDGE, vlan: left }, right: { bridge: BRIDGE, vlan: right } };
    const accepted = await api.post(`/api/v1/vnf_instances/${instance.id}/instantiate`).send({ flavourId: 'default', extCpBindings }).expect(202);
    expect(await waitForOp(api, opIdOf(accepted.headers.location), { timeoutMs: 180_000 })).toMatchObject({ operationState: 'COMPLETED', error: null });
    const [vm] = await vmsOf(instance.id);
    const ports = await ovs.findPorts(ownerExternalIds(instance.id));
    expect(ports).toHaveLength(2);
    return { name, instanceId: instance.id, vmId: vm!.id, left: ports.find((p) => p.vlanTag === left)!.name, right: ports.find((p) => p.vlanTag === right)!.name };
  }

  /** The guest says so on its serial console once its bridge forwards (read through the API). */
  async function untilGuestReady(vm: Vm, timeoutMs = 120_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const console = await api.get(`/api/v1/vnf_instances/${vm.instanceId}/vms/${vm.vmId}/console`).query({ lines: 200 }).expect(200);
      if (/vnf-forwarder: ready mode=bridge/.test(console.body.lines.join('\n'))) return;
      if (Date.now() > deadline) throw new Error(`${vm.name}'s guest not ready after ${timeoutMs} ms`);
      await sleep(500);
    }
  }

  function readPorts(): void {
    ofport = Object.fromEntries([A.port, B.port, ...Object.values(vms).flatMap((vm) => [vm.left, vm.right])].map((p) => [p, ofportOf(p)]));
  }
  const nameOfPort = (n: number): string => {
    if (n === ofport[A.port]) return 'A';
    if (n === ofport[B.port]) return 'B';
    for (const vm of Object.values(vms)) {
      if (n === ofport[vm.left]) return `${vm.name}.left`;
      if (n === ofport[vm.right]) return `${vm.name}.right`;
    }
    return `port ${n}`;
  };

  /** What went into each VM (OvS to its left port) and came out of it (its right port to OvS). */
  function crossings(): Record<VmName, { in: number; out: number }> {
    return Object.fromEntries(Object.values(vms).map((vm) => [vm.name, { in: portCounters(BRIDGE, vm.left).txPackets, out: portCounters(BRIDGE, vm.right).rxPackets }])) as Record<
      VmName,
      { in: number; out: number }
    >;
  }
  const crossed = (before: ReturnType<typeof crossings>, after: ReturnType<typeof crossings>) =>
    Object.fromEntries((Object.keys(before) as VmName[]).map((k) => [k, { in: after[k].in - before[k].in, out: after[k].out - before[k].out }])) as Record<VmName, { in: number; out: number }>;
  const crossedText = (d: ReturnType<typeof crossed>) => Object.entries(d).map(([k, v]) => `${k} in ${v.in}/out ${v.out}`).join(', ');

  /** The chain's flows on br-int, every generation (the cookie's low 16 bits masked). */
  function chainFlows(chainCookie = cookie): ChainFlow[] {
    const out = sh('ovs-ofctl', ['-O', 'OpenFlow14', '--no-names', 'dump-flows', BRIDGE, chainCookieMatch(chainCookie)]);
    return out
      .split('\n')
      .filter((l) => l.includes('cookie='))
      .map((line) => {
        const m = /cookie=(0x[0-9a-f]+),.*n_packets=(\d+),.*in_port=(\d+).* actions=(\S+)/.exec(line);
        return { cookie: BigInt(m?.[1] ?? 0), packets: Number(m?.[2] ?? -1), inPort: Number(m?.[3] ?? -1), actions: m?.[4] ?? '', line };
      });
  }

  /**
   * The path the chain's flows make on the switch, read from the dump: from A's port, the place each
   * in_port's flow outputs to, then on from that VM's right port, until B, a drop or a group.
   */
  function flowPath(chainCookie = cookie): string[] {
    const flows = chainFlows(chainCookie);
    const path: string[] = [];
    let at = ofport[A.port]!;
    for (let i = 0; i < 5; i++) {
      const flow = flows.find((f) => f.inPort === at);
      if (!flow) return [...path, 'no flow'];
      const out = /output:(\d+)/.exec(flow.actions);
      if (!out) return [...path, flow.actions];
      const name = nameOfPort(Number(out[1]));
      path.push(name);
      const vm = Object.values(vms).find((v) => `${v.name}.left` === name);
      if (!vm) return path;
      at = ofport[vm.right]!;
    }
    return path;
  }

  /** Packets each chain flow matched between two reads, by the place its in_port is. */
  const flowDelta = (before: ChainFlow[], after: ChainFlow[]) =>
    Object.fromEntries(after.map((f) => [nameOfPort(f.inPort), f.packets - (before.find((b) => b.line.replace(/duration=[^,]*,|n_packets=\d+,|n_bytes=\d+,|idle_age=\d+,|hard_age=\d+,/g, '') === f.line.replace(/duration=[^,]*,|n_packets=\d+,|n_bytes=\d+,|idle_age=\d+,|hard_age=\d+,/g, ''))?.packets ?? 0)]));

  const chainPoint = (end: Endpoint) => ({ host: hostName, bridge: BRIDGE, vlan: end.vlan, port: end.port });
  const hop = (...names: VmName[]) => ({ instances: names.map((n) => ({ vnfInstanceId: vms[n].instanceId, ingressCpd: 'left', egressCpd: 'right' })) });
  const CLASSIFIER = { ethertype: 'ipv4', destinationPrefix: '10.79.2.2/32', protocol: 17, destinationPorts: { from: PORT, to: PORT } };
  const getChain = async (id = chainId) => (await api.get(`/api/v1/service_chains/${id}`).expect(200)).body as Record<string, any>;
  const trace = async (destinationPort: number, sourcePort = 40000) =>
    (await api.post(`/api/v1/service_chains/${chainId}/trace`).send({ ethertype: 'ipv4', source: addressOf(A), destination: addressOf(B), protocol: 17, sourcePort, destinationPort }).expect(200))
      .body as Record<string, any>;
  /** The trace's hops in the test's names: vm1, vm2, ..., then 'egress'. */
  const traceHops = (t: Record<string, any>) =>
    (t.hops as Record<string, any>[]).map((h) => (h.egress ? 'egress' : (Object.values(vms).find((vm) => vm.instanceId === h.vnfInstanceId)?.name ?? h.vnfInstanceId)));

  async function patchChain(change: Record<string, unknown>): Promise<Record<string, any>> {
    const accepted = await api.patch(`/api/v1/service_chains/${chainId}`).send(change).expect(202);
    const op = await waitForChainOp(api, opIdOf(accepted.headers.location));
    expect(op).toMatchObject({ operation: 'UPDATE', operationState: 'COMPLETED', error: null });
    return getChain();
  }

  /** Sends N classified datagrams; answers how many B got, what crossed each VM and each chain flow. */
  async function classified(count = N, dport = PORT) {
    const before = crossings();
    const flowsBefore = chainFlows();
    const received = await udpDelivered(A, B, dport, count);
    const d = crossed(before, crossings());
    return { received, crossed: d, flows: flowDelta(flowsBefore, chainFlows()) };
  }

  test('create through the API: 202 PENDING with its operation, COMPLETED and ACTIVE; the event stream announces it; classified UDP crosses VM 1 then VM 2, unclassified traffic goes A -> B directly', async () => {
    // Before any chain: A and B in one VLAN, no VM sees their packets.
    let before = crossings();
    expect(await ping(A, addressOf(B), 3, { intervalS: 0.2 })).toBe(3);
    expect(await udpDelivered(A, B, PORT, 50)).toBe(50);
    const noChain = crossed(before, crossings());
    say(`no chain: ping 3/3, UDP to ${PORT} 50/50 A -> B directly; ${crossedText(noChain)}`);
    for (const v of Object.values(noChain)) expect(v.in).toBeLessThan(3);

    events = await openEventStream(app, secret);
    expect(events.status).toBe(200);
    const started = Date.now();
    const created = await api
      .post('/api/v1/service_chains')
      .send({ name: `vchn-${TAG}`, description: 'UDP to B:5201 through vm1 then vm2', ingress: chainPoint(A), egress: chainPoint(B), classifier: CLASSIFIER, hops: [hop('vm1'), hop('vm2')] })
      .expect(202);
    chainId = created.body.id;
    cookie = BigInt(created.body.cookie);
    chains.set(chainId, cookie);
    expect(created.body).toMatchObject({ state: 'PENDING', generation: 0, lastOperation: { operation: 'CREATE', operationState: 'STARTING' } });
    const opId = opIdOf(created.headers.location);
    expect(created.headers.location).toBe(`/api/v1/chain_op_occs/${created.body.lastOperation.id}`);
    const op = await waitForChainOp(api, opId);
    expect(op).toMatchObject({ chainId, operation: 'CREATE', operationState: 'COMPLETED', error: null });
    const chain = await waitForChain(api, chainId, (c) => c.state === 'ACTIVE');
    say(`create: POST to COMPLETED and ACTIVE in ${Date.now() - started} ms; cookie ${chain.cookie}, generation ${chain.generation}, installed ${JSON.stringify(chain.installed)}`);
    expect(chain).toMatchObject({ generation: 1, stateReason: null, repairs: 0, installed: [{ host: hostName, bridge: BRIDGE, generation: 1 }] });

    // The stream: chain frames for this operation, STARTING first, COMPLETED last.
    await events.until(() => events!.events('chain').some((e) => e.opId === opId && e.operationState === 'COMPLETED'), 15_000);
    const frames = events.events('chain').filter((e) => e.opId === opId);
    say(`event stream, chain frames of the create: ${frames.map((e) => `${e.operationState}/${e.chainState}`).join(' -> ')}`);
    expect(frames[0]).toMatchObject({ kind: 'chain', chainId, operation: 'CREATE', operationState: 'STARTING' });
    expect(frames.at(-1)).toMatchObject({ kind: 'chain', chainId, operation: 'CREATE', operationState: 'COMPLETED', chainState: 'ACTIVE' });

    // On the switch: A -> vm1 -> vm2 -> B, every flow of generation 1.
    expect(flowPath()).toEqual(['vm1.left', 'vm2.left', 'B']);
    expect(new Set(chainFlows().map((f) => f.cookie))).toEqual(new Set([(cookie << 16n) | 1n]));

    const atSend = Date.now();
    const counted = await classified();
    say(`classified UDP to ${PORT}: sent ${N}, received ${counted.received}; ${crossedText(counted.crossed)}; chain flows at A/vm1.right/vm2.right: ${counted.flows['A']}/${counted.flows['vm1.right']}/${counted.flows['vm2.right']}`);
    expect(counted.received).toBe(N);
    for (const v of Object.values(counted.crossed)) {
      expect(v.in).toBeGreaterThanOrEqual(N);
      expect(v.out).toBeGreaterThanOrEqual(N);
    }
    // In order: A's flow sent N into vm1, vm1's egress flow N into vm2, vm2's egress flow N to B.
    expect([counted.flows['A'], counted.flows['vm1.right'], counted.flows['vm2.right']]).toEqual([N, N, N]);
    // The chain's counters, as the worker reads them and GET shows them: hop 0 is vm1, hop 1 vm2.
    const counters = (await waitForChain(api, chainId, (c) => c.counters !== null && Date.parse(c.counters.at) > atSend + 600 && c.counters.ingress.packets >= N, 20_000)).counters;
    say(`GET counters: ingress ${counters.ingress.packets}, hops ${JSON.stringify(counters.hops.map((h: any) => h.instances.map((i: any) => `${i.live ? 'live' : 'dead'} ${i.packets}`)))}`);
    expect(counters.hops).toHaveLength(2);
    expect(counters.hops[0].instances).toEqual([expect.objectContaining({ vnfInstanceId: vms.vm1.instanceId, live: true })]);
    expect(counters.hops[1].instances).toEqual([expect.objectContaining({ vnfInstanceId: vms.vm2.instanceId, live: true })]);
    expect(counters.ingress.packets).toBeGreaterThanOrEqual(N);
    expect(counters.hops[0].instances[0].packets).toBeGreaterThanOrEqual(N);
    expect(counters.hops[1].instances[0].packets).toBeGreaterThanOrEqual(N);

    // Unclassified: UDP to another port and ping go A -> B by NORMAL, into no VM.
    before = crossings();
    const other = await udpDelivered(A, B, PORT + 1, 100);
    const pings = await ping(A, addressOf(B), 10, { intervalS: 0.1 });
    const d = crossed(before, crossings());
    say(`unclassified: UDP to ${PORT + 1} ${other}/100, ping ${pings}/10; ${crossedText(d)}`);
    expect(other).toBe(100);
    expect(pings).toBe(10);
    for (const v of Object.values(d)) expect(v.in).toBeLessThan(5);
  });

  test('trace: a classified 5-tuple answers vm1, vm2, then the egress, as the packets went; an unclassified one does not enter the chain', async () => {
    const t = await trace(PORT);
    say(`trace UDP 40000 -> ${PORT}: entersChain ${t.entersChain}, hops ${traceHops(t).join(' -> ')}, dropped ${t.dropped}, output ${JSON.stringify(t.output)}`);
    expect(t.entersChain).toBe(true);
    expect(t.dropped).toBe(false);
    expect(traceHops(t)).toEqual(['vm1', 'vm2', 'egress']);
    expect(t.hops.map((h: any) => h.ofport)).toEqual([ofport[vms.vm1.left], ofport[vms.vm2.left], ofport[B.port]]);
    expect(t.output).toEqual([ofport[B.port]]);
    expect(t.rules.filter((r: any) => r.ofChain).every((r: any) => BigInt(r.cookie) === ((cookie << 16n) | 1n))).toBe(true);
    const u = await trace(PORT + 1);
    say(`trace UDP 40000 -> ${PORT + 1}: entersChain ${u.entersChain}, hops ${JSON.stringify(u.hops)}, output ${JSON.stringify(u.output)}`);
    expect(u.entersChain).toBe(false);
    expect(u.hops).toEqual([]);
    expect(u.rules.some((r: any) => r.ofChain)).toBe(false);
  });

  test('refusals: 422 with JSON pointers for an instance not INSTANTIATED, an unknown cpd, an overlapping classifier (at the same priority, and at another one where the chains share VM ports), host bits in a prefix; 400 for a malformed body; nothing left behind', async () => {
    const notInstantiated = (await api.post('/api/v1/vnf_instances').send({ vnfdId, vnfInstanceName: 'vchn-idle' }).expect(201)).body.id as string;
    instances.push(notInstantiated);
    const listed = async () => [(await api.get('/api/v1/service_chains').expect(200)).body.total, (await api.get('/api/v1/chain_op_occs').expect(200)).body.total];
    const before = await listed();
    const base = { ingress: chainPoint(A), egress: chainPoint(B), classifier: CLASSIFIER, hops: [hop('vm1')] };
    const refused = async (body: Record<string, unknown>) => {
      const res = await api.post('/api/v1/service_chains').send(body).expect(422);
      const errors = res.body.errors as { path: string; message: string }[];
      say(`refused ${JSON.stringify(body.name)}: ${errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`);
      return errors;
    };

    let errors = await refused({ ...base, name: 'vchn-idle-hop', classifier: { ...CLASSIFIER, destinationPorts: { from: 7001, to: 7001 } }, hops: [hop('vm1'), { instances: [{ vnfInstanceId: notInstantiated, ingressCpd: 'left', egressCpd: 'right' }] }] });
    expect(errors.some((e) => e.path.startsWith('/hops/1/instances/0') && /INSTANTIATED/.test(e.message))).toBe(true);
    expect(errors.every((e) => e.path.startsWith('/hops/1/'))).toBe(true);

    errors = await refused({ ...base, name: 'vchn-bad-cpd', classifier: { ...CLASSIFIER, destinationPorts: { from: 7002, to: 7002 } }, hops: [{ instances: [{ vnfInstanceId: vms.vm1.instanceId, ingressCpd: 'nowhere', egressCpd: 'right' }] }] });
    expect(errors.map((e) => e.path)).toContain('/hops/0/instances/0/ingressCpd');

    // UDP to 5200..5210 from A's port overlaps the chain's UDP to 5201, both at priority 0.
    const overlapping = { ...base, name: 'vchn-overlap', classifier: { ethertype: 'ipv4', protocol: 17, destinationPorts: { from: 5200, to: 5210 } } };
    errors = await refused(overlapping);
    expect(errors.some((e) => e.path.startsWith('/classifier') && e.message.includes(`vchn-${TAG}`))).toBe(true);

    errors = await refused({ ...base, name: 'vchn-host-bits', classifier: { ...CLASSIFIER, destinationPrefix: '10.79.2.2/24' } });
    expect(errors.map((e) => e.path)).toContain('/classifier/destinationPrefix');

    const malformed = await api.post('/api/v1/service_chains').send({ ...base, name: 'vchn-malformed', classifier: { ...CLASSIFIER, protocol: 'udp' } }).expect(400);
    say(`malformed classifier (protocol 'udp'): 400 ${JSON.stringify(malformed.body.errors ?? malformed.body.detail)}`);
    await api.post('/api/v1/service_chains').send({ ...base, name: 'vchn-malformed', hops: 'vm1' }).expect(400);
    expect(await listed()).toEqual(before);

    // Another priority settles the ingress, not the VMs' ports both chains would match traffic
    // leaving (priority there would hand the lower chain's packets to the higher): still refused.
    errors = await refused({ ...overlapping, priority: 10 });
    expect(errors).toEqual([{ path: '/classifier', message: expect.stringMatching(/at connection point right of instance .*priorities cannot tell them apart/) }]);
    expect(await listed()).toEqual(before);
    // The first chain still carries its traffic.
    expect((await classified(50)).received).toBe(50);
  });

  test('PATCH reorder (vm2, then vm1) under a steady stream: COMPLETED, generation + 1, the flows and the trace show the new order, no datagram lost', async () => {
    const { generation } = await getChain();
    const COUNT = 1500;
    const stream = await udpStream(A, B, PORT, COUNT, 2);
    await stream.sending;
    await sleep(600);
    const started = Date.now();
    const chain = await patchChain({ hops: [hop('vm2'), hop('vm1')] });
    const patchMs = Date.now() - started;
    const result = await stream.result;
    say(`reorder mid-stream: PATCH to COMPLETED ${patchMs} ms; stream sent ${result.sent}, received ${result.received}, missing ${result.missing.length} ${JSON.stringify(result.missing.slice(0, 20))}, duplicates ${result.duplicates} in ${result.sendMs} ms`);
    expect(chain.generation).toBe(generation + 1);
    expect(chain.state).toBe('ACTIVE');
    expect(result.missing).toEqual([]);
    expect(result.received).toBe(COUNT);

    expect(flowPath()).toEqual(['vm2.left', 'vm1.left', 'B']);
    expect(new Set(chainFlows().map((f) => f.cookie))).toEqual(new Set([(cookie << 16n) | BigInt(generation + 1)]));
    const t = await trace(PORT);
    say(`trace after reorder: ${traceHops(t).join(' -> ')}`);
    expect(traceHops(t)).toEqual(['vm2', 'vm1', 'egress']);

    const counted = await classified();
    say(`after reorder: sent ${N}, received ${counted.received}; ${crossedText(counted.crossed)}; chain flows at A/vm2.right/vm1.right: ${counted.flows['A']}/${counted.flows['vm2.right']}/${counted.flows['vm1.right']}`);
    expect(counted.received).toBe(N);
    expect([counted.flows['A'], counted.flows['vm2.right'], counted.flows['vm1.right']]).toEqual([N, N, N]);
    for (const v of Object.values(counted.crossed)) expect(v.in).toBeGreaterThanOrEqual(N);
    // GET's counters follow the new order: hop 0 is vm2 now.
    const { counters } = await waitForChain(api, chainId, (c) => c.counters?.hops[0]?.instances[0]?.vnfInstanceId === vms.vm2.instanceId && c.counters.ingress.packets >= N, 20_000);
    expect(counters.hops.map((h: any) => h.instances.map((i: any) => i.vnfInstanceId))).toEqual([[vms.vm2.instanceId], [vms.vm1.instanceId]]);
  });

  test('a hop of two instances (vm1, vm2): flows spread over both, each flow on one instance, the one the trace names', async () => {
    const chain = await patchChain({ hops: [hop('vm1', 'vm2')] });
    expect(chain.state).toBe('ACTIVE');
    const groups = sh('ovs-ofctl', ['-O', 'OpenFlow15', 'dump-groups', BRIDGE]).split('\n').filter((l) => {
      const id = /group_id=(\d+)/.exec(l)?.[1];
      return id !== undefined && isChainGroupId(cookie, Number(id));
    });
    say(`two-instance hop: the chain's groups ${groups.map((g) => g.trim()).join(' | ')}`);
    expect(groups).toHaveLength(1);
    expect(groups[0]).toMatch(/type=select/);
    expect(groups[0]).toContain(`output:${ofport[vms.vm1.left]}`);
    expect(groups[0]).toContain(`output:${ofport[vms.vm2.left]}`);

    // Which instance each source port's flow takes, by the trace; both must be used.
    const planned: { sport: number; vm: VmName }[] = [];
    for (let sport = 41001; sport <= 41016; sport++) {
      const t = await trace(PORT, sport);
      expect(t.entersChain).toBe(true);
      const [first, last] = traceHops(t);
      expect(last).toBe('egress');
      planned.push({ sport, vm: first as VmName });
    }
    say(`trace of 16 source ports: ${planned.map((p) => `${p.sport}->${p.vm}`).join(' ')}`);
    const pick = [...planned.filter((p) => p.vm === 'vm1').slice(0, 3), ...planned.filter((p) => p.vm === 'vm2').slice(0, 3)];
    expect(new Set(pick.map((p) => p.vm))).toEqual(new Set(['vm1', 'vm2']));

    const FLOW = 40;
    for (const { sport, vm } of pick) {
      const before = crossings();
      const result = await (await udpStream(A, B, PORT, FLOW, 5, sport)).result;
      const d = crossed(before, crossings());
      const other: VmName = vm === 'vm1' ? 'vm2' : 'vm1';
      say(`flow from port ${sport} (trace: ${vm}): received ${result.received}/${FLOW}; ${crossedText(d)}`);
      expect(result.received).toBe(FLOW);
      expect(d[vm].in).toBeGreaterThanOrEqual(FLOW);
      expect(d[vm].out).toBeGreaterThanOrEqual(FLOW);
      expect(d[other].in).toBeLessThan(3);
    }
  });

  test('failMode: vm2 destroyed by hand, the chain goes DEGRADED by itself; closed drops at the dead hop, open bypasses it; healed through the API, ACTIVE again and both are crossed', async () => {
    let chain = await patchChain({ hops: [hop('vm1'), hop('vm2')], failMode: 'closed' });
    expect(chain).toMatchObject({ state: 'ACTIVE', failMode: 'closed' });
    expect(flowPath()).toEqual(['vm1.left', 'vm2.left', 'B']);
    expect((await classified(50)).received).toBe(50);

    // As a crash would: the domain goes away under the product's feet.
    let started = Date.now();
    execFileSync('virsh', ['-c', 'qemu:///system', 'destroy', domainNameFor(vms.vm2.vmId)], { stdio: 'ignore' });
    chain = await waitForChain(api, chainId, (c) => c.state === 'DEGRADED', 30_000);
    say(`vm2 destroyed: DEGRADED after ${Date.now() - started} ms (${chain.stateReason}), generation ${chain.generation}`);
    expect(chain.stateReason).toEqual(expect.any(String));
    // GET says which hop instance is not live.
    chain = await waitForChain(api, chainId, (c) => c.counters?.hops[1]?.instances[0]?.live === false, 20_000);
    expect(chain.counters.hops.map((h: any) => h.instances.map((i: any) => [i.vnfInstanceId, i.live]))).toEqual([[[vms.vm1.instanceId, true]], [[vms.vm2.instanceId, false]]]);
    let counted = await classified();
    say(`failMode closed, vm2 dead: sent ${N}, received ${counted.received}; ${crossedText(counted.crossed)}; chain flow at vm1.right: ${counted.flows['vm1.right']} (${chainFlows().find((f) => f.inPort === ofport[vms.vm1.right])?.actions})`);
    expect(counted.received).toBe(0);
    expect(counted.crossed.vm1.in).toBeGreaterThanOrEqual(N);
    expect(counted.crossed.vm1.out).toBeGreaterThanOrEqual(N);
    expect(chainFlows().find((f) => f.inPort === ofport[vms.vm1.right])?.actions).toBe('drop');
    // Unclassified traffic is not the chain's: it still goes A -> B.
    expect(await udpDelivered(A, B, PORT + 1, 50)).toBe(50);

    chain = await patchChain({ failMode: 'open' });
    expect(chain).toMatchObject({ state: 'DEGRADED', failMode: 'open' });
    counted = await classified();
    say(`failMode open, vm2 dead: sent ${N}, received ${counted.received}; ${crossedText(counted.crossed)}`);
    expect(counted.received).toBe(N);
    expect(counted.crossed.vm1.in).toBeGreaterThanOrEqual(N);
    expect(counted.crossed.vm2.in).toBe(0);
    const t = await trace(PORT);
    expect(traceHops(t)).toEqual(['vm1', 'egress']);

    started = Date.now();
    const accepted = await api.post(`/api/v1/vnf_instances/${vms.vm2.instanceId}/heal`).send({ vduInstanceIds: [vms.vm2.vmId] }).expect(202);
    expect(await waitForOp(api, opIdOf(accepted.headers.location), { timeoutMs: 120_000 })).toMatchObject({ operationState: 'COMPLETED', error: null });
    chain = await waitForChain(api, chainId, (c) => c.state === 'ACTIVE', 30_000);
    say(`vm2 healed through the API: chain ACTIVE again after ${Date.now() - started} ms, generation ${chain.generation}`);
    const ports = await ovs.findPorts(ownerExternalIds(vms.vm2.instanceId));
    vms.vm2.left = ports.find((p) => p.vlanTag === VM_VLANS.vm2[0])!.name;
    vms.vm2.right = ports.find((p) => p.vlanTag === VM_VLANS.vm2[1])!.name;
    readPorts();
    expect(flowPath()).toEqual(['vm1.left', 'vm2.left', 'B']);
    // The healed guest boots (TCG): the classified datagrams get through once its bridge is up.
    const deadline = Date.now() + 90_000;
    while ((await udpDelivered(A, B, PORT, 5)) < 5) {
      if (Date.now() > deadline) throw new Error('no classified datagram through the healed vm2 after 90 s');
    }
    say(`healed vm2 forwarding ${Date.now() - started} ms after the heal request`);
    counted = await classified();
    say(`after heal: sent ${N}, received ${counted.received}; ${crossedText(counted.crossed)}`);
    expect(counted.received).toBe(N);
    for (const v of Object.values(counted.crossed)) expect(v.in).toBeGreaterThanOrEqual(N);
  });

  test('drift: the chain\'s flows deleted by hand are put back by the worker\'s periodic check, counted in repairs, with a REPAIR operation', async () => {
    const { repairs } = await getChain();
    expect(chainFlows().length).toBeGreaterThan(0);
    sh('ovs-ofctl', ['-O', 'OpenFlow15', 'del-flows', BRIDGE, chainCookieMatch(cookie)]);
    expect(chainFlows()).toEqual([]);
    const started = Date.now();
    const chain = await waitForChain(api, chainId, (c) => c.repairs > repairs, 30_000);
    say(`flows deleted by hand: repaired after ${Date.now() - started} ms; repairs ${repairs} -> ${chain.repairs}, lastRepairAt ${chain.lastRepairAt}, state ${chain.state}`);
    expect(chain.lastRepairAt).toEqual(expect.any(String));
    expect(chain.state).toBe('ACTIVE');
    const ops = (await api.get('/api/v1/chain_op_occs').query({ chainId, operation: 'REPAIR' }).expect(200)).body.items as Record<string, any>[];
    say(`REPAIR operations: ${ops.map((o) => `${o.operationState}${o.isAutomaticInvocation ? ' (automatic)' : ''}`).join(', ')}`);
    expect(ops.length).toBeGreaterThanOrEqual(1);
    expect(ops[0]).toMatchObject({ chainId, operation: 'REPAIR', isAutomaticInvocation: true });
    expect(Date.parse(ops[0]!.startTime)).toBeGreaterThanOrEqual(started - 1_000);
    await waitForChainOp(api, ops[0]!.id);
    // The repair is announced on the event stream like any chain operation.
    await events!.until(() => events!.events('chain').some((e) => e.chainId === chainId && e.operation === 'REPAIR' && e.opId === ops[0]!.id && e.operationState === 'COMPLETED'), 15_000);
    expect(flowPath()).toEqual(['vm1.left', 'vm2.left', 'B']);
    const counted = await classified();
    say(`after the repair: sent ${N}, received ${counted.received}; ${crossedText(counted.crossed)}`);
    expect(counted.received).toBe(N);
    for (const v of Object.values(counted.crossed)) expect(v.in).toBeGreaterThanOrEqual(N);
  });

  test('DELETE: DELETING, COMPLETED, then 404; no flow or group of the chain\'s cookie on br-int; UDP to 5201 goes A -> B directly', async () => {
    const deleting = await api.delete(`/api/v1/service_chains/${chainId}`).expect(202);
    expect(deleting.body.state).toBe('DELETING');
    expect(await waitForChainOp(api, opIdOf(deleting.headers.location))).toMatchObject({ chainId, operation: 'DELETE', operationState: 'COMPLETED', error: null });
    await api.get(`/api/v1/service_chains/${chainId}`).expect(404);
    chains.delete(chainId);
    expect(chainFlows()).toEqual([]);
    const groups = [...sh('ovs-ofctl', ['-O', 'OpenFlow15', 'dump-groups', BRIDGE]).matchAll(/group_id=(\d+)/g)].map((m) => Number(m[1])).filter((id) => isChainGroupId(cookie, id));
    expect(groups).toEqual([]);
    const before = crossings();
    const received = await udpDelivered(A, B, PORT, 100);
    const pings = await ping(A, addressOf(B), 3, { intervalS: 0.1 });
    const d = crossed(before, crossings());
    say(`after delete: UDP to ${PORT} ${received}/100, ping ${pings}/3; ${crossedText(d)}`);
    expect(received).toBe(100);
    expect(pings).toBe(3);
    for (const v of Object.values(d)) expect(v.in).toBeLessThan(3);
  });
});
