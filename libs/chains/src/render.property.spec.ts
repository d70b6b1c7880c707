import { describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import { checkFlowLine } from '#vim/ovs';
import { reverseClassifier } from './classifier.js';
import { checkChain } from './check.js';
import { END_POSITION, flowCookie, groupId, receiveGroupId, tunnelKey } from './ids.js';
import type { ChainFacts, ChainPoint, InstanceFacts, NetworkFacts, ServiceChain } from './model.js';
import { renderChain } from './render.js';
import { classifierArb, classifies, packetArb, packetWithinArb } from './testing/arbitraries.js';
import { tunnelMesh } from './testing/chains.js';
import { interpret, type Packet, parseRules, type Rules } from './testing/interpreter.js';

// Random chains on one to three hosts (one bridge each, a tunnel port from each to each other),
// random liveness, random packets; a small interpreter of the rendered lines follows each packet
// through each bridge's table, through the tunnels (the key goes with the frame) and through the
// hops (a hop's instance hands a frame from its entry port to its exit port unchanged, without a
// key), and what it sees must be what the chain says.

interface Case {
  chain: ServiceChain;
  facts: ChainFacts;
  hosts: string[];
  cookie: bigint;
  generation: number;
}

const ENDS = { ingressPort: 1, ingressCp: 3 };

const caseArb: fc.Arbitrary<Case> = fc
  .record({
    symmetric: fc.boolean(),
    failMode: fc.constantFrom('closed' as const, 'open' as const, undefined),
    priority: fc.option(fc.integer({ min: 0, max: 100 }), { nil: undefined }),
    classifier: classifierArb(),
    ingressKind: fc.constantFrom('trunk', 'access', 'cp'),
    egressVlan: fc.option(fc.constantFrom(100, 200, 4094), { nil: undefined }),
    // Port 1 too: ingress and egress on one trunk (two VLANs, or tagged and untagged).
    egressPort: fc.constantFrom(1, 2),
    hopSizes: fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 1, maxLength: 5 }),
    liveness: fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 15, maxLength: 15 }),
    hostCount: fc.integer({ min: 1, max: 3 }),
    // The host of each instance (0..14), of the connection-point ingress's instance (15), of the network ingress (16) and egress (17).
    placement: fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 18, maxLength: 18 }),
    cookie: fc.bigInt({ min: 1n, max: (1n << 48n) - 1n }),
    generation: fc.integer({ min: 0, max: 0xffff }),
  })
  .map((r) => {
    const hosts = Array.from({ length: r.hostCount }, (_, i) => `h${i}`);
    const hostOf = (k: number) => hosts[r.placement[k]! % r.hostCount]!;
    const instances: Record<string, InstanceFacts> = {};
    let n = 0;
    const hops = r.hopSizes.map((size) => ({
      instances: Array.from({ length: r.symmetric ? 1 : size }, () => {
        const id = `vnf${n}`;
        // Mostly live; a dead one now and then, so whole hops die sometimes.
        instances[id] = port2(10 + 2 * n, 11 + 2 * n, r.liveness[n % 15]! > 0, hostOf(n));
        n++;
        return { vnfInstanceId: id, ingressCpd: 'a', egressCpd: 'b' };
      }),
    }));
    instances.src = port2(ENDS.ingressCp, 4, true, hostOf(15));
    const ingress: ChainPoint = r.ingressKind === 'cp' ? { vnfInstanceId: 'src', cpdId: 'a' } : { host: hostOf(16), bridge: 'br-int', vlan: 100 };
    const egress: ChainPoint = { host: hostOf(17), bridge: 'br-int', ...(r.egressVlan === undefined ? {} : { vlan: r.egressVlan }) };
    const chain: ServiceChain = { name: 'c', ingress, egress, classifier: r.classifier, hops, symmetric: r.symmetric, failMode: r.failMode, priority: r.priority };
    const ingressFacts: NetworkFacts = { ofport: ENDS.ingressPort, tagged: r.ingressKind === 'trunk' };
    const facts: ChainFacts = { instances, ingress: ingressFacts, egress: { ofport: r.egressPort }, ...(r.hostCount > 1 ? { tunnels: tunnelMesh(hosts) } : {}) };
    return { chain, facts, hosts, cookie: r.cookie, generation: r.generation };
  })
  // Chains the check refuses (ingress and egress matching overlapping traffic on one port) are not rendered.
  .filter((c) => checkChain(c.chain, c.facts).length === 0);

