import { afterAll, beforeAll, describe, expect, jest, test } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import {
  chainCookieMatch, deleteChainBundle, flowDrift, generationCookie, generationFlowLines, installChainBundle, type ChainGeneration,
  type InstalledGeneration, AppctlFlowTracer, chainOfCookie, type FlowTrace, OfctlError, OfctlFlowInstaller, OvsError, type TracePacket,
} from '#vim/ovs';
import { type ChainFacts, renderChain, type ServiceChain } from '#vim/chains';
import {
  addressOf, createEndpoint, createHopNamespace, type Endpoint, type HopNamespace, ping, portCounters, removeEndpoint, removeHopNamespace, udpDelivered,
  udpStream,
} from '../support/traffic.js';

jest.setTimeout(180_000);

/**
 * Installing a service chain's flows on a real OvS-DPDK netdev bridge, make-before-break, proven
 * with packets. Everything here is the test's own: a bridge without the NORMAL flow, namespaces A
 * (ingress) and B (egress) behind internal ports, and three "hop" namespaces, each two internal
 * ports joined by a Linux bridge (a bump in the wire). The chain's flows are written by hand here
 * (libs/chains renders them in the product): UDP to port 5201 from A crosses the hops in order,
 * everything else goes A <-> B directly by two base flows of another cookie. Each chain generation
 * enters every hop through a select group of one bucket, so the bundles carry groups as well.
 * After each change, `ovs-appctl ofproto/trace` (AppctlFlowTracer) is followed hop by hop from
 * A's port and must agree with the port counters the packets moved: the same hops in the same
 * order, by rules of the current generation's cookie only; unclassified traffic and the deleted
 * chain's by no rule of the chain.
 * Then chains rendered by libs/chains: one through a two-instance select hop, one with an IPv6
 * classifier between A6 and B6 (a second pair with IPv6 on, addresses added without DAD, joined by
 * base flows of their own so neighbour discovery crosses the bridge), and one whose hop 2 stops
 * being live, re-rendered with failMode closed (drop after hop 1) and then open (bypass hop 2).
 */
const TAG = String(process.pid % 100_000);
const BRIDGE = `brch${TAG}`;
const CHAIN = 0xc4a1_0000_0001n;
const BASE_COOKIE = 0xba5en; // the direct A <-> B flows: another "chain" (cookie 0xba5e << 16) the bundles must not touch
const DECOY_GROUP = 0x7777; // another owner's group on the bridge
const A: Endpoint = { ns: `vim-ch-a-${TAG}`, port: `cha${TAG}`, cidr: '10.78.0.1/24', vlan: 0 };
const B: Endpoint = { ns: `vim-ch-b-${TAG}`, port: `chb${TAG}`, cidr: '10.78.0.2/24', vlan: 0 };
// An IPv6 pair for the IPv6 classifier, joined by base flows of their own; the hops serve both.
const A6: Endpoint = { ns: `vim-ch-a6-${TAG}`, port: `ch6a${TAG}`, cidr: 'fd00:77::1/64', vlan: 0, ipv6: true };
const B6: Endpoint = { ns: `vim-ch-b6-${TAG}`, port: `ch6b${TAG}`, cidr: 'fd00:77::2/64', vlan: 0, ipv6: true };
const HOPS: HopNamespace[] = [1, 2, 3].map((i) => ({ ns: `vim-ch-h${i}-${TAG}`, ingress: `c${i}i${TAG}`, egress: `c${i}e${TAG}` }));
const PORT = 5201;

const sh = (file: string, args: readonly string[], input?: string) => execFileSync(file, args, { encoding: 'utf8', input, stdio: ['pipe', 'pipe', 'pipe'] });
const ofport = (port: string) => Number(sh('ovs-vsctl', ['--timeout=10', 'get', 'Interface', port, 'ofport']).trim());
const installer = new OfctlFlowInstaller();
const tracer = new AppctlFlowTracer();
const report = (line: string) => process.stdout.write(`[chain-install] ${line}\n`);

let port: Record<string, number> = {};

/** libs/chains' facts for HOPS[i] as one instance with ports `left` (ingress) and `right` (egress). */
const hopFacts = (i: number, live = true) => ({
  state: 'INSTANTIATED',
  live,
  ports: {
    left: { host: 'h', bridge: BRIDGE, ofport: port[HOPS[i]!.ingress]!, kind: 'vhostuser' as const },
    right: { host: 'h', bridge: BRIDGE, ofport: port[HOPS[i]!.egress]!, kind: 'vhostuser' as const },
  },
});

/** Group id per (generation, hop), as libs/chains numbers them: never the same for two generations. */
const groupIdOf = (generation: number, hop: number) => generation * 256 + hop + 1;

/** The flows and groups of a chain generation through `order` (indices into HOPS). */
function generationThrough(generation: number, order: readonly number[]): ChainGeneration {
  const groups = order.map((hop) => `group_id=${groupIdOf(generation, hop)},type=select,selection_method=hash,fields(ip_src,ip_dst,nw_proto,udp_src,udp_dst),bucket=output:${port[HOPS[hop]!.ingress]}`);
  const flows = [`table=0,priority=100,udp,in_port=${port[A.port]},tp_dst=${PORT},actions=group:${groupIdOf(generation, order[0]!)}`];
  order.forEach((hop, i) => {
    const next = order[i + 1];
    const out = next === undefined ? `output:${port[B.port]}` : `group:${groupIdOf(generation, next)}`;
    flows.push(`table=0,priority=100,in_port=${port[HOPS[hop]!.egress]},actions=${out}`);
  });
  return { generation, flows, groups };
}
const installed = (g: ChainGeneration): InstalledGeneration => ({ generation: g.generation, groupIds: g.groups!.map((l) => Number(/group_id=(\d+)/.exec(l)![1])) });

