import { describe, expect, test } from '@jest/globals';
import type { FlowTrace, TraceRule } from '#vim/ovs';
import type { ChainFacts, ServiceChain } from './model.js';
import { instance, twoHopChain, twoHopFacts } from './testing/chains.js';
import { combineSegments, explainSegment, nextTraceStart, traceStart, TraceStartError, type TraceStart } from './trace.js';

const COOKIE = 5n;
const CHAIN_COOKIE = 0x50003n; // generation 3 of chain 5

function rule(cookie: bigint, actions: string[], match = 'tcp,in_port=1'): TraceRule {
  return { bridge: 'br-int', table: 0, cookie, priority: 32768, match, actions, notes: [] };
}

function flowTrace(rules: TraceRule[], output: number[] | 'drop'): FlowTrace {
  return { flow: 'tcp,in_port=1', rules, misses: [], finalFlow: 'unchanged', megaflow: '', datapathActions: output === 'drop' ? 'drop' : '3', output, raw: '' };
}

describe('traceStart', () => {
  test('a tagged network ingress enters at its port with its VLAN; a hop starts at its live instance\'s egress port', () => {
    expect(traceStart(twoHopChain(), twoHopFacts())).toEqual({ from: -1, host: 'h1', bridge: 'br-int', inPort: 1, vlan: 100 });
    expect(traceStart(twoHopChain(), { ...twoHopFacts(), ingress: { ofport: 1, tagged: false } })).toEqual({ from: -1, host: 'h1', bridge: 'br-int', inPort: 1 });
    expect(traceStart(twoHopChain(), twoHopFacts(), 1)).toEqual({ from: 1, vnfInstanceId: 'dpi', host: 'h1', bridge: 'br-int', inPort: 21 });
  });

  test('says why it cannot start', () => {
    expect(() => traceStart(twoHopChain(), { ...twoHopFacts(), ingress: {} })).toThrow(TraceStartError);
    expect(() => traceStart(twoHopChain(), twoHopFacts(), 5)).toThrow(/no hop 5/);
    expect(() => traceStart(twoHopChain(), twoHopFacts({ fw: instance(10, 11, false) }), 0)).toThrow(/hop 0 has no live instance/);
  });
});

describe('combineSegments', () => {
  const explainTrace = (c: ServiceChain, f: ChainFacts, cookie: bigint, walk: readonly { start: TraceStart; trace: FlowTrace }[]) =>
    combineSegments(walk.map(({ start, trace }) => explainSegment(c, f, cookie, start, trace)));
  const chain = twoHopChain();
  const facts = twoHopFacts();

  test('walks the hops in order to the egress, with every rule hit', () => {
    const walk = [
      { start: traceStart(chain, facts), trace: flowTrace([rule(CHAIN_COOKIE, ['pop_vlan', 'output:10'])], [10]) },
      { start: traceStart(chain, facts, 0, 'fw'), trace: flowTrace([rule(CHAIN_COOKIE, ['output:20'], 'tcp,in_port=11')], [20]) },
      { start: traceStart(chain, facts, 1, 'dpi'), trace: flowTrace([rule(CHAIN_COOKIE, ['push_vlan:0x8100', 'output:2'], 'tcp,in_port=21')], [2]) },
    ];
    const result = explainTrace(chain, facts, COOKIE, walk);
    expect(result).toMatchObject({
      entersChain: true,
      hops: [{ hop: 0, vnfInstanceId: 'fw', ofport: 10 }, { hop: 1, vnfInstanceId: 'dpi', ofport: 20 }, { egress: true, ofport: 2 }],
      dropped: false,
      output: [2],
    });
    expect(result.rules).toHaveLength(3);
    expect(result.rules[0]).toEqual({ bridge: 'br-int', table: 0, cookie: '0x50003', priority: 32768, match: 'tcp,in_port=1', actions: ['pop_vlan', 'output:10'], ofChain: true });
    expect(result.segments.map((s) => [s.from, s.inPort])).toEqual([[-1, 1], [0, 11], [1, 21]]);
  });

  test('nextTraceStart follows the instance reached, and stops at the egress', () => {
    const first = explainSegment(chain, facts, COOKIE, traceStart(chain, facts), flowTrace([rule(CHAIN_COOKIE, ['output:10'])], [10]));
    expect(nextTraceStart(chain, facts, first)).toMatchObject({ from: 0, vnfInstanceId: 'fw', inPort: 11 });
    const last = explainSegment(chain, facts, COOKIE, traceStart(chain, facts, 1), flowTrace([rule(CHAIN_COOKIE, ['output:2'])], [2]));
    expect(nextTraceStart(chain, facts, last)).toBeUndefined();
  });

  test('a packet outside the classifier does not enter the chain: NORMAL sending it to a hop port is no hop', () => {
    const result = explainTrace(chain, facts, COOKIE, [{ start: traceStart(chain, facts), trace: flowTrace([rule(0n, ['NORMAL'], '')], [10, 2]) }]);
    expect(result).toMatchObject({ entersChain: false, hops: [], dropped: false, output: [10, 2] });
    expect(result.rules[0]).toMatchObject({ cookie: '0x0', ofChain: false });
    const normal = explainTrace(chain, facts, COOKIE, [{ start: traceStart(chain, facts), trace: flowTrace([rule(0n, ['NORMAL'], '')], []) }]);
    expect(normal).toMatchObject({ entersChain: false, dropped: false, output: [] });
  });

  test("failMode closed: the dead hop's drop rule, with the reason", () => {
    const dead = twoHopFacts({ dpi: instance(20, 21, false) });
    const walk = [
      { start: traceStart(chain, dead), trace: flowTrace([rule(CHAIN_COOKIE, ['output:10'])], [10]) },
      { start: traceStart(chain, dead, 0), trace: flowTrace([rule(CHAIN_COOKIE, ['drop'], 'tcp,in_port=11')], 'drop') },
    ];
    const result = explainTrace(chain, dead, COOKIE, walk);
    expect(result).toMatchObject({ entersChain: true, hops: [{ hop: 0, vnfInstanceId: 'fw', ofport: 10 }], dropped: true, output: [] });
    expect(result.dropReason).toMatch(/hop 1 has no live instance and the chain's failMode is closed/);
  });

  test('a miss in the table is a drop with the table named; no segment is refused', () => {
    const trace = { ...flowTrace([], 'drop'), misses: [{ bridge: 'br-int', table: 0 }] };
    const result = explainTrace(chain, facts, COOKIE, [{ start: traceStart(chain, facts), trace }]);
    expect(result).toMatchObject({ entersChain: false, dropped: true, dropReason: 'no rule of the chain matched, and table 0 has no rule for it' });
    expect(() => explainTrace(chain, facts, COOKIE, [])).toThrow(RangeError);
  });
});