function port2(a: number, b: number, live: boolean, host: string): InstanceFacts {
  const port = (ofport: number) => ({ host, bridge: 'br-int', ofport, kind: 'vhostuser' as const });
  return { state: 'INSTANTIATED', live, ports: { a: port(a), b: port(b) } };
}

/** Where a frame is: a port of one host's bridge. */
interface At {
  host: string;
  port: number;
}

const hostOfPoint = (c: Case, point: ChainPoint): string => ('cpdId' in point ? c.facts.instances[point.vnfInstanceId]!.ports[point.cpdId]!.host : point.host);

/** Each host's rules; a one-host chain's single entry has no host: it is the ingress's. */
const rulesOf = (c: Case): Map<string, Rules> =>
  new Map(renderChain(c.chain, c.cookie, c.generation, c.facts).map((r) => [r.host ?? hostOfPoint(c, c.chain.ingress), parseRules(r.flows, r.groups)]));

const at = (host: string, port: number) => `${host}/${port}`;

/** Entry port -> (hop index, exit port), for the direction walked. */
function hopPorts(c: Case, reverse: boolean): Map<string, { hop: number; exit: At }> {
  const map = new Map<string, { hop: number; exit: At }>();
  c.chain.hops.forEach((hop, h) =>
    hop.instances.forEach((inst) => {
      const ports = c.facts.instances[inst.vnfInstanceId]!.ports;
      const [enter, exit] = reverse ? [ports.b!, ports.a!] : [ports.a!, ports.b!];
      map.set(at(enter.host, enter.ofport), { hop: h, exit: { host: exit.host, port: exit.ofport } });
    }),
  );
  return map;
}

/** The far end of a tunnel port (tunnelMesh: 100 + 10 * host + other host), where the frame arrives. */
function tunnelEnd(c: Case, host: string, port: number): At | undefined {
  const i = c.hosts.indexOf(host);
  const j = port - 100 - 10 * i;
  if (c.facts.tunnels === undefined || port < 100 || j < 0 || j >= c.hosts.length || j === i) return undefined;
  return { host: c.hosts[j]!, port: 100 + 10 * j + i };
}

/** What the chain says happens to a classified packet: the live hops in order, then egress or a drop. */
function expected(c: Case, reverse: boolean): { hops: number[]; dropped: boolean } {
  const order = c.chain.hops.map((_, h) => h);
  const hops: number[] = [];
  for (const h of reverse ? order.reverse() : order) {
    const live = c.chain.hops[h]!.instances.some((i) => c.facts.instances[i.vnfInstanceId]!.live);
    if (live) hops.push(h);
    else if ((c.chain.failMode ?? 'closed') === 'closed') return { hops, dropped: true };
  }
  return { hops, dropped: false };
}

function entry(c: Case, point: ChainPoint, net: NetworkFacts | undefined, packet: Packet): { host: string; packet: Packet } {
  if ('cpdId' in point) {
    const port = c.facts.instances[point.vnfInstanceId]!.ports[point.cpdId]!;
    return { host: port.host, packet: { ...packet, inPort: port.ofport } };
  }
  const tagged = point.vlan !== undefined && net?.tagged !== false;
  return { host: point.host, packet: { ...packet, inPort: net!.ofport!, ...(tagged ? { vlan: point.vlan } : {}) } };
}

