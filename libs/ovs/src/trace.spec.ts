import { describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import { InvalidSpecError } from '#vim/naming';
import { hostileString } from '#vim/naming/testing';
import { checkIpv6Address, parseTrace, TRACE_FLOW_SAFE, traceFlow, traceInvocation, type TracePacket, TraceParseError } from './trace.js';
import { TRACE_OUTPUT_TO_PORT } from './testing/trace-captures.js';

/**
 * ofproto/trace answers captured on OvS 3.1.0 (netdev bridge brtr27510, internal ports 1-4, ofport = n,
 * datapath ports 3-6), with the flows:
 *   cookie=0xc4a100010001,table=0,priority=100,udp,in_port=1,nw_dst=10.9.0.2,tp_dst=5201,actions=group:5
 *   cookie=0xc4a100010001,table=0,priority=100,in_port=3,actions=output:2
 *   cookie=0xba5e0000,table=0,priority=10,in_port=1,actions=output:2
 *   cookie=0x77,table=0,priority=50,tcp,in_port=1,tp_dst=22,actions=drop
 *   cookie=0x88,table=0,priority=60,udp,in_port=1,tp_dst=53,actions=resubmit(,1)
 *   cookie=0x99,table=1,priority=5,udp,actions=mod_vlan_vid:7,output:4
 *   cookie=0xaa,table=0,priority=100,ipv6,in_port=2,actions=output:1
 *   table=0,priority=70,tcp,in_port=1,tp_dst=80,actions=output:2,output:3
 *   table=0,priority=70,tcp,in_port=1,tp_dst=81,actions=resubmit(,9)
 *   cookie=0x5,table=0,priority=1,actions=output:in_port,output:1
 *   group_id=5,type=select,selection_method=hash,fields(ip_src,ip_dst,nw_proto,udp_src,udp_dst),bucket=output:3,bucket=output:4
 */
/** udp to 5201 from port 1: chain rule to select group 5, bucket 1 (output:4) */
const SELECT_GROUP = `Flow: udp,in_port=1,vlan_tci=0x0000,dl_src=00:00:00:00:00:00,dl_dst=00:00:00:00:00:00,nw_src=10.9.0.1,nw_dst=10.9.0.2,nw_tos=0,nw_ecn=0,nw_ttl=0,nw_frag=no,tp_src=40000,tp_dst=5201

bridge("brtr27510")
-------------------
 0. udp,in_port=1,nw_dst=10.9.0.2,tp_dst=5201, priority 100, cookie 0xc4a100010001
    group:5
     -> bucket 0: score 13588
     -> bucket 1: score 59442
     -> using bucket 1
    bucket 1
            output:4

Final flow: unchanged
Megaflow: recirc_id=0,eth,udp,in_port=1,nw_src=10.9.0.1,nw_dst=10.9.0.2,nw_frag=no,tp_src=40000,tp_dst=5201
Datapath actions: 6
`;


/** tcp to 22: a rule whose action is drop */
const DROP = `Flow: tcp,in_port=1,vlan_tci=0x0000,dl_src=00:00:00:00:00:00,dl_dst=00:00:00:00:00:00,nw_src=10.9.0.1,nw_dst=10.9.0.2,nw_tos=0,nw_ecn=0,nw_ttl=0,nw_frag=no,tp_src=40000,tp_dst=22,tcp_flags=0

bridge("brtr27510")
-------------------
 0. tcp,in_port=1,tp_dst=22, priority 50, cookie 0x77
    drop

Final flow: unchanged
Megaflow: recirc_id=0,eth,tcp,in_port=1,nw_dst=10.9.0.2,nw_frag=no,tp_dst=22
Datapath actions: drop
`;

/** from port 4: no rule matches */
const NO_MATCH = `Flow: udp,in_port=4,vlan_tci=0x0000,dl_src=00:00:00:00:00:00,dl_dst=00:00:00:00:00:00,nw_src=10.9.0.1,nw_dst=10.9.0.2,nw_tos=0,nw_ecn=0,nw_ttl=0,nw_frag=no,tp_src=40000,tp_dst=22

bridge("brtr27510")
-------------------
 0. No match.
    drop

Final flow: unchanged
Megaflow: recirc_id=0,eth,ip,in_port=4,nw_frag=no
Datapath actions: drop
`;

/** udp to 53: resubmit(,1), then table 1 pushes VLAN 7 and outputs to 4 */
const RESUBMIT = `Flow: udp,in_port=1,vlan_tci=0x0000,dl_src=00:00:00:00:00:00,dl_dst=00:00:00:00:00:00,nw_src=10.9.0.1,nw_dst=10.9.0.2,nw_tos=0,nw_ecn=0,nw_ttl=0,nw_frag=no,tp_src=40000,tp_dst=53

bridge("brtr27510")
-------------------
 0. udp,in_port=1,tp_dst=53, priority 60, cookie 0x88
    resubmit(,1)
 1. udp, priority 5, cookie 0x99
    push_vlan:0x8100
    set_field:4103->vlan_vid
    output:4

Final flow: udp,in_port=1,dl_vlan=7,dl_vlan_pcp=0,vlan_tci1=0x0000,dl_src=00:00:00:00:00:00,dl_dst=00:00:00:00:00:00,nw_src=10.9.0.1,nw_dst=10.9.0.2,nw_tos=0,nw_ecn=0,nw_ttl=0,nw_frag=no,tp_src=40000,tp_dst=53
Megaflow: recirc_id=0,eth,udp,in_port=1,nw_dst=10.9.0.2,nw_frag=no,tp_dst=53
Datapath actions: push_vlan(vid=7,pcp=0),6
`;

/** udp6 on VLAN 5 from port 2: ipv6 rule output:1 */
const IPV6_VLAN = `Flow: udp6,in_port=2,dl_vlan=5,dl_vlan_pcp=0,vlan_tci1=0x0000,dl_src=00:00:00:00:00:00,dl_dst=00:00:00:00:00:00,ipv6_src=fd00::1,ipv6_dst=fd00::2,ipv6_label=0x00000,nw_tos=0,nw_ecn=0,nw_ttl=0,nw_frag=no,tp_src=1,tp_dst=2

bridge("brtr27510")
-------------------
 0. ipv6,in_port=2, priority 100, cookie 0xaa
    output:1

Final flow: unchanged
Megaflow: recirc_id=0,eth,ipv6,in_port=2,nw_frag=no
Datapath actions: 3
`;

/** tcp to 80: a rule without cookie, output:2 and output:3 */
const TWO_OUTPUTS = `Flow: tcp,in_port=1,vlan_tci=0x0000,dl_src=00:00:00:00:00:00,dl_dst=00:00:00:00:00:00,nw_src=10.9.0.1,nw_dst=10.9.0.2,nw_tos=0,nw_ecn=0,nw_ttl=0,nw_frag=no,tp_src=40000,tp_dst=80,tcp_flags=0

bridge("brtr27510")
-------------------
 0. tcp,in_port=1,tp_dst=80, priority 70
    output:2
    output:3

Final flow: unchanged
Megaflow: recirc_id=0,eth,tcp,in_port=1,nw_dst=10.9.0.2,nw_frag=no,tp_dst=80
Datapath actions: 4,5
`;

/** tcp to 81: resubmit(,9) into an empty table */
const RESUBMIT_NO_MATCH = `Flow: tcp,in_port=1,vlan_tci=0x0000,dl_src=00:00:00:00:00:00,dl_dst=00:00:00:00:00:00,nw_src=10.9.0.1,nw_dst=10.9.0.2,nw_tos=0,nw_ecn=0,nw_ttl=0,nw_frag=no,tp_src=40000,tp_dst=81,tcp_flags=0

bridge("brtr27510")
-------------------
 0. tcp,in_port=1,tp_dst=81, priority 70
    resubmit(,9)
 9. No match.
    drop

Final flow: unchanged
Megaflow: recirc_id=0,eth,tcp,in_port=1,nw_dst=10.9.0.2,nw_frag=no,tp_dst=81
Datapath actions: drop
`;

/** from port 4: match-all rule, IN_PORT and output:1 */
const MATCH_ALL = `Flow: tcp,in_port=4,vlan_tci=0x0000,dl_src=00:00:00:00:00:00,dl_dst=00:00:00:00:00:00,nw_src=10.9.0.1,nw_dst=10.9.0.2,nw_tos=0,nw_ecn=0,nw_ttl=0,nw_frag=no,tp_src=40000,tp_dst=80,tcp_flags=0

bridge("brtr27510")
-------------------
 0. priority 1, cookie 0x5
    IN_PORT
    output:1

Final flow: unchanged
Megaflow: recirc_id=0,eth,ip,in_port=4,nw_frag=no
Datapath actions: 6,3
`;

describe('parseTrace on ofproto/trace answers of OvS 3.1', () => {
  test('a chain rule into a select group: the rule, the bucket taken, the OpenFlow output port', () => {
    const t = parseTrace(SELECT_GROUP);
    expect(t.rules).toEqual([{
      bridge: 'brtr27510', table: 0, cookie: 0xc4a100010001n, priority: 100, match: 'udp,in_port=1,nw_dst=10.9.0.2,tp_dst=5201',
      actions: ['group:5', 'bucket 1', 'output:4'], notes: ['-> bucket 0: score 13588', '-> bucket 1: score 59442', '-> using bucket 1'],
    }]);
    expect(t.output).toEqual([4]);
    expect(t.datapathActions).toBe('6');
    expect(t.misses).toEqual([]);
    expect(t.flow).toMatch(/^udp,in_port=1,/);
    expect(t.finalFlow).toBe('unchanged');
    expect(t.megaflow).toBe('recirc_id=0,eth,udp,in_port=1,nw_src=10.9.0.1,nw_dst=10.9.0.2,nw_frag=no,tp_src=40000,tp_dst=5201');
    expect(t.raw).toBe(SELECT_GROUP);
  });

  test('a rule that outputs to a port', () => {
    const t = parseTrace(TRACE_OUTPUT_TO_PORT);
    expect(t.rules.map((r) => [r.table, r.cookie, r.priority, r.match, r.actions])).toEqual([[0, 0xc4a100010001n, 100, 'in_port=3', ['output:2']]]);
    expect(t.output).toEqual([2]);
  });

  test('a rule whose action is drop, and a packet no rule matches: drop', () => {
    const dropped = parseTrace(DROP);
    expect(dropped.rules.map((r) => [r.cookie, r.priority, r.match, r.actions])).toEqual([[0x77n, 50, 'tcp,in_port=1,tp_dst=22', ['drop']]]);
    expect(dropped.output).toBe('drop');
    const none = parseTrace(NO_MATCH);
    expect(none.rules).toEqual([]);
    expect(none.misses).toEqual([{ bridge: 'brtr27510', table: 0 }]);
    expect(none.output).toBe('drop');
    expect(none.datapathActions).toBe('drop');
  });

  test('a resubmit: both rules in order, the second table\'s actions and the changed final flow', () => {
    const t = parseTrace(RESUBMIT);
    expect(t.rules.map((r) => [r.table, r.cookie, r.priority, r.match, r.actions])).toEqual([
      [0, 0x88n, 60, 'udp,in_port=1,tp_dst=53', ['resubmit(,1)']],
      [1, 0x99n, 5, 'udp', ['push_vlan:0x8100', 'set_field:4103->vlan_vid', 'output:4']],
    ]);
    expect(t.output).toEqual([4]);
    expect(t.finalFlow).toMatch(/dl_vlan=7/);
    expect(t.datapathActions).toBe('push_vlan(vid=7,pcp=0),6');
  });

  test('a resubmit into a table that matches nothing', () => {
    const t = parseTrace(RESUBMIT_NO_MATCH);
    expect(t.rules.map((r) => [r.table, r.cookie, r.actions])).toEqual([[0, 0n, ['resubmit(,9)']]]);
    expect(t.misses).toEqual([{ bridge: 'brtr27510', table: 9 }]);
    expect(t.output).toBe('drop');
  });

  test('IPv6 on a VLAN; a rule without cookie with two outputs; a match-all rule with IN_PORT', () => {
    expect(parseTrace(IPV6_VLAN)).toMatchObject({ output: [1], rules: [{ cookie: 0xaan, match: 'ipv6,in_port=2' }] });
    expect(parseTrace(IPV6_VLAN).flow).toMatch(/^udp6,in_port=2,dl_vlan=5,/);
    expect(parseTrace(TWO_OUTPUTS)).toMatchObject({ output: [2, 3], datapathActions: '4,5', rules: [{ cookie: 0n, priority: 70, actions: ['output:2', 'output:3'] }] });
    expect(parseTrace(MATCH_ALL)).toMatchObject({ output: [4, 1], rules: [{ cookie: 0x5n, priority: 1, match: '', actions: ['IN_PORT', 'output:1'] }] });
  });

  test('what is not a trace is refused with the text quoted', () => {
    expect(() => parseTrace('')).toThrow(TraceParseError);
    expect(() => parseTrace('nosuchbr: unknown bridge\n')).toThrow(/not an ofproto\/trace answer.*unknown bridge/);
    expect(() => parseTrace(TRACE_OUTPUT_TO_PORT.replace(', priority 100, cookie 0xc4a100010001', ''))).toThrow(/has no priority/);
  });
});

describe('traceFlow and traceInvocation', () => {
  const udp: TracePacket = { inPort: 1, ethertype: 'ipv4', source: '10.9.0.1', destination: '10.9.0.2', protocol: 17, sourcePort: 40000, destinationPort: 5201 };

  test('the flows of the captures above, as ovs-appctl takes them (ports named after the protocol)', () => {
    expect(traceInvocation('brtr27510', udp)).toEqual({ file: 'ovs-appctl', args: ['ofproto/trace', 'brtr27510', 'in_port=1,udp,nw_src=10.9.0.1,nw_dst=10.9.0.2,udp_src=40000,udp_dst=5201'] });
    expect(traceFlow({ inPort: 2, vlan: 5, ethertype: 'ipv6', source: 'fd00::1', destination: 'FD00::2', protocol: 17, sourcePort: 1, destinationPort: 2 }))
      .toBe('in_port=2,dl_vlan=5,udp6,ipv6_src=fd00:0:0:0:0:0:0:1,ipv6_dst=fd00:0:0:0:0:0:0:2,udp_src=1,udp_dst=2');
    expect(traceFlow({ ...udp, protocol: 6 })).toBe('in_port=1,tcp,nw_src=10.9.0.1,nw_dst=10.9.0.2,tcp_src=40000,tcp_dst=5201');
    expect(traceFlow({ ...udp, protocol: 132, sourcePort: undefined })).toBe('in_port=1,sctp,nw_src=10.9.0.1,nw_dst=10.9.0.2,sctp_dst=5201');
    expect(traceFlow({ inPort: 1, ethertype: 'ipv4', source: '10.9.0.1', destination: '10.9.0.2', protocol: 47 })).toBe('in_port=1,ip,nw_proto=47,nw_src=10.9.0.1,nw_dst=10.9.0.2');
  });

  test('every bad value is listed with its pointer', () => {
    const error = (() => {
      try {
        traceInvocation('br0', { inPort: 0, vlan: 4095, ethertype: 'ipv4', source: 'fd00::1', destination: '10.0.0.256', protocol: 47, sourcePort: 1, destinationPort: 70000 });
      } catch (e) {
        return e as InvalidSpecError;
      }
      throw new Error('not refused');
    })();
    expect(error).toBeInstanceOf(InvalidSpecError);
    expect(error.problems.map((p) => p.path)).toEqual(['/inPort', '/vlan', '/source', '/destination', '/sourcePort', '/destinationPort']);
    expect(() => traceInvocation('br0;rm', udp)).toThrow(InvalidSpecError);
    expect(() => traceFlow({ ...udp, ethertype: 'ipx' as 'ipv4' })).toThrow(/ethertype/);
    expect(() => traceFlow({ ...udp, sourcePort: 1.5 })).toThrow(/sourcePort/);
    expect(() => traceFlow({ ...udp, ethertype: 'ipv6' })).toThrow(/source.*IPv6/);
    expect(() => traceFlow({ ...udp, source: '010.9.0.1' })).toThrow(/source/);
    expect(() => traceFlow({ ...udp, ethertype: 'ipv6', source: '::ffff:10.0.0.1', destination: 'fe80::1%eth0' })).toThrow(/source.*destination/);
  });
});

describe('the trace flow, as a property', () => {
  const hostileOr = <T>(good: fc.Arbitrary<T>) => fc.oneof(good, hostileString, fc.anything() as fc.Arbitrary<unknown>);
  const packet = fc.record({
    inPort: hostileOr(fc.integer({ min: -5, max: 0x10000 })),
    vlan: fc.option(hostileOr(fc.integer({ min: -1, max: 4100 })), { nil: undefined }),
    ethertype: hostileOr(fc.constantFrom('ipv4', 'ipv6')),
    source: hostileOr(fc.oneof(fc.ipV4(), fc.ipV6(), fc.ipV4Extended())),
    destination: hostileOr(fc.oneof(fc.ipV4(), fc.ipV6())),
    protocol: hostileOr(fc.oneof(fc.constantFrom(6, 17, 132), fc.integer({ min: -1, max: 256 }))),
    sourcePort: fc.option(hostileOr(fc.integer({ min: -1, max: 65536 })), { nil: undefined }),
    destinationPort: fc.option(hostileOr(fc.integer({ min: -1, max: 65536 })), { nil: undefined }),
  });

  test('any input is refused with InvalidSpecError or gives a flow of safe characters only, as one argv element', () => {
    fc.assert(
      fc.property(fc.oneof(fc.constant('br-int'), hostileString), packet, (bridge, p) => {
        let invocation;
        try {
          invocation = traceInvocation(bridge, p as TracePacket);
        } catch (e) {
          expect(e).toBeInstanceOf(InvalidSpecError);
          return;
        }
        expect(invocation.file).toBe('ovs-appctl');
        expect(invocation.args).toHaveLength(3);
        expect(invocation.args[0]).toBe('ofproto/trace');
        expect(invocation.args[1]).toBe(bridge);
        expect(invocation.args[2]).toMatch(TRACE_FLOW_SAFE);
        expect(invocation.args[2]).toMatch(/^in_port=\d+,(dl_vlan=\d+,)?(udp6?|tcp6?|sctp6?|ip,nw_proto=\d+|ipv6,nw_proto=\d+),(nw|ipv6)_src=[0-9a-f.:]+,(nw|ipv6)_dst=[0-9a-f.:]+(,(udp|tcp|sctp)_(src|dst)=\d+)*$/);
      }),
      { numRuns: 3000 },
    );
  });

  test('well-formed packets are accepted, and the addresses come back as the same numbers', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 0xfeff }), fc.boolean(), fc.ipV4(), fc.ipV6().filter((a) => !a.includes('.')), fc.integer({ min: 0, max: 65535 }), (inPort, v6, a4, a6, port) => {
        const flow = traceFlow({ inPort, ethertype: v6 ? 'ipv6' : 'ipv4', source: v6 ? a6 : a4, destination: v6 ? a6 : a4, protocol: 17, destinationPort: port });
        expect(flow).toMatch(TRACE_FLOW_SAFE);
        expect(flow.endsWith(`udp_dst=${port}`)).toBe(true);
        const printed = /_src=([^,]+)/.exec(flow)![1]!;
        if (!v6) expect(printed).toBe(a4);
        else expect(checkIpv6Address(printed)).toEqual(checkIpv6Address(a6));
      }),
    );
  });
});
