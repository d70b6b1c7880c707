import { describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import { reverseClassifier } from './classifier.js';
import { checkChain } from './check.js';
import { flowCookie, groupId } from './ids.js';
import type { ChainFacts, ChainPoint, InstanceFacts, NetworkFacts, ServiceChain } from './model.js';
import { renderChain } from './render.js';
import { classifierArb, classifies, packetArb, packetWithinArb } from './testing/arbitraries.js';
import { interpret, type Packet, parseRules, type Rules } from './testing/interpreter.js';

// Random chains on one bridge, random liveness, random packets; a small interpreter of the rendered
// lines follows each packet through the table and through the hops (a hop's instance hands a frame
// from its entry port to its exit port unchanged), and what it sees must be what the chain says.

interface Case {
  chain: ServiceChain;
  facts: ChainFacts;
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
    cookie: fc.bigInt({ min: 1n, max: (1n << 48n) - 1n }),
    generation: fc.integer({ min: 0, max: 0xffff }),
  })
  .map((r) => {
    const instances: Record<string, InstanceFacts> = {};
    let n = 0;
    const hops = r.hopSizes.map((size) => ({
      instances: Array.from({ length: r.symmetric ? 1 : size }, () => {
        const id = `vnf${n}`;
        // Mostly live; a dead one now and then, so whole hops die sometimes.
        instances[id] = port2(10 + 2 * n, 11 + 2 * n, r.liveness[n % 15]! > 0);
        n++;
        return { vnfInstanceId: id, ingressCpd: 'a', egressCpd: 'b' };
      }),
    }));
    instances.src = port2(ENDS.ingressCp, 4, true);
    const ingress: ChainPoint = r.ingressKind === 'cp' ? { vnfInstanceId: 'src', cpdId: 'a' } : { host: 'h', bridge: 'br-int', vlan: 100 };
    const egress: ChainPoint = { host: 'h', bridge: 'br-int', ...(r.egressVlan === undefined ? {} : { vlan: r.egressVlan }) };
    const chain: ServiceChain = { name: 'c', ingress, egress, classifier: r.classifier, hops, symmetric: r.symmetric, failMode: r.failMode, priority: r.priority };
    const ingressFacts: NetworkFacts = { ofport: ENDS.ingressPort, tagged: r.ingressKind === 'trunk' };
    return { chain, facts: { instances, ingress: ingressFacts, egress: { ofport: r.egressPort } }, cookie: r.cookie, generation: r.generation };
  })
  // Chains the check refuses (ingress and egress matching overlapping traffic on one port) are not rendered.
  .filter((c) => checkChain(c.chain, c.facts).length === 0);

function port2(a: number, b: number, live: boolean): InstanceFacts {
  const port = (ofport: number) => ({ host: 'h', bridge: 'br-int', ofport, kind: 'vhostuser' as const });
  return { state: 'INSTANTIATED', live, ports: { a: port(a), b: port(b) } };
}

const rulesOf = (c: Case): Rules => {
  const [bridge] = renderChain(c.chain, c.cookie, c.generation, c.facts);
  return parseRules(bridge!.flows, bridge!.groups);
};