/** One bridge's decision: exactly one matching flow, whatever the host. */
function decide(rules: Map<string, Rules>, host: string, packet: Packet, hops: number[]) {
  const trace = interpret(rules.get(host)!, packet);
  if (trace.kind === 'ambiguous' || trace.kind === 'none') throw new Error(`${trace.kind} on ${host} at in_port ${packet.inPort} (key ${packet.tunId}) after hops ${hops.join(',')}`);
  return trace;
}

type Landing = { hop: number; exit: At; packet: Packet };

/**
 * The hop instances a frame out of `port` of `host` reaches: that port's instance, or, through a
 * tunnel, those the receiving bridge sends it to; undefined when it is not for a hop (the end).
 */
function landing(c: Case, rules: Map<string, Rules>, ports: Map<string, { hop: number; exit: At }>, host: string, port: number, packet: Packet, hops: number[]): Landing[] | undefined {
  const local = ports.get(at(host, port));
  if (local) return [{ ...local, packet }];
  const far = tunnelEnd(c, host, port);
  if (far === undefined) return undefined;
  expect(packet.tunId).toBeDefined();
  const trace = decide(rules, far.host, { ...packet, inPort: far.port }, hops);
  if (trace.kind === 'drop') throw new Error(`dropped after a tunnel on ${far.host}`);
  const reached = trace.ports.map((p, i) => ports.get(at(far.host, p)) && { ...ports.get(at(far.host, p))!, packet: trace.packets[i]! });
  return reached.every((r) => r === undefined) ? undefined : reached.map((r) => r ?? fail(`a tunnel on ${far.host} leads to a hop and elsewhere`));
}

const fail = (message: string): never => {
  throw new Error(message);
};

/** Follows a packet until it leaves the chain; every step on every bridge must have exactly one next hop. */
function walk(c: Case, rules: Map<string, Rules>, ports: Map<string, { hop: number; exit: At }>, start: { host: string; packet: Packet }): { hops: number[]; end: 'drop' | At; packet: Packet } {
  const hops: number[] = [];
  let { host, packet } = start;
  for (let step = 0; step < 50; step++) {
    const trace = decide(rules, host, packet, hops);
    if (trace.kind === 'drop') return { hops, end: 'drop', packet };
    const lands = trace.ports.map((p, i) => landing(c, rules, ports, host, p, trace.packets[i]!, hops));
    if (lands.every((l) => l === undefined)) {
      // To the end: out of a port here, or through a tunnel to the end's host.
      expect(trace.ports).toHaveLength(1);
      const far = tunnelEnd(c, host, trace.ports[0]!);
      if (far === undefined) return { hops, end: { host, port: trace.ports[0]! }, packet: trace.packet };
      [host, packet] = [far.host, { ...trace.packets[0]!, inPort: far.port }];
      continue;
    }
    // A group: every bucket, here or over a tunnel, is an instance of one and the same hop; the flow follows one of them.
    const all = lands.map((l) => l ?? fail('a group mixes hops and the end'));
    expect(all.flat().every((l) => l.hop === all[0]![0]!.hop)).toBe(true);
    const some = all[(packet.sport + packet.dport) % all.length]!;
    const chosen = some[(packet.sport * 7 + packet.dport) % some.length]!;
    hops.push(chosen.hop);
    const { tunId: _key, ...frame } = chosen.packet;
    [host, packet] = [chosen.exit.host, { ...frame, inPort: chosen.exit.port }];
  }
  throw new Error('the packet loops');
}

