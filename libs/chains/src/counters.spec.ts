import { describe, expect, test } from '@jest/globals';
import { chainCounters, flowStats } from './counters.js';
import { groupId, isChainGroupId } from './ids.js';
import { renderChain } from './render.js';
import { instance, twoHopChain, twoHopFacts } from './testing/chains.js';

const COOKIE = 5n;
const AT = new Date('2026-12-07T23:00:00Z');

/** The rendered flows as dump-flows prints them with statistics, each counting `count(line)` packets of 100 bytes. */
function dumped(lines: readonly string[], count: (line: string) => number): string[] {
  return lines.map((line) => {
    const [match, actions] = line.split(',actions=');
    const n = count(line);
    return ` ${match!.replace(/^cookie=(0x[0-9a-f]+),/, 'cookie=$1, duration=3.1s, table=0, ')}, n_packets=${n}, n_bytes=${n * 100} actions=${actions}`;
  });
}

describe('flowStats', () => {
  test("reads packets, bytes and in_port of the chain's flows only, skipping headers and other cookies", () => {
    const lines = [
      'OFPST_FLOW reply (OF1.5) (xid=0x2):',
      ' cookie=0x50001, duration=1.0s, table=0, n_packets=7, n_bytes=700, priority=32768,udp,in_port=3 actions=output:4',
      ' cookie=0x60001, duration=1.0s, table=0, n_packets=9, n_bytes=900, priority=32768,udp,in_port=3 actions=output:4',
      ' cookie=0x50001, duration=1.0s, table=0, n_packets=2, n_bytes=84, priority=32768,dl_vlan=10 actions=drop',
    ];
    expect(flowStats(lines, COOKIE)).toEqual([{ packets: 7, bytes: 700, inPort: 3 }, { packets: 2, bytes: 84 }]);
  });
});

describe('chainCounters', () => {
  test('ingress counts the flows at the ingress port; each hop instance what left its egress port', () => {
    const chain = twoHopChain();
    const facts = twoHopFacts();
    const [rules] = renderChain(chain, COOKIE, 1, facts);
    const count = (line: string) => (/in_port=1,/.test(line) ? 10 : /in_port=11,/.test(line) ? 9 : /in_port=21,/.test(line) ? 8 : 0);
    const counters = chainCounters(chain, facts, COOKIE, [{ host: 'h1', bridge: 'br-int', lines: dumped(rules!.flows, count) }], AT);
    expect(counters).toEqual({
      ingress: { packets: 10, bytes: 1000 },
      hops: [
        { instances: [{ vnfInstanceId: 'fw', live: true, packets: 9, bytes: 900 }] },
        { instances: [{ vnfInstanceId: 'dpi', live: true, packets: 8, bytes: 800 }] },
      ],
      at: '2026-12-07T23:00:00.000Z',
    });
  });

  test('an instance that is not live counts nothing (it has no flows) and says so; another bridge or host is not counted', () => {
    const chain = twoHopChain({ failMode: 'open' });
    const facts = twoHopFacts({ dpi: instance(20, 21, false) });
    const [rules] = renderChain(chain, COOKIE, 2, facts);
    const lines = dumped(rules!.flows, () => 4);
    const counters = chainCounters(chain, facts, COOKIE, [
      { host: 'h1', bridge: 'br-int', lines },
      { host: 'h2', bridge: 'br-int', lines },
      { host: 'h1', bridge: 'br-other', lines },
    ], AT);
    expect(counters.ingress).toEqual({ packets: 4, bytes: 400 });
    expect(counters.hops[1]!.instances).toEqual([{ vnfInstanceId: 'dpi', live: false, packets: 0, bytes: 0 }]);
    expect(counters.hops[0]!.instances[0]).toMatchObject({ packets: 4, bytes: 400 });
  });

  test('nothing dumped: zeros', () => {
    const counters = chainCounters(twoHopChain(), twoHopFacts(), COOKIE, [], AT);
    expect(counters.ingress).toEqual({ packets: 0, bytes: 0 });
    expect(counters.hops.flatMap((h) => h.instances.map((i) => i.packets))).toEqual([0, 0]);
  });
});

describe('isChainGroupId', () => {
  test("finds every generation's and hop's groups of the chain, and not another chain's", () => {
    for (const [gen, hop, reverse] of [[0, 0, false], [15, 127, true], [65535, 3, false]] as const) {
      expect(isChainGroupId(COOKIE, groupId(COOKIE, gen, hop, reverse))).toBe(true);
      expect(isChainGroupId(6n, groupId(COOKIE, gen, hop, reverse))).toBe(false);
    }
    expect(isChainGroupId(COOKIE + 0xfffffn, groupId(COOKIE, 1, 0, false))).toBe(true);
  });
});
