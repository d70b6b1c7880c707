import { describe, expect, test } from '@jest/globals';
import { flowDrift, normaliseFlow } from './flow-drift.js';

// Captured from ovs-ofctl 3.1 on a netdev bridge, after `ovs-ofctl -O OpenFlow14 bundle BR -` added RENDERED.
const RENDERED = [
  'cookie=0x60003,table=0,priority=200,udp,nw_src=10.0.0.0/24,tp_dst=5201,in_port=1,actions=mod_dl_dst:52:54:00:00:00:01,group:1003',
  'cookie=0x60003,priority=50,ip,in_port=3,actions=output:2',
  'cookie=0x60003,table=0,priority=0,actions=drop',
  'cookie=0x60003,table=0,priority=150,ipv6,ipv6_dst=2001:db8::/64,actions=resubmit(,1)',
  'cookie=0x80001,table=1,priority=5,in_port=2,dl_vlan=100,actions=strip_vlan,3',
  'cookie=0x80001,priority=6,tcp6,in_port=2,tp_src=80,actions=load:0x1->NXM_NX_REG0[],resubmit(,1)',
  'cookie=0x90001,udp,udp_dst=53,eth_src=52:54:00:00:00:09,ip_dst=10.0.0.1,in_port=1,actions=2',
  'cookie=0x90001,priority=4,eth_type=0x86dd,ip_proto=17,in_port=2,actions=NORMAL',
  'cookie=0x90001,priority=3,dl_type=0x0800,nw_proto=6,in_port=2,actions=normal',
];
const DUMP_NO_STATS = `
 cookie=0x60003, priority=200,udp,in_port=1,nw_src=10.0.0.0/24,tp_dst=5201 actions=set_field:52:54:00:00:00:01->eth_dst,group:1003
 cookie=0x60003, priority=150,ipv6,ipv6_dst=2001:db8::/64 actions=resubmit(,1)
 cookie=0x60003, priority=50,ip,in_port=3 actions=output:2
 cookie=0x60003, priority=0 actions=drop
 cookie=0x80001, priority=6,tcp6,in_port=2,tp_src=80 actions=load:0x1->NXM_NX_REG0[],resubmit(,1)
 cookie=0x80001, table=1, priority=5,in_port=2,dl_vlan=100 actions=pop_vlan,output:3
 cookie=0x90001, udp,in_port=1,dl_src=52:54:00:00:00:09,nw_dst=10.0.0.1,tp_dst=53 actions=output:2
 cookie=0x90001, priority=3,tcp,in_port=2 actions=NORMAL
 cookie=0x90001, priority=4,udp6,in_port=2 actions=NORMAL
`.split('\n');
const DUMP_STATS = `OFPST_FLOW reply (OF1.4) (xid=0x6):
 cookie=0x60003, duration=0.034s, table=0, n_packets=0, n_bytes=0, priority=200,udp,in_port=1,nw_src=10.0.0.0/24,tp_dst=5201 actions=set_field:52:54:00:00:00:01->eth_dst,group:1003
 cookie=0x60003, duration=0.034s, table=0, n_packets=0, n_bytes=0, priority=150,ipv6,ipv6_dst=2001:db8::/64 actions=resubmit(,1)
 cookie=0x60003, duration=0.034s, table=0, n_packets=12, n_bytes=1200, priority=50,ip,in_port=3 actions=output:2
 cookie=0x60003, duration=0.034s, table=0, n_packets=0, n_bytes=0, priority=0 actions=drop
 cookie=0x80001, duration=0.223s, table=0, n_packets=0, n_bytes=0, priority=6,tcp6,in_port=2,tp_src=80 actions=load:0x1->NXM_NX_REG0[],resubmit(,1)
 cookie=0x80001, duration=0.223s, table=1, n_packets=0, n_bytes=0, priority=5,in_port=2,dl_vlan=100 actions=pop_vlan,output:3
 cookie=0x90001, duration=0.048s, table=0, n_packets=0, n_bytes=0, idle_age=0, udp,in_port=1,dl_src=52:54:00:00:00:09,nw_dst=10.0.0.1,tp_dst=53 actions=output:2
 cookie=0x90001, duration=10.437s, table=0, n_packets=0, n_bytes=0, idle_age=10, priority=3,tcp,in_port=2 actions=NORMAL
 cookie=0x90001, duration=10.437s, table=0, n_packets=0, n_bytes=0, idle_age=10, hard_age=3, priority=4,udp6,in_port=2 actions=NORMAL`.split('\n');