/** Entry port -> (hop index, exit port), for the direction walked. */
function hopPorts(c: Case, reverse: boolean): Map<number, { hop: number; exit: number }> {
  const map = new Map<number, { hop: number; exit: number }>();
  c.chain.hops.forEach((hop, h) =>
    hop.instances.forEach((inst) => {
      const ports = c.facts.instances[inst.vnfInstanceId]!.ports;
      const [enter, exit] = reverse ? [ports.b!, ports.a!] : [ports.a!, ports.b!];
      map.set(enter.ofport, { hop: h, exit: exit.ofport });
    }),
  );
  return map;
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

function entry(c: Case, point: ChainPoint, net: NetworkFacts | undefined, packet: Packet): Packet {
  if ('cpdId' in point) return { ...packet, inPort: c.facts.instances[point.vnfInstanceId]!.ports[point.cpdId]!.ofport };
  const tagged = point.vlan !== undefined && net?.tagged !== false;
  return { ...packet, inPort: net!.ofport!, ...(tagged ? { vlan: point.vlan } : {}) };
}

/** Follows a packet until it leaves the chain; every step must have exactly one next hop. */
function walk(rules: Rules, ports: Map<number, { hop: number; exit: number }>, start: Packet): { hops: number[]; end: 'drop' | number; packet: Packet } {
  const hops: number[] = [];
  let packet = start;
  for (let step = 0; step < 50; step++) {
    const trace = interpret(rules, packet);
    if (trace.kind === 'ambiguous' || trace.kind === 'none') throw new Error(`${trace.kind} at in_port ${packet.inPort} after hops ${hops.join(',')}`);
    if (trace.kind === 'drop') return { hops, end: 'drop', packet };
    const next = trace.ports.map((p) => ports.get(p));
    if (trace.ports.length === 1 && next[0] === undefined) return { hops, end: trace.ports[0]!, packet: trace.packet };
    // A group: every bucket is an instance of one and the same hop; the flow follows one of them.
    expect(next.every((n) => n !== undefined && n.hop === next[0]!.hop)).toBe(true);
    const chosen = next[(packet.sport + packet.dport) % next.length]!;
    hops.push(chosen.hop);
    packet = { ...trace.packet, inPort: chosen.exit };
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

  test('a packet outside the classifier (both ways) matches no flow of the chain at any of its ports', () => {
    fc.assert(
      fc.property(caseArb, fc.constantFrom(1, 2, 3, 4), (c, pick) => {
        const rules = rulesOf(c);
        const ports = [ENDS.ingressPort, c.facts.egress!.ofport!, ENDS.ingressCp, ...Object.values(c.facts.instances).flatMap((i) => [i.ports.a!.ofport, i.ports.b!.ofport])];
        fc.assert(
          fc.property(packetArb(0), fc.constantFrom(...ports), fc.constantFrom(undefined, 100, c.chain.egress && 'vlan' in c.chain.egress ? c.chain.egress.vlan : 7), (raw, inPort, vlan) => {
            fc.pre(!classifies(c.chain.classifier, raw) && !classifies(reverseClassifier(c.chain.classifier), raw));
            expect(interpret(rules, { ...raw, inPort, ...(vlan === undefined ? {} : { vlan }) }).kind).toBe('none');
          }),
          { numRuns: 10 * pick },
        );
      }),
      { numRuns: 100 },
    );
  });

  test('every flow carries the chain and generation in its cookie; rendering is deterministic', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const once = renderChain(c.chain, c.cookie, c.generation, c.facts);
        expect(renderChain(c.chain, c.cookie, c.generation, c.facts)).toEqual(once);
        const cookie = flowCookie(c.cookie, c.generation);
        for (const line of once[0]!.flows) {
          const value = BigInt(/^cookie=(0x[0-9a-f]+),/.exec(line)![1]!);
          expect(value).toBe(cookie);
          expect(value >> 16n).toBe(c.cookie);
          expect(Number(value & 0xffffn)).toBe(c.generation);
        }
      }),
      { numRuns: 200 },
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

function checkDirection(c: Case, rules: Rules, raw: Packet, reverse: boolean): void {
  const [from, fromFacts, to, toFacts] = reverse
    ? [c.chain.egress, c.facts.egress, c.chain.ingress, c.facts.ingress]
    : [c.chain.ingress, c.facts.ingress, c.chain.egress, c.facts.egress];
  const result = walk(rules, hopPorts(c, reverse), entry(c, from, fromFacts, raw));
  const want = expected(c, reverse);
  expect(result.hops).toEqual(want.hops);
  if (want.dropped) return void expect(result.end).toBe('drop');
  const exit = entry(c, to, toFacts, raw);
  expect(result.end).toBe(exit.inPort);
  expect(result.packet.vlan).toBe(exit.vlan);
}