function hopCounters() {
  return HOPS.map((hop) => ({ in: portCounters(BRIDGE, hop.ingress).txPackets, out: portCounters(BRIDGE, hop.egress).rxPackets }));
}
const delta = (before: ReturnType<typeof hopCounters>, after: ReturnType<typeof hopCounters>) =>
  after.map((a, i) => ({ in: a.in - before[i]!.in, out: a.out - before[i]!.out }));

/** Packets of each flow of the chain, by the port it matches, the cookies it holds and its actions. */
function chainFlows(chain = CHAIN): { cookie: bigint; inPort: number; packets: number; actions: string }[] {
  const out = sh('ovs-ofctl', ['-O', 'OpenFlow14', 'dump-flows', BRIDGE, chainCookieMatch(chain)]);
  return [...out.matchAll(/cookie=(0x[0-9a-f]+),.*n_packets=(\d+),.*in_port=(\d+).* actions=(\S+)/g)].map((m) => ({ cookie: BigInt(m[1]!), packets: Number(m[2]), inPort: Number(m[3]), actions: m[4]! }));
}
/** Packets each flow of `chain` matched between two chainFlows() reads, by the port it matches. */
const flowDelta = (before: ReturnType<typeof chainFlows>, after: ReturnType<typeof chainFlows>, p: string) =>
  after.find((f) => f.inPort === port[p])!.packets - (before.find((f) => f.inPort === port[p])?.packets ?? 0);
const hopsText = (d: ReturnType<typeof delta>) => d.map((h, i) => `h${i + 1} ${h.in}/${h.out}`).join(', ');
const groupIds = () => [...sh('ovs-ofctl', ['-O', 'OpenFlow14', 'dump-groups', BRIDGE]).matchAll(/group_id=(\d+)/g)].map((m) => Number(m[1])).sort((x, y) => x - y);

/** A UDP 5-tuple from A to B entering at `inPort` (A's port, or a hop's egress as the hop hands it back). */
const udpFrom = (inPort: number, dport = PORT, sport = 40000): TracePacket => ({ inPort, ethertype: 'ipv4', source: '10.78.0.1', destination: '10.78.0.2', protocol: 17, sourcePort: sport, destinationPort: dport });

/** UDP source ports of A -> B datagrams to PORT in the netdev datapath's flows (a select group's hash unwildcards them). */
const datapathSourcePorts = () => new Set([...sh('ovs-appctl', ['dpctl/dump-flows', 'netdev@ovs-netdev']).matchAll(/ipv4\(src=10\.78\.0\.1,dst=10\.78\.0\.2,proto=17[^)]*\),udp\(src=(\d+),dst=5201\)/g)].map((m) => Number(m[1])));

interface TracedStep {
  from: string;
  trace: FlowTrace;
}

/**
 * Follows a packet through the bridge by ofproto/trace alone: from A's port, then from the egress
 * of each hop the trace outputs to (a hop namespace hands the packet back unchanged), until it
 * leaves towards B, is dropped, or goes anywhere else. Answers each step and the hops in order.
 */
async function tracePath(dport = PORT, sport = 40000): Promise<{ steps: TracedStep[]; hops: number[]; end: string }> {
  const steps: TracedStep[] = [];
  const hops: number[] = [];
  let from = A.port;
  for (let i = 0; i <= HOPS.length + 1; i++) {
    const trace = await tracer.trace(BRIDGE, udpFrom(port[from]!, dport, sport));
    steps.push({ from, trace });
    if (trace.output === 'drop') return { steps, hops, end: 'drop' };
    if (trace.output.length !== 1) return { steps, hops, end: `ports ${trace.output.join(',')}` };
    const out = trace.output[0]!;
    if (out === port[B.port]) return { steps, hops, end: 'B' };
    const hop = HOPS.findIndex((h) => port[h.ingress] === out);
    if (hop < 0) return { steps, hops, end: `port ${out}` };
    hops.push(hop);
    from = HOPS[hop]!.egress;
  }
  return { steps, hops, end: 'loop' };
}

const nameOf = (p: number) => Object.entries(port).find(([, n]) => n === p)?.[0] ?? String(p);
/** `A(1) [0x…0001 p100 -> output:3] h1 [0x…0001 p100 -> output:5] h2 [...] B`, for the test output. */
function describePath(path: Awaited<ReturnType<typeof tracePath>>): string {
  const hop = (i: number) => `h${i + 1}`;
  const parts = path.steps.map((s, i) => {
    const at = i === 0 ? `A(${port[A.port]})` : hop(path.hops[i - 1]!);
    const rules = s.trace.rules.map((r) => `cookie 0x${r.cookie.toString(16)} p${r.priority} t${r.table}: ${r.actions.filter((a) => !/^bucket /.test(a)).join(',')}`).join(' / ');
    return `${at} [${rules || 'no rule'} -> ${s.trace.output === 'drop' ? 'drop' : s.trace.output.map(nameOf).join(',')}]`;
  });
  return `${parts.join(' ')} => ${path.end}`;
}
const cookiesOf = (path: Awaited<ReturnType<typeof tracePath>>) => new Set(path.steps.flatMap((s) => s.trace.rules.map((r) => r.cookie)));
const touchesChain = (path: Awaited<ReturnType<typeof tracePath>>, chain: bigint) => [...cookiesOf(path)].some((c) => chainOfCookie(c) === chain);

async function install(what: string, invocation: ReturnType<typeof installChainBundle>): Promise<number> {
  const { durationMs } = await installer.install(BRIDGE, invocation);
  report(`${what}: bundle of ${invocation.stdin!.trimEnd().split('\n').length} lines installed in ${durationMs.toFixed(1)} ms`);
  return durationMs;
}

