import fc from 'fast-check';
import type { Classifier, Ethertype, PortRange } from '../model.js';
import type { Packet } from './interpreter.js';

// Small domains on purpose: addresses in one /24 (or /120), ports 0..31, three protocols, so that
// random classifiers overlap and random packets match them often enough to exercise both answers.

const BASE: Record<Ethertype, bigint> = { ipv4: 0x0a000000n, ipv6: 0x20010db8n << 96n };
const WIDTH: Record<Ethertype, number> = { ipv4: 32, ipv6: 128 };

function formatAddress(ethertype: Ethertype, bits: bigint): string {
  if (ethertype === 'ipv4') return [24n, 16n, 8n, 0n].map((s) => String((bits >> s) & 0xffn)).join('.');
  return Array.from({ length: 8 }, (_, i) => ((bits >> BigInt(112 - 16 * i)) & 0xffffn).toString(16)).join(':');
}

const prefixArb = (ethertype: Ethertype): fc.Arbitrary<string> =>
  fc.record({ low: fc.integer({ min: 0, max: 255 }), keep: fc.integer({ min: 0, max: 8 }) }).map(({ low, keep }) => {
    const width = WIDTH[ethertype];
    const length = width - 8 + keep;
    const hostBits = BigInt(8 - keep);
    const bits = BASE[ethertype] | ((BigInt(low) >> hostBits) << hostBits);
    return `${formatAddress(ethertype, bits)}/${length}`;
  });

export const rangeArb: fc.Arbitrary<PortRange> = fc
  .tuple(fc.integer({ min: 0, max: 31 }), fc.integer({ min: 0, max: 31 }))
  .map(([a, b]) => ({ from: Math.min(a, b), to: Math.max(a, b) }));

export const classifierArb = (ethertypes: Ethertype[] = ['ipv4', 'ipv6']): fc.Arbitrary<Classifier> =>
  fc.constantFrom(...ethertypes).chain((ethertype) =>
    fc.constantFrom(undefined, 6, 17, 1).chain((protocol) => {
      const l4 = protocol === 6 || protocol === 17;
      return fc
        .record(
          {
            sourcePrefix: prefixArb(ethertype),
            destinationPrefix: prefixArb(ethertype),
            sourcePorts: l4 ? rangeArb : fc.constant(undefined),
            destinationPorts: l4 ? rangeArb : fc.constant(undefined),
          },
          { requiredKeys: [] },
        )
        .map((fields) => {
          const c: Classifier = { ethertype, ...(protocol === undefined ? {} : { protocol }) };
          for (const [k, v] of Object.entries(fields)) if (v !== undefined) (c as unknown as Record<string, unknown>)[k] = v;
          return c;
        });
    }),
  );

export const packetArb = (inPort: number, ethertype?: Ethertype): fc.Arbitrary<Packet> =>
  fc
    .record({
      ethertype: ethertype ? fc.constant(ethertype) : fc.constantFrom<Ethertype>('ipv4', 'ipv6'),
      src: fc.integer({ min: 0, max: 255 }),
      dst: fc.integer({ min: 0, max: 255 }),
      proto: fc.constantFrom(6, 17, 1),
      sport: fc.integer({ min: 0, max: 31 }),
      dport: fc.integer({ min: 0, max: 31 }),
    })
    .map((p) => ({ ...p, inPort, src: BASE[p.ethertype] | BigInt(p.src), dst: BASE[p.ethertype] | BigInt(p.dst) }));

/** The classifier's meaning, written independently of the rendering, to compare with the flows. */
export function classifies(c: Classifier, p: Packet): boolean {
  if (c.ethertype !== p.ethertype) return false;
  if (c.protocol !== undefined && c.protocol !== p.proto) return false;
  const inPrefix = (prefix: string | undefined, address: bigint) => {
    if (prefix === undefined) return true;
    const length = Number(prefix.split('/')[1]);
    const shift = BigInt(WIDTH[c.ethertype] - length);
    const text = prefix.split('/')[0]!;
    const bits = c.ethertype === 'ipv4' ? text.split('.').reduce((a, o) => (a << 8n) | BigInt(o), 0n) : text.split(':').reduce((a, g) => (a << 16n) | BigInt(parseInt(g, 16)), 0n);
    return address >> shift === bits >> shift;
  };
  const inRange = (r: PortRange | undefined, port: number) => r === undefined || (port >= r.from && port <= r.to);
  return inPrefix(c.sourcePrefix, p.src) && inPrefix(c.destinationPrefix, p.dst) && inRange(c.sourcePorts, p.sport) && inRange(c.destinationPorts, p.dport);
}

/** Packets the classifier matches: a random packet moved inside each of its fields. */
export const packetWithinArb = (c: Classifier): fc.Arbitrary<Packet> =>
  packetArb(0, c.ethertype).map((p) => {
    const width = WIDTH[c.ethertype];
    const inside = (prefix: string | undefined, address: bigint) => {
      if (prefix === undefined) return address;
      const length = Number(prefix.split('/')[1]);
      const host = (1n << BigInt(width - length)) - 1n;
      const network = (BASE[c.ethertype] & ~0xffn) | (parseLow(prefix) & ~host & 0xffn);
      return network | (address & host);
    };
    const into = (r: PortRange | undefined, port: number) => (r === undefined ? port : r.from + (port % (r.to - r.from + 1)));
    return {
      ...p,
      proto: c.protocol ?? p.proto,
      src: inside(c.sourcePrefix, p.src),
      dst: inside(c.destinationPrefix, p.dst),
      sport: into(c.sourcePorts, p.sport),
      dport: into(c.destinationPorts, p.dport),
    };
  });

/** The last byte of a prefix of this generator's one /24 (or /120). */
function parseLow(prefix: string): bigint {
  const address = prefix.split('/')[0]!;
  return address.includes(':') ? BigInt(parseInt(address.split(':').at(-1)!, 16) & 0xff) : BigInt(address.split('.').at(-1)!);
}