describe('rendered chains (properties)', () => {
  test('a classified packet crosses the live hops in order and leaves at the egress (or is dropped, closed)', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const rules = rulesOf(c);
        fc.assert(
          fc.property(packetWithinArb(c.chain.classifier), (raw) => {
            expect(classifies(c.chain.classifier, raw)).toBe(true);
            checkDirection(c, rules, raw, false);
            if (c.chain.symmetric) {
              const back = { ...raw, src: raw.dst, dst: raw.src, sport: raw.dport, dport: raw.sport };
              checkDirection(c, rules, back, true);
            }
          }),
          { numRuns: 20 },
        );
      }),
      { numRuns: 150 },
    );
  });

  test('a packet outside the classifier (both ways) matches no flow of the chain at any port of any of its bridges, tunnels and keys included', () => {
    fc.assert(
      fc.property(caseArb, fc.constantFrom(1, 2, 3, 4), (c, pick) => {
        const rules = rulesOf(c);
        const keys = [undefined, ...[0, 1, 2, 3, 4, END_POSITION].flatMap((h) => [tunnelKey(c.cookie, h, false), tunnelKey(c.cookie, h, true)])];
        const tunnels = Object.values(c.facts.tunnels ?? {}).flatMap((t) => Object.values(t).map((x) => x.ofport));
        const ports = [ENDS.ingressPort, c.facts.egress!.ofport!, ENDS.ingressCp, ...tunnels, ...Object.values(c.facts.instances).flatMap((i) => [i.ports.a!.ofport, i.ports.b!.ofport])];
        const vlans = [undefined, 100, c.chain.egress && 'vlan' in c.chain.egress ? c.chain.egress.vlan : 7];
        fc.assert(
          fc.property(packetArb(0), fc.constantFrom(...rules.keys()), fc.constantFrom(...ports), fc.constantFrom(...vlans), fc.constantFrom(...keys), (raw, host, inPort, vlan, tunId) => {
            fc.pre(!classifies(c.chain.classifier, raw) && !classifies(reverseClassifier(c.chain.classifier), raw));
            const packet = { ...raw, inPort, ...(vlan === undefined ? {} : { vlan }), ...(tunId === undefined ? {} : { tunId }) };
            expect(interpret(rules.get(host)!, packet).kind).toBe('none');
          }),
          { numRuns: 10 * pick },
        );
      }),
      { numRuns: 100 },
    );
  });

  test('every line on every bridge passes the ovs line rule and carries the chain and generation in its cookie; rendering is deterministic', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const once = renderChain(c.chain, c.cookie, c.generation, c.facts);
        expect(renderChain(c.chain, c.cookie, c.generation, c.facts)).toEqual(once);
        expect(once.length === 1 ? [undefined] : once.map((r) => r.host)).toEqual(once.length === 1 ? [undefined] : [...new Set(once.map((r) => r.host))]);
        const cookie = flowCookie(c.cookie, c.generation);
        for (const line of once.flatMap((r) => [...r.groups, ...r.flows])) expect(checkFlowLine(line).ok).toBe(true);
        for (const line of once.flatMap((r) => r.flows)) {
          const value = BigInt(/^cookie=(0x[0-9a-f]+),/.exec(line)![1]!);
          expect(value).toBe(cookie);
          expect(value >> 16n).toBe(c.cookie);
          expect(Number(value & 0xffffn)).toBe(c.generation);
        }
      }),
      { numRuns: 200 },
    );
  });

  test('tunnel keys: 24 bits, never 0, one per (position, direction) of a chain, none shared by chains whose cookies differ modulo 0x7fff', () => {
    const keys = (cookie: bigint) => [...Array(END_POSITION + 1).keys()].flatMap((h) => [tunnelKey(cookie, h, false), tunnelKey(cookie, h, true)]);
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: (1n << 48n) - 1n }), fc.bigInt({ min: 1n, max: (1n << 48n) - 1n }), (a, b) => {
        const mine = keys(a);
        expect(new Set(mine).size).toBe(2 * (END_POSITION + 1));
        expect(mine.every((k) => Number.isInteger(k) && k >= 512 && k < 2 ** 24)).toBe(true);
        const theirs = new Set(keys(b));
        expect(mine.some((k) => theirs.has(k))).toBe((a - b) % 0x7fffn === 0n);
      }),
      { numRuns: 200 },
    );
  });

  test('the keys a rendered chain uses: each (position, direction) sets one key, and every arrival matches a key its chain sets', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const lines = renderChain(c.chain, c.cookie, c.generation, c.facts).flatMap((r) => [...r.groups, ...r.flows]);
        const set = new Set(lines.flatMap((l) => [...l.matchAll(/set_field:(0x[0-9a-f]+)->tun_id/g)].map((m) => Number(m[1]))));
        const matched = new Set(lines.flatMap((l) => [...l.matchAll(/tun_id=(0x[0-9a-f]+)/g)].map((m) => Number(m[1]))));
        expect([...matched].sort()).toEqual([...set].sort());
        const allowed = new Set([...Array(END_POSITION + 1).keys()].flatMap((h) => [tunnelKey(c.cookie, h, false), tunnelKey(c.cookie, h, true)]));
        expect([...set].every((k) => allowed.has(k))).toBe(true);
        if (c.hosts.length === 1) expect(set.size).toBe(0);
      }),
      { numRuns: 200 },
    );
  });

  test('receive group ids stay apart from the hop groups of the same chain and generation', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: (1n << 48n) - 1n }), fc.integer({ min: 0, max: 0xffff }), (cookie, gen) => {
        const hopIds = [...Array(64).keys()].flatMap((h) => [groupId(cookie, gen, h, false), groupId(cookie, gen, h, true)]);
        const receiveIds = [...Array(64).keys()].flatMap((h) => [receiveGroupId(cookie, gen, h, false), receiveGroupId(cookie, gen, h, true)]);
        expect(new Set([...hopIds, ...receiveIds]).size).toBe(256);
      }),
      { numRuns: 100 },
    );
  });

  test("two generations' group ids never collide (for generations 1..15 apart), nor two chains' with cookies apart modulo 0xfffff", () => {
    const ids = (cookie: bigint, generation: number) => new Set([...Array(128).keys()].flatMap((h) => [groupId(cookie, generation, h, false), groupId(cookie, generation, h, true)]));
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: (1n << 48n) - 1n }), fc.integer({ min: 0, max: 0xffff }), fc.integer({ min: 1, max: 15 }), (cookie, gen, apart) => {
        const a = ids(cookie, gen);
        const b = ids(cookie, (gen + apart) & 0xffff);
        expect([...a].some((id) => b.has(id))).toBe(false);
        expect([...a].every((id) => id >= 0 && id < 0xffffff00)).toBe(true);
      }),
      { numRuns: 200 },
    );
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: (1n << 48n) - 2n }), fc.bigInt({ min: 1n, max: 0xffffen }), fc.integer({ min: 0, max: 0xffff }), fc.integer({ min: 0, max: 0xffff }), (cookie, apart, g1, g2) => {
        const other = ((cookie + apart - 1n) % ((1n << 48n) - 1n)) + 1n;
        fc.pre((other - cookie) % 0xfffffn !== 0n);
        const b = ids(other, g2);
        expect([...ids(cookie, g1)].some((id) => b.has(id))).toBe(false);
      }),
      { numRuns: 100 },
    );
  });
});

function checkDirection(c: Case, rules: Map<string, Rules>, raw: Packet, reverse: boolean): void {
  const [from, fromFacts, to, toFacts] = reverse
    ? [c.chain.egress, c.facts.egress, c.chain.ingress, c.facts.ingress]
    : [c.chain.ingress, c.facts.ingress, c.chain.egress, c.facts.egress];
  const result = walk(c, rules, hopPorts(c, reverse), entry(c, from, fromFacts, raw));
  const want = expected(c, reverse);
  expect(result.hops).toEqual(want.hops);
  if (want.dropped) return void expect(result.end).toBe('drop');
  const exit = entry(c, to, toFacts, raw);
  expect(result.end).toEqual({ host: exit.host, port: exit.packet.inPort });
  expect(result.packet.vlan).toBe(exit.packet.vlan);
}