describe('a service chain installed on OvS-DPDK by one bundle per change, make-before-break, proven with packets', () => {
  let gen1: ChainGeneration;
  let gen2: ChainGeneration;

  beforeAll(() => {
    sh('ovs-vsctl', ['--timeout=10', 'add-br', BRIDGE, '--', 'set', 'bridge', BRIDGE, 'datapath_type=netdev']);
    sh('ovs-ofctl', ['del-flows', BRIDGE]); // no NORMAL: whatever crosses the bridge crosses it by our flows
    createEndpoint(BRIDGE, A);
    createEndpoint(BRIDGE, B);
    createEndpoint(BRIDGE, A6);
    createEndpoint(BRIDGE, B6);
    for (const hop of HOPS) createHopNamespace(BRIDGE, hop);
    // createEndpoint tags the port with its VLAN; untag ours, the flows join A and B.
    for (const end of [A, B, A6, B6]) sh('ovs-vsctl', ['--timeout=10', 'remove', 'Port', end.port, 'tag', '0']);
    port = Object.fromEntries([A.port, B.port, A6.port, B6.port, ...HOPS.flatMap((h) => [h.ingress, h.egress])].map((p) => [p, ofport(p)]));
    const base = `cookie=0x${(BASE_COOKIE << 16n).toString(16)},table=0,priority=10`;
    sh('ovs-ofctl', ['-O', 'OpenFlow14', '--bundle', 'add-flows', BRIDGE, '-'], `${base},in_port=${port[A.port]},actions=output:${port[B.port]}\n${base},in_port=${port[B.port]},actions=output:${port[A.port]}\n`
      + `${base},in_port=${port[A6.port]},actions=output:${port[B6.port]}\n${base},in_port=${port[B6.port]},actions=output:${port[A6.port]}\n`);
    sh('ovs-ofctl', ['-O', 'OpenFlow14', 'add-group', BRIDGE, `group_id=${DECOY_GROUP},type=all`]);
  });

  afterAll(() => {
    removeEndpoint(BRIDGE, A);
    removeEndpoint(BRIDGE, B);
    removeEndpoint(BRIDGE, A6);
    removeEndpoint(BRIDGE, B6);
    for (const hop of HOPS) removeHopNamespace(BRIDGE, hop);
    try {
      sh('ovs-vsctl', ['--timeout=10', '--if-exists', 'del-br', BRIDGE]);
    } catch {
      // not made
    }
  });

  test('before the chain: A and B reach each other directly, and no hop sees a packet', async () => {
    const before = hopCounters();
    expect(await ping(A, '10.78.0.2', 3, { intervalS: 0.2 })).toBe(3);
    expect(await udpDelivered(A, B, PORT, 50)).toBe(50);
    expect(delta(before, hopCounters())).toEqual(HOPS.map(() => ({ in: 0, out: 0 })));
  });

  test('generation 1 (A -> h1 -> h2 -> B): one bundle; classified UDP crosses h1 then h2, unclassified traffic touches no hop', async () => {
    gen1 = generationThrough(1, [0, 1]);
    await install('generation 1 (h1, h2)', installChainBundle(BRIDGE, CHAIN, gen1));
    expect(flowDrift(await installer.dumpChainFlows(BRIDGE, CHAIN), generationFlowLines(CHAIN, gen1))).toEqual({ missing: [], extra: [] });
    // Sent as OpenFlow 1.5, the select groups keep their hash (1.4 would drop it silently).
    const groups = sh('ovs-ofctl', ['-O', 'OpenFlow15', 'dump-groups', BRIDGE]).split('\n').filter((l) => /group_id=(257|258),/.test(l));
    expect(groups).toHaveLength(2);
    for (const group of groups) expect(group).toContain('selection_method=hash,fields(ip_src,ip_dst,nw_proto,udp_src,udp_dst)');

    const N = 200;
    const before = hopCounters();
    const flowsBefore = chainFlows();
    const delivered = await udpDelivered(A, B, PORT, N);
    const d = delta(before, hopCounters());
    report(`generation 1: UDP to ${PORT}: sent ${N}, received ${delivered}; hop ports in/out: ${d.map((h, i) => `h${i + 1} ${h.in}/${h.out}`).join(', ')}`);
    expect(delivered).toBe(N);
    expect(d).toEqual([{ in: N, out: N }, { in: N, out: N }, { in: 0, out: 0 }]);
    // In order: the flow from A feeds h1, h1's egress flow feeds h2, h2's egress flow feeds B, each N times.
    const flowsAfter = chainFlows();
    const byPort = (p: string) => flowsAfter.find((f) => f.inPort === port[p])!.packets - (flowsBefore.find((f) => f.inPort === port[p])?.packets ?? 0);
    expect([byPort(A.port), byPort(HOPS[0]!.egress), byPort(HOPS[1]!.egress)]).toEqual([N, N, N]);

    // ofproto/trace of the classified 5-tuple agrees: A -> h1 -> h2 -> B by generation 1's rules,
    // exactly the hops whose ports moved N, and no other.
    const path = await tracePath();
    report(`trace generation 1, UDP to ${PORT}: ${describePath(path)}`);
    expect(path.end).toBe('B');
    expect(path.hops).toEqual([0, 1]);
    expect(path.hops).toEqual(d.flatMap((h, i) => (h.in === N ? [i] : [])));
    expect(cookiesOf(path)).toEqual(new Set([generationCookie(CHAIN, 1)]));
    expect(path.steps.map((s) => s.trace.rules.length)).toEqual([1, 1, 1]);
    expect(path.steps[0]!.trace.rules[0]!.actions[0]).toBe(`group:${groupIdOf(1, 0)}`);
    expect(path.steps.map((s) => s.trace.output)).toEqual([[port[HOPS[0]!.ingress]], [port[HOPS[1]!.ingress]], [port[B.port]]]);

    const unclassified = hopCounters();
    expect(await udpDelivered(A, B, PORT + 1, 50)).toBe(50);
    expect(await ping(A, '10.78.0.2', 5, { intervalS: 0.1 })).toBe(5);
    expect(delta(unclassified, hopCounters())).toEqual(HOPS.map(() => ({ in: 0, out: 0 })));
    // Its trace: straight to B by the base flow, no rule of the chain's cookie.
    const other = await tracePath(PORT + 1);
    report(`trace generation 1, UDP to ${PORT + 1} (unclassified): ${describePath(other)}`);
    expect(other.end).toBe('B');
    expect(other.hops).toEqual([]);
    expect(touchesChain(other, CHAIN)).toBe(false);
    expect(cookiesOf(other)).toEqual(new Set([BASE_COOKIE << 16n]));
  });

  test('reordering to A -> h3 -> h2 -> h1 -> B with one make-before-break bundle under a steady 1 ms UDP stream loses no datagram', async () => {
    gen2 = generationThrough(2, [2, 1, 0]);
    const COUNT = 2000;
    const before = hopCounters();
    const stream = await udpStream(A, B, PORT, COUNT, 1);
    await stream.sending;
    await new Promise((resolve) => setTimeout(resolve, 700)); // mid-stream
    const invocation = installChainBundle(BRIDGE, CHAIN, gen2, installed(gen1));
    expect(invocation.stdin!.trimEnd().split('\n').map((l) => l.split(' ').slice(0, 2).join(' '))).toEqual([
      'group add', 'group add', 'group add', 'flow add', 'flow add', 'flow add', 'flow add', 'flow delete', 'group delete', 'group delete',
    ]);
    await install('generation 1 -> 2 (h3, h2, h1), mid-stream', invocation);
    const result = await stream.result;
    const d = delta(before, hopCounters());
    report(`make-before-break under a stream: sent ${result.sent} datagrams at ${COUNT / result.sendMs * 1000 | 0}/s over ${result.sendMs} ms, received ${result.received}, missing ${result.missing.length}${result.missing.length ? ` (${result.missing.slice(0, 20).join(',')})` : ''}, duplicates ${result.duplicates}`);
    report(`hop ports in/out over the stream: ${d.map((h, i) => `h${i + 1} ${h.in}/${h.out}`).join(', ')}`);
    expect(result.sent).toBe(COUNT);
    expect(result.missing).toEqual([]);
    expect(result.received).toBe(COUNT);
    expect(result.duplicates).toBe(0);
    // Every datagram crossed h1 and h2 (both paths have them), h3 only after the switch. The flows
    // steer by the port a packet comes from, so one caught inside a hop at the commit goes on by
    // the new generation from there (inside h1: on to B, skipping h2; inside h2: to h1 again,
    // crossing it twice). Seen: h1 2001, h2 1999 in one run. About one per hop at 1 ms spacing,
    // hence the tolerance; only a generation mark the hops carry through could avoid it. Each hop
    // forwards all it was given.
    for (const hop of d) expect(hop.out).toBe(hop.in);
    expect(Math.abs(d[0]!.in - COUNT)).toBeLessThanOrEqual(2);
    expect(Math.abs(d[1]!.in - COUNT)).toBeLessThanOrEqual(2);
    expect(d[2]!.in).toBeGreaterThan(0);
    expect(d[2]!.in).toBeLessThan(COUNT);

    // The old generation's flows and groups are gone, the new ones are there, by cookie.
    const cookies = new Set(chainFlows().map((f) => f.cookie));
    expect(cookies).toEqual(new Set([generationCookie(CHAIN, 2)]));
    expect(flowDrift(await installer.dumpChainFlows(BRIDGE, CHAIN), generationFlowLines(CHAIN, gen2))).toEqual({ missing: [], extra: [] });
    expect(groupIds()).toEqual([...installed(gen2).groupIds, DECOY_GROUP].sort((x, y) => x - y));

    // And the new order is the path now: h3 before h2 before h1.
    const N = 100;
    const flowsBefore = chainFlows();
    const hopsBefore = hopCounters();
    expect(await udpDelivered(A, B, PORT, N)).toBe(N);
    const flowsAfter = chainFlows();
    const byPort = (p: string) => flowsAfter.find((f) => f.inPort === port[p])!.packets - flowsBefore.find((f) => f.inPort === port[p])!.packets;
    expect([byPort(A.port), byPort(HOPS[2]!.egress), byPort(HOPS[1]!.egress), byPort(HOPS[0]!.egress)]).toEqual([N, N, N, N]);
    expect(delta(hopsBefore, hopCounters())).toEqual(HOPS.map(() => ({ in: N, out: N })));
    // The trace shows the new order, by generation 2's rules only.
    const path = await tracePath();
    report(`trace generation 2, UDP to ${PORT}: ${describePath(path)}`);
    expect(path.end).toBe('B');
    expect(path.hops).toEqual([2, 1, 0]);
    expect(cookiesOf(path)).toEqual(new Set([generationCookie(CHAIN, 2)]));
  });

  test('a bundle the switch refuses in one line changes nothing: flows, groups and the path stay generation 2\'s', async () => {
    // Passes every check of the builder (and checkFlowLine), but its last group's id is taken on
    // the bridge by another owner, so OvS refuses that group mod and with it the whole bundle.
    const gen3 = generationThrough(3, [0, 1, 2]);
    const bad: ChainGeneration = { ...gen3, groups: [...gen3.groups!, `group_id=${DECOY_GROUP},type=select,bucket=output:${port[HOPS[0]!.ingress]}`] };
    const invocation = installChainBundle(BRIDGE, CHAIN, bad, installed(gen2));
    const flowsBefore = await installer.dumpChainFlows(BRIDGE, CHAIN);
    const groupsBefore = groupIds();
    const error = await installer.install(BRIDGE, invocation).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OvsError);
    expect(error).toBeInstanceOf(OfctlError);
    report(`refused bundle: ${String((error as Error).message).slice(0, 300)}`);
    expect((error as OfctlError).stderr).toMatch(/OFPGMFC_GROUP_EXISTS/);
    expect(await installer.dumpChainFlows(BRIDGE, CHAIN)).toEqual(flowsBefore);
    expect(groupIds()).toEqual(groupsBefore);
    const hopsBefore = hopCounters();
    expect(await udpDelivered(A, B, PORT, 50)).toBe(50);
    expect(delta(hopsBefore, hopCounters())).toEqual(HOPS.map(() => ({ in: 50, out: 50 })));
  });

  test('the switch, not only the builder, holds the order and the atomicity: a flow before its group, or output to a missing group, fails the whole bundle', async () => {
    const gen3 = generationThrough(3, [0, 1, 2]);
    const good = installChainBundle(BRIDGE, CHAIN, gen3, installed(gen2));
    const lines = good.stdin!.trimEnd().split('\n');
    const flowsBefore = await installer.dumpChainFlows(BRIDGE, CHAIN);
    const groupsBefore = groupIds();
    // The same lines with the flows first: the first flow names a group not added yet.
    const flowsFirst = [...lines.filter((l) => l.startsWith('flow add')), ...lines.filter((l) => !l.startsWith('flow add'))];
    // The builder refuses a flow naming a group that is not the generation's; a line appended by
    // hand passes checkFlowLine and is refused by OvS.
    const missingGroup = `flow add cookie=0x${generationCookie(CHAIN, 3).toString(16)},table=0,priority=1,in_port=${port[A.port]},actions=group:4242`;
    for (const [what, stdin, refusal] of [
      ['flows before their groups', flowsFirst.join('\n') + '\n', /OFPBAC_BAD_OUT_GROUP/],
      ['one flow to a missing group at the end', [...lines, missingGroup].join('\n') + '\n', /OFPBAC_BAD_OUT_GROUP[^]*group:4242/],
    ] as const) {
      const error = await installer.install(BRIDGE, { ...good, stdin }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(OfctlError);
      expect((error as OfctlError).stderr).toMatch(refusal);
      expect((error as OfctlError).stderr).toMatch(/OFPBFC_MSG_FAILED/);
      expect(await installer.dumpChainFlows(BRIDGE, CHAIN)).toEqual(flowsBefore);
      expect(groupIds()).toEqual(groupsBefore);
      report(`refused (${what}): nothing applied, generation 2 still installed`);
    }
  });

  test('twenty make-before-break updates in a row: install time per bundle, and the bridge holds exactly the last generation', async () => {
    let current = gen2;
    const times: number[] = [];
    const orders = [[0, 1, 2], [2, 1, 0], [1, 0, 2], [0, 2, 1]];
    for (let i = 0; i < 20; i++) {
      const next = generationThrough(10 + i, orders[i % orders.length]!);
      times.push((await installer.install(BRIDGE, installChainBundle(BRIDGE, CHAIN, next, installed(current)))).durationMs);
      current = next;
    }
    const sorted = [...times].sort((x, y) => x - y);
    report(`20 updates (3 groups + 4 flows added, 1 flow delete + 3 group deletes each): install ms p50 ${sorted[9]!.toFixed(1)}, min ${sorted[0]!.toFixed(1)}, max ${sorted[19]!.toFixed(1)}`);
    expect(flowDrift(await installer.dumpChainFlows(BRIDGE, CHAIN), generationFlowLines(CHAIN, current))).toEqual({ missing: [], extra: [] });
    expect(groupIds()).toEqual([...installed(current).groupIds, DECOY_GROUP].sort((x, y) => x - y));
    const hopsBefore = hopCounters();
    expect(await udpDelivered(A, B, PORT, 50)).toBe(50);
    expect(delta(hopsBefore, hopCounters())).toEqual(HOPS.map(() => ({ in: 50, out: 50 })));
    const path = await tracePath();
    report(`trace generation ${current.generation}, UDP to ${PORT}: ${describePath(path)}`);
    expect(path.hops).toEqual(orders[19 % orders.length]);
    expect(cookiesOf(path)).toEqual(new Set([generationCookie(CHAIN, current.generation)]));
    gen2 = current;
  });

  test('deleting the chain by its cookie range leaves no flow of it and none of its groups; traffic goes the normal way', async () => {
    await install('delete chain', deleteChainBundle(BRIDGE, CHAIN, installed(gen2).groupIds));
    expect(await installer.dumpChainFlows(BRIDGE, CHAIN)).toEqual([]);
    expect(groupIds()).toEqual([DECOY_GROUP]);
    // The base flows (another cookie: A <-> B and A6 <-> B6) are untouched.
    expect(sh('ovs-ofctl', ['-O', 'OpenFlow14', '--no-stats', 'dump-flows', BRIDGE]).trim().split('\n')).toHaveLength(4);
    const hopsBefore = hopCounters();
    expect(await udpDelivered(A, B, PORT, 100)).toBe(100);
    expect(await ping(A, '10.78.0.2', 3, { intervalS: 0.1 })).toBe(3);
    expect(delta(hopsBefore, hopCounters())).toEqual(HOPS.map(() => ({ in: 0, out: 0 })));
    report('after delete: UDP to 5201 sent 100, received 100, no hop port moved');
    // The trace agrees: no rule of the chain, straight to B.
    const path = await tracePath();
    report(`trace after delete, UDP to ${PORT}: ${describePath(path)}`);
    expect(path.end).toBe('B');
    expect(path.hops).toEqual([]);
    expect(touchesChain(path, CHAIN)).toBe(false);
  });
  test('flows rendered by libs/chains carry the packets too: a chain through h1, h2, then through h2 and a hop of two instances (h1, h3), deleted by cookie', async () => {
    const CHAIN2 = 0xc4a1_0000_0002n;
    const facts: ChainFacts = { instances: { h1: hopFacts(0), h2: hopFacts(1), h3: hopFacts(2) }, ingress: { ofport: port[A.port]! }, egress: { ofport: port[B.port]! } };
    const chain = (hops: string[][]): ServiceChain => ({
      name: 'e2e',
      ingress: { host: 'h', bridge: BRIDGE },
      egress: { host: 'h', bridge: BRIDGE },
      classifier: { ethertype: 'ipv4', destinationPrefix: '10.78.0.2/32', protocol: 17, destinationPorts: { from: PORT, to: PORT } },
      hops: hops.map((ids) => ({ instances: ids.map((id) => ({ vnfInstanceId: id, ingressCpd: 'left', egressCpd: 'right' })) })),
      symmetric: false,
    });
    const render = (generation: number, hops: string[][]): ChainGeneration => {
      const [rules, ...more] = renderChain(chain(hops), CHAIN2, generation, facts);
      expect(more).toEqual([]);
      expect(rules!.bridge).toBe(BRIDGE);
      return { generation, flows: rules!.flows, groups: rules!.groups };
    };

    const first = render(1, [['h1'], ['h2']]);
    await install('libs/chains generation 1 (h1, h2)', installChainBundle(BRIDGE, CHAIN2, first));
    expect(flowDrift(await installer.dumpChainFlows(BRIDGE, CHAIN2), generationFlowLines(CHAIN2, first))).toEqual({ missing: [], extra: [] });
    let before = hopCounters();
    expect(await udpDelivered(A, B, PORT, 100)).toBe(100);
    expect(delta(before, hopCounters())).toEqual([{ in: 100, out: 100 }, { in: 100, out: 100 }, { in: 0, out: 0 }]);

    const second = render(2, [['h2'], ['h1', 'h3']]);
    expect(second.groups).toHaveLength(1);
    const stream = await udpStream(A, B, PORT, 1000, 1);
    before = hopCounters();
    await stream.sending;
    await new Promise((resolve) => setTimeout(resolve, 400));
    await install('libs/chains generation 1 -> 2 (h2, select(h1, h3)), mid-stream', installChainBundle(BRIDGE, CHAIN2, second, installed(first)));
    const result = await stream.result;
    report(`libs/chains make-before-break under a stream: sent ${result.sent}, received ${result.received}, missing ${result.missing.length}, duplicates ${result.duplicates}`);
    expect(result.missing).toEqual([]);
    expect(result.received).toBe(1000);
    expect(flowDrift(await installer.dumpChainFlows(BRIDGE, CHAIN2), generationFlowLines(CHAIN2, second))).toEqual({ missing: [], extra: [] });

    // One 5-tuple (one socket) stays on one instance of the two-instance hop.
    const sportsBefore = datapathSourcePorts();
    before = hopCounters();
    expect(await udpDelivered(A, B, PORT, 100)).toBe(100);
    const d = delta(before, hopCounters());
    const sports = [...datapathSourcePorts()].filter((p) => !sportsBefore.has(p));
    report(`libs/chains generation 2, one UDP flow of 100: h1 ${d[0]!.in}, h2 ${d[1]!.in}, h3 ${d[2]!.in}`);
    expect(d[1]).toEqual({ in: 100, out: 100 });
    expect([d[0]!.in, d[2]!.in].sort((x, y) => x - y)).toEqual([0, 100]);
    // The trace of that very 5-tuple (its source port read from the datapath's flows) takes the
    // same instance of the select hop as the packets did, by CHAIN2's generation 2 only.
    expect(sports).toHaveLength(1);
    const path = await tracePath(PORT, sports[0]);
    report(`trace libs/chains generation 2, UDP ${sports[0]} -> ${PORT}: ${describePath(path)}`);
    expect(path.end).toBe('B');
    expect(path.hops).toEqual([1, d[0]!.in === 100 ? 0 : 2]);
    expect(cookiesOf(path)).toEqual(new Set([generationCookie(CHAIN2, 2)]));

    await install('libs/chains delete', deleteChainBundle(BRIDGE, CHAIN2, installed(second).groupIds));
    expect(await installer.dumpChainFlows(BRIDGE, CHAIN2)).toEqual([]);
    expect(groupIds()).toEqual([DECOY_GROUP]);
    before = hopCounters();
    expect(await udpDelivered(A, B, PORT, 50)).toBe(50);
    expect(delta(before, hopCounters())).toEqual(HOPS.map(() => ({ in: 0, out: 0 })));
    const after = await tracePath();
    expect(touchesChain(after, CHAIN2)).toBe(false);
    expect(after.hops).toEqual([]);
  });

  test('an IPv6 classifier rendered by libs/chains: UDP over IPv6 to the classified port crosses h1 then h2; IPv6 UDP to another port, ping and neighbour discovery go A6 <-> B6 directly', async () => {
    const CHAIN3 = 0xc4a1_0000_0003n;
    const facts: ChainFacts = { instances: { h1: hopFacts(0), h2: hopFacts(1) }, ingress: { ofport: port[A6.port]! }, egress: { ofport: port[B6.port]! } };
    const chain: ServiceChain = {
      name: 'e2e-v6',
      ingress: { host: 'h', bridge: BRIDGE },
      egress: { host: 'h', bridge: BRIDGE },
      classifier: { ethertype: 'ipv6', destinationPrefix: 'fd00:77::2/128', protocol: 17, destinationPorts: { from: PORT, to: PORT } },
      hops: [['h1'], ['h2']].map((ids) => ({ instances: ids.map((id) => ({ vnfInstanceId: id, ingressCpd: 'left', egressCpd: 'right' })) })),
      symmetric: false,
    };
    const [rules, ...more] = renderChain(chain, CHAIN3, 1, facts);
    expect(more).toEqual([]);
    const gen: ChainGeneration = { generation: 1, flows: rules!.flows, groups: rules!.groups };
    // Every flow classifies IPv6 UDP to fd00:77::2 port PORT, at A6's port and again at each hop's egress.
    for (const flow of gen.flows) expect(flow).toMatch(new RegExp(`\\budp6\\b|\\bipv6\\b.*nw_proto=17`));
    for (const flow of gen.flows) expect(flow).toContain('ipv6_dst=fd00:77::2');
    await install('libs/chains IPv6 generation 1 (h1, h2)', installChainBundle(BRIDGE, CHAIN3, gen));
    expect(flowDrift(await installer.dumpChainFlows(BRIDGE, CHAIN3), generationFlowLines(CHAIN3, gen))).toEqual({ missing: [], extra: [] });

    // Neighbour discovery (ICMPv6, unclassified) resolves B6 across the bridge, directly.
    let before = hopCounters();
    const pings = await ping(A6, addressOf(B6), 3, { intervalS: 0.2 });
    report(`IPv6: ping6 A6 -> B6 (neighbour discovery by the base flows): 3 sent, ${pings} answered; hop ports in/out: ${hopsText(delta(before, hopCounters()))}`);
    expect(pings).toBe(3);
    expect(delta(before, hopCounters())).toEqual(HOPS.map(() => ({ in: 0, out: 0 })));

    const N = 200;
    before = hopCounters();
    const flowsBefore = chainFlows(CHAIN3);
    const delivered = await udpDelivered(A6, B6, PORT, N);
    const d = delta(before, hopCounters());
    const flowsAfter = chainFlows(CHAIN3);
    const order = [flowDelta(flowsBefore, flowsAfter, A6.port), flowDelta(flowsBefore, flowsAfter, HOPS[0]!.egress), flowDelta(flowsBefore, flowsAfter, HOPS[1]!.egress)];
    report(`IPv6: UDP to [fd00:77::2]:${PORT}: sent ${N}, received ${delivered}; hop ports in/out: ${hopsText(d)}; chain flows at A6/h1 egress/h2 egress: ${order.join('/')}`);
    expect(delivered).toBe(N);
    expect(d).toEqual([{ in: N, out: N }, { in: N, out: N }, { in: 0, out: 0 }]);
    // In order: A6's flow feeds h1, h1's egress flow feeds h2, h2's egress flow feeds B6.
    expect(order).toEqual([N, N, N]);

    before = hopCounters();
    const other = await udpDelivered(A6, B6, PORT + 1, 50);
    const dOther = delta(before, hopCounters());
    report(`IPv6: UDP to [fd00:77::2]:${PORT + 1} (unclassified): sent 50, received ${other}; hop ports in/out: ${hopsText(dOther)}`);
    expect(other).toBe(50);
    expect(dOther).toEqual(HOPS.map(() => ({ in: 0, out: 0 })));
    // The same port over IPv4 is not the IPv6 chain's: A -> B directly, no hop.
    before = hopCounters();
    expect(await udpDelivered(A, B, PORT, 20)).toBe(20);
    expect(delta(before, hopCounters())).toEqual(HOPS.map(() => ({ in: 0, out: 0 })));

    await install('libs/chains IPv6 delete', deleteChainBundle(BRIDGE, CHAIN3, installed(gen).groupIds));
    expect(await installer.dumpChainFlows(BRIDGE, CHAIN3)).toEqual([]);
    expect(groupIds()).toEqual([DECOY_GROUP]);
    before = hopCounters();
    expect(await udpDelivered(A6, B6, PORT, 50)).toBe(50);
    expect(delta(before, hopCounters())).toEqual(HOPS.map(() => ({ in: 0, out: 0 })));
  });

  test('failMode rendered by libs/chains: with hop 2 not live, a new generation with failMode closed drops the classified traffic after h1 while unclassified traffic flows; with open it bypasses h2; deleted by cookie', async () => {
    const CHAIN4 = 0xc4a1_0000_0004n;
    const facts = (h2Live: boolean): ChainFacts => ({ instances: { h1: hopFacts(0), h2: hopFacts(1, h2Live) }, ingress: { ofport: port[A.port]! }, egress: { ofport: port[B.port]! } });
    const render = (generation: number, failMode: 'closed' | 'open', h2Live: boolean): ChainGeneration => {
      const chain: ServiceChain = {
        name: 'e2e-failmode',
        ingress: { host: 'h', bridge: BRIDGE },
        egress: { host: 'h', bridge: BRIDGE },
        classifier: { ethertype: 'ipv4', destinationPrefix: '10.78.0.2/32', protocol: 17, destinationPorts: { from: PORT, to: PORT } },
        hops: [['h1'], ['h2']].map((ids) => ({ instances: ids.map((id) => ({ vnfInstanceId: id, ingressCpd: 'left', egressCpd: 'right' })) })),
        symmetric: false,
        failMode,
      };
      const [rules, ...more] = renderChain(chain, CHAIN4, generation, facts(h2Live));
      expect(more).toEqual([]);
      return { generation, flows: rules!.flows, groups: rules!.groups };
    };
    const N = 100;
    const bIn = () => portCounters(BRIDGE, B.port).txPackets;

    const g1 = render(1, 'closed', true);
    await install('libs/chains failMode generation 1 (h1, h2 live)', installChainBundle(BRIDGE, CHAIN4, g1));
    let before = hopCounters();
    let received = await udpDelivered(A, B, PORT, N);
    let d = delta(before, hopCounters());
    report(`failMode generation 1, both hops live: UDP to ${PORT}: sent ${N}, received ${received}; hop ports in/out: ${hopsText(d)}`);
    expect(received).toBe(N);
    expect(d).toEqual([{ in: N, out: N }, { in: N, out: N }, { in: 0, out: 0 }]);

    // h2's instance is no longer live: generation 2, failMode closed, make-before-break.
    const g2 = render(2, 'closed', false);
    expect(g2.flows.filter((l) => /actions=drop$/.test(l))).toHaveLength(1);
    expect(g2.flows.some((l) => l.includes(`output:${port[B.port]}`))).toBe(false);
    await install('libs/chains failMode closed, h2 dead: generation 1 -> 2', installChainBundle(BRIDGE, CHAIN4, g2, installed(g1)));
    expect(flowDrift(await installer.dumpChainFlows(BRIDGE, CHAIN4), generationFlowLines(CHAIN4, g2))).toEqual({ missing: [], extra: [] });
    before = hopCounters();
    let flowsBefore = chainFlows(CHAIN4);
    const bBefore = bIn();
    received = await udpDelivered(A, B, PORT, N);
    d = delta(before, hopCounters());
    const flowsAfter = chainFlows(CHAIN4);
    const dropped = flowDelta(flowsBefore, flowsAfter, HOPS[0]!.egress);
    const toB = bIn() - bBefore;
    report(`failMode closed, h2 not live: UDP to ${PORT}: sent ${N}, received ${received}; hop ports in/out: ${hopsText(d)}; dropped by the chain's flow at h1's egress: ${dropped}; packets OvS sent to B's port meanwhile: ${toB}`);
    expect(received).toBe(0);
    expect(d).toEqual([{ in: N, out: N }, { in: 0, out: 0 }, { in: 0, out: 0 }]);
    expect(flowsAfter.find((f) => f.inPort === port[HOPS[0]!.egress])!.actions).toBe('drop');
    expect(dropped).toBe(N);
    // Nothing of the N reached B's port; at most an ARP probe of A's (base flows) may have.
    expect(toB).toBeLessThanOrEqual(2);
    before = hopCounters();
    const unclassified = await udpDelivered(A, B, PORT + 1, 50);
    const pings = await ping(A, '10.78.0.2', 3, { intervalS: 0.1 });
    report(`failMode closed, h2 not live: unclassified UDP to ${PORT + 1}: sent 50, received ${unclassified}; ping 3/${pings}; hop ports in/out: ${hopsText(delta(before, hopCounters()))}`);
    expect(unclassified).toBe(50);
    expect(pings).toBe(3);
    expect(delta(before, hopCounters())).toEqual(HOPS.map(() => ({ in: 0, out: 0 })));

    // Same facts, failMode open: generation 3 skips h2 (h1's egress goes to B).
    const g3 = render(3, 'open', false);
    expect(g3.flows.some((l) => /actions=drop/.test(l))).toBe(false);
    await install('libs/chains failMode open, h2 dead: generation 2 -> 3', installChainBundle(BRIDGE, CHAIN4, g3, installed(g2)));
    expect(flowDrift(await installer.dumpChainFlows(BRIDGE, CHAIN4), generationFlowLines(CHAIN4, g3))).toEqual({ missing: [], extra: [] });
    before = hopCounters();
    flowsBefore = chainFlows(CHAIN4);
    received = await udpDelivered(A, B, PORT, N);
    d = delta(before, hopCounters());
    const bypass = [flowDelta(flowsBefore, chainFlows(CHAIN4), A.port), flowDelta(flowsBefore, chainFlows(CHAIN4), HOPS[0]!.egress)];
    report(`failMode open, h2 not live: UDP to ${PORT}: sent ${N}, received ${received}; hop ports in/out: ${hopsText(d)}; chain flows at A/h1 egress: ${bypass.join('/')}`);
    expect(received).toBe(N);
    expect(d).toEqual([{ in: N, out: N }, { in: 0, out: 0 }, { in: 0, out: 0 }]);
    expect(bypass).toEqual([N, N]);

    await install('libs/chains failMode delete', deleteChainBundle(BRIDGE, CHAIN4, installed(g3).groupIds));
    expect(await installer.dumpChainFlows(BRIDGE, CHAIN4)).toEqual([]);
    expect(sh('ovs-ofctl', ['-O', 'OpenFlow14', 'dump-flows', BRIDGE, chainCookieMatch(CHAIN4)]).trim().split('\n').filter((l) => l.includes('cookie='))).toEqual([]);
    expect(groupIds()).toEqual([DECOY_GROUP]);
    before = hopCounters();
    expect(await udpDelivered(A, B, PORT, 50)).toBe(50);
    expect(delta(before, hopCounters())).toEqual(HOPS.map(() => ({ in: 0, out: 0 })));
    report('failMode: after delete no flow of the chain\'s cookie remains, none of its groups; UDP to 5201 50/50 directly, no hop port moved');
  });
});