describe('normaliseFlow', () => {
  test('a rendered line and the dump of it read the same, with and without statistics', () => {
    const fromDump = DUMP_NO_STATS.map(normaliseFlow).filter((l) => l !== undefined);
    expect(new Set(RENDERED.map(normaliseFlow))).toEqual(new Set(fromDump));
    expect(new Set(DUMP_STATS.map(normaliseFlow).filter((l) => l !== undefined))).toEqual(new Set(fromDump));
    expect(fromDump).toHaveLength(RENDERED.length);
  });

  test('whole-address masks as OvS prints them (captured: libs/chains renders /32, the dump shows none)', () => {
    expect(normaliseFlow('cookie=0xc4a1000000020001,priority=32768,in_port=1,vlan_tci=0x0000/0x1fff,ip,nw_dst=10.78.0.2/32,nw_proto=17,udp_dst=5201,actions=output:3')).toBe(
      normaliseFlow(' cookie=0xc4a1000000020001, udp,in_port=1,vlan_tci=0x0000/0x1fff,nw_dst=10.78.0.2,tp_dst=5201 actions=output:3'),
    );
    expect(normaliseFlow('ipv6,ipv6_src=2001:db8::1/128,actions=drop')).toBe(normaliseFlow('ipv6,ipv6_src=2001:db8::1 actions=drop'));
    expect(normaliseFlow('ip,nw_src=10.0.0.0/255.255.255.0,actions=drop')).toBe(normaliseFlow('ip,nw_src=10.0.0.0/24 actions=drop'));
    expect(normaliseFlow('ip,nw_src=10.0.0.0/24,actions=drop')).not.toBe(normaliseFlow('ip,nw_src=10.0.0.0/25 actions=drop'));
  });

  test('canonical text', () => {
    expect(normaliseFlow('flow add cookie=0x2A0001,table=0,priority=200,udp,tp_dst=5201,in_port=1,actions=group:7')).toBe(
      'cookie=0x2a0001 table=0 priority=200 in_port=1 tp_dst=5201 udp actions=group:7',
    );
    expect(normaliseFlow('in_port=1,actions=2')).toBe('cookie=0x0 table=0 priority=32768 in_port=1 actions=output:2');
    expect(normaliseFlow('OFPST_FLOW reply (OF1.4) (xid=0x2):')).toBeUndefined();
    expect(normaliseFlow('')).toBeUndefined();
  });

  test('what differs stays different: cookie, table, priority, match, actions', () => {
    const base = normaliseFlow('cookie=0x1,table=0,priority=5,in_port=1,actions=output:2');
    for (const other of [
      'cookie=0x2,table=0,priority=5,in_port=1,actions=output:2',
      'cookie=0x1,table=1,priority=5,in_port=1,actions=output:2',
      'cookie=0x1,table=0,priority=6,in_port=1,actions=output:2',
      'cookie=0x1,table=0,priority=5,in_port=2,actions=output:2',
      'cookie=0x1,table=0,priority=5,in_port=1,ip,actions=output:2',
      'cookie=0x1,table=0,priority=5,in_port=1,actions=output:3',
      'cookie=0x1,table=0,priority=5,in_port=1,actions=output:2,output:3',
    ]) expect(normaliseFlow(other)).not.toBe(base);
  });
});

describe('flowDrift', () => {
  test('none when the bridge holds what was rendered', () => {
    expect(flowDrift(DUMP_STATS, RENDERED)).toEqual({ missing: [], extra: [] });
  });

  test('a flow gone and a stale one of an old generation', () => {
    const dumped = [...DUMP_NO_STATS.filter((l) => !l.includes('priority=0 ')), ' cookie=0x60002, priority=50,ip,in_port=3 actions=output:2'];
    expect(flowDrift(dumped, RENDERED)).toEqual({
      missing: ['cookie=0x60003,table=0,priority=0,actions=drop'],
      extra: ['cookie=0x60002, priority=50,ip,in_port=3 actions=output:2'],
    });
  });

  test('after ovs-vswitchd lost every flow, all are missing; duplicates count', () => {
    expect(flowDrift([], RENDERED.slice(0, 2)).missing).toEqual(RENDERED.slice(0, 2));
    expect(flowDrift([DUMP_NO_STATS[3]!], [RENDERED[1]!, RENDERED[1]!]).missing).toEqual([RENDERED[1]]);
  });
});
