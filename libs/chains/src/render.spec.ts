import { describe, expect, test } from '@jest/globals';
import { InvalidSpecError } from '#vim/naming';
import { checkFlowLine } from '#vim/ovs';
import { renderChain } from './render.js';
import { instance, interpret, onHost, parseRules, tunnelMesh, twoHopChain, twoHopFacts } from './testing/index.js';

const COOKIE = 'cookie=0x50003,priority=32768';
const TCP80 = 'ip,nw_src=10.0.1.0/24,nw_dst=10.0.2.0/24,nw_proto=6,tcp_dst=80';
const TCP80_BACK = 'ip,nw_src=10.0.2.0/24,nw_dst=10.0.1.0/24,nw_proto=6,tcp_src=80';
const PUSH_200 = 'push_vlan:0x8100,set_field:4296->vlan_vid,output:2';
const PUSH_100 = 'push_vlan:0x8100,set_field:4196->vlan_vid,output:1';
const pair = (id: string) => ({ vnfInstanceId: id, ingressCpd: 'left', egressCpd: 'right' });

describe('renderChain', () => {
  test('a 2-hop chain: VLAN 100 in on port 1, fw, dpi, VLAN 200 out on port 2', () => {
    expect(renderChain(twoHopChain(), 5n, 3, twoHopFacts())).toEqual([
      {
        bridge: 'br-int',
        groups: [],
        flows: [
          `${COOKIE},in_port=1,dl_vlan=100,${TCP80},actions=strip_vlan,output:10`,
          `${COOKIE},in_port=11,${TCP80},actions=output:20`,
          `${COOKIE},in_port=21,${TCP80},actions=${PUSH_200}`,
        ],
      },
    ]);
  });

  test('a symmetric chain adds the reverse path, sources and destinations swapped, hops backwards', () => {
    const [rules] = renderChain(twoHopChain({ symmetric: true }), 5n, 3, twoHopFacts());
    expect(rules!.flows.slice(3)).toEqual([
      `${COOKIE},in_port=2,dl_vlan=200,${TCP80_BACK},actions=strip_vlan,output:21`,
      `${COOKIE},in_port=20,${TCP80_BACK},actions=output:11`,
      `${COOKIE},in_port=10,${TCP80_BACK},actions=${PUSH_100}`,
    ]);
  });

  test('a hop with two live instances is a select group hashing the 5-tuple; both instances lead on', () => {
    const chain = twoHopChain({ hops: [{ instances: [pair('fw'), pair('fw2')] }, { instances: [pair('dpi')] }] });
    const [rules] = renderChain(chain, 5n, 3, twoHopFacts({ fw2: instance(12, 13) }));
    expect(rules!.groups).toEqual([
      'group_id=805307648,type=select,selection_method=hash,fields(ip_src,ip_dst,nw_proto,tcp_src,tcp_dst),bucket=bucket_id:0,actions=output:10,bucket=bucket_id:1,actions=output:12',
    ]);
    expect(rules!.flows).toEqual([
      `${COOKIE},in_port=1,dl_vlan=100,${TCP80},actions=strip_vlan,group:805307648`,
      `${COOKIE},in_port=11,${TCP80},actions=output:20`,
      `${COOKIE},in_port=13,${TCP80},actions=output:20`,
      `${COOKIE},in_port=21,${TCP80},actions=${PUSH_200}`,
    ]);
  });

  test('a group keeps only the live instances; one live instance is a plain output', () => {
    const chain = twoHopChain({ hops: [{ instances: [pair('fw'), pair('fw2')] }] });
    const [rules] = renderChain(chain, 5n, 3, twoHopFacts({ fw2: instance(12, 13, false) }));
    expect(rules!.groups).toEqual([]);
    expect(rules!.flows).toEqual([`${COOKIE},in_port=1,dl_vlan=100,${TCP80},actions=strip_vlan,output:10`, `${COOKIE},in_port=11,${TCP80},actions=${PUSH_200}`]);
  });

  test('failMode closed: the chain traffic is dropped where the dead hop would take it, nothing after', () => {
    const [rules] = renderChain(twoHopChain(), 5n, 3, twoHopFacts({ dpi: instance(20, 21, false) }));
    expect(rules!.flows).toEqual([`${COOKIE},in_port=1,dl_vlan=100,${TCP80},actions=strip_vlan,output:10`, `${COOKIE},in_port=11,${TCP80},actions=drop`]);
  });

  test('failMode closed with the first hop dead drops at the ingress without touching the tag', () => {
    const [rules] = renderChain(twoHopChain(), 5n, 3, twoHopFacts({ fw: instance(10, 11, false) }));
    expect(rules!.flows).toEqual([`${COOKIE},in_port=1,dl_vlan=100,${TCP80},actions=drop`]);
  });

  test('failMode open: the dead hop is skipped, traffic goes to the next live hop or the egress', () => {
    const open = twoHopChain({ failMode: 'open' });
    expect(renderChain(open, 5n, 3, twoHopFacts({ fw: instance(10, 11, false) }))[0]!.flows).toEqual([
      `${COOKIE},in_port=1,dl_vlan=100,${TCP80},actions=strip_vlan,output:20`,
      `${COOKIE},in_port=21,${TCP80},actions=${PUSH_200}`,
    ]);
    expect(renderChain(open, 5n, 3, twoHopFacts({ fw: instance(10, 11, false), dpi: instance(20, 21, false) }))[0]!.flows).toEqual([
      `${COOKIE},in_port=1,dl_vlan=100,${TCP80},actions=strip_vlan,${PUSH_200}`,
    ]);
  });

  test('IPv6: ipv6 match fields, port ranges as value/mask pairs, IPv6 hash fields', () => {
    const chain = twoHopChain({
      classifier: { ethertype: 'ipv6', sourcePrefix: '2001:db8::/32', protocol: 17, destinationPorts: { from: 1000, to: 1023 } },
      hops: [{ instances: [pair('fw'), pair('dpi')] }],
    });
    const [rules] = renderChain(chain, 5n, 3, twoHopFacts());
    const udp = 'ipv6,ipv6_src=2001:db8::/32,nw_proto=17';
    expect(rules!.groups[0]).toContain('fields(ipv6_src,ipv6_dst,nw_proto,udp_src,udp_dst)');
    expect(rules!.flows.slice(0, 2)).toEqual([
      `${COOKIE},in_port=1,dl_vlan=100,${udp},udp_dst=0x3e8/0xfff8,actions=strip_vlan,group:805307648`,
      `${COOKIE},in_port=1,dl_vlan=100,${udp},udp_dst=0x3f0/0xfff0,actions=strip_vlan,group:805307648`,
    ]);
    expect(rules!.flows).toHaveLength(6);
  });

  test('connection points and untagged access ports: in_port only, no VLAN actions', () => {
    const chain = twoHopChain({ ingress: { vnfInstanceId: 'src', cpdId: 'right' }, egress: { host: 'h1', bridge: 'br-int', vlan: 300 }, hops: [{ instances: [pair('fw')] }] });
    const facts = { ...twoHopFacts({ src: instance(30, 31) }), egress: { ofport: 2, tagged: false } };
    expect(renderChain(chain, 5n, 3, facts)[0]!.flows).toEqual([`${COOKIE},in_port=31,${TCP80},actions=output:10`, `${COOKIE},in_port=11,${TCP80},actions=output:2`]);
  });

  test('a VLAN ingress without a port matches the VLAN on any port', () => {
    const facts = { ...twoHopFacts(), ingress: {} };
    expect(renderChain(twoHopChain(), 5n, 3, facts)[0]!.flows[0]).toBe(`${COOKIE},dl_vlan=100,${TCP80},actions=strip_vlan,output:10`);
  });

  test('the chain priority raises every flow; no classifier fields beyond the ethertype match all of it', () => {
    const chain = twoHopChain({ priority: 7, classifier: { ethertype: 'ipv4' } });
    expect(renderChain(chain, 1n, 0, twoHopFacts())[0]!.flows[0]).toBe('cookie=0x10000,priority=32775,in_port=1,dl_vlan=100,ip,actions=strip_vlan,output:10');
  });

  test('every line passes the ovs line rule, and rendering twice gives the same lines', () => {
    const chain = twoHopChain({ symmetric: true });
    const rendered = renderChain(chain, 0xabcdefn, 65535, twoHopFacts());
    expect(renderChain(chain, 0xabcdefn, 65535, twoHopFacts())).toEqual(rendered);
    for (const line of rendered[0]!.flows) expect(checkFlowLine(line).ok).toBe(true);
    expect(rendered[0]!.flows.every((l) => l.startsWith('cookie=0xabcdefffff,'))).toBe(true);
  });

  test('a chain that cannot be steered is refused with its problems, not rendered', () => {
    const facts = twoHopFacts({ dpi: { ...instance(20, 21), state: 'NOT_INSTANTIATED' } });
    expect(() => renderChain(twoHopChain(), 5n, 3, facts)).toThrow(InvalidSpecError);
    expect(() => renderChain(twoHopChain(), 5n, 3, facts)).toThrow('/hops/1/instances/0/vnfInstanceId: VNF instance dpi is NOT_INSTANTIATED, not INSTANTIATED');
  });

  test('two chains sharing an instance stay apart: each re-classifies at its egress and goes its own way', () => {
    // web: fw then dpi; mail (TCP 25, its own ingress on VLAN 300): fw then out on port 2 directly.
    const mail = twoHopChain({
      name: 'mail', ingress: { host: 'h1', bridge: 'br-int', vlan: 300 }, hops: [{ instances: [pair('fw')] }],
      classifier: { ethertype: 'ipv4', protocol: 6, destinationPorts: { from: 25, to: 25 } },
    });
    const web = renderChain(twoHopChain(), 5n, 3, twoHopFacts())[0]!;
    const other = renderChain(mail, 6n, 1, { ...twoHopFacts(), ingress: { ofport: 3 } })[0]!;
    const rules = parseRules([...web.flows, ...other.flows], []);
    const packet = (dport: number) => ({ inPort: 11, ethertype: 'ipv4' as const, src: 0x0a000105n, dst: 0x0a000207n, proto: 6, sport: 40000, dport });
    expect(interpret(rules, packet(80))).toMatchObject({ kind: 'output', ports: [20] });
    expect(interpret(rules, packet(25))).toMatchObject({ kind: 'output', ports: [2], packet: { vlan: 200 } });
    expect(interpret(rules, packet(443))).toEqual({ kind: 'none' });
  });

  test('back out of the port it came in on (one trunk, every hop skipped) is the in_port action', () => {
    const chain = twoHopChain({ failMode: 'open', hops: [{ instances: [pair('fw')] }] });
    const facts = { ...twoHopFacts({ fw: instance(10, 11, false) }), egress: { ofport: 1 } };
    expect(renderChain(chain, 5n, 3, facts)[0]!.flows).toEqual([
      `${COOKIE},in_port=1,dl_vlan=100,${TCP80},actions=strip_vlan,push_vlan:0x8100,set_field:4296->vlan_vid,in_port`,
    ]);
  });

  describe('across hosts (tunnel ports from tunnelMesh: 100 + 10 * host + other host; cookie 5 keys from 0xc00)', () => {
    const toH2 = twoHopChain({ egress: { host: 'h2', bridge: 'br-int', vlan: 200 } });
    const twoHosts = () => ({ ...twoHopFacts({ dpi: onHost(instance(20, 21), 'h2') }), tunnels: tunnelMesh(['h1', 'h2']) });

    test('2 hosts: fw on h1, then dpi and the egress on h2; the key says which hop the frame is for', () => {
      expect(renderChain(toH2, 5n, 3, twoHosts())).toEqual([
        {
          host: 'h1',
          bridge: 'br-int',
          groups: [],
          flows: [`${COOKIE},in_port=1,dl_vlan=100,${TCP80},actions=strip_vlan,output:10`, `${COOKIE},in_port=11,${TCP80},actions=set_field:0xc02->tun_id,output:101`],
        },
        {
          host: 'h2',
          bridge: 'br-int',
          groups: [],
          flows: [`${COOKIE},in_port=110,tun_id=0xc02,${TCP80},actions=output:20`, `${COOKIE},in_port=21,${TCP80},actions=${PUSH_200}`],
        },
      ]);
    });

    test('2 hosts, symmetric: the reverse path tunnels back with the reverse key of hop 0', () => {
      const [h1, h2] = renderChain({ ...toH2, symmetric: true }, 5n, 3, twoHosts());
      expect(h2!.flows.slice(2)).toEqual([
        `${COOKIE},in_port=2,dl_vlan=200,${TCP80_BACK},actions=strip_vlan,output:21`,
        `${COOKIE},in_port=20,${TCP80_BACK},actions=set_field:0xc01->tun_id,output:110`,
      ]);
      expect(h1!.flows.slice(2)).toEqual([`${COOKIE},in_port=101,tun_id=0xc01,${TCP80_BACK},actions=output:11`, `${COOKIE},in_port=10,${TCP80_BACK},actions=${PUSH_100}`]);
    });

    test('3 hosts: a hop spread over h1 and h2 (a group of local and tunnel buckets, a receive group on h2), dpi on h3, out on h1', () => {
      const chain = twoHopChain({ hops: [{ instances: [pair('fw'), pair('fw2'), pair('fw3')] }, { instances: [pair('dpi')] }] });
      const facts = {
        ...twoHopFacts({ fw2: onHost(instance(12, 13), 'h2'), fw3: onHost(instance(14, 15), 'h2'), dpi: onHost(instance(20, 21), 'h3') }),
        tunnels: tunnelMesh(['h1', 'h2', 'h3']),
      };
      const [h1, h2, h3, ...none] = renderChain(chain, 5n, 3, facts);
      expect(none).toEqual([]);
      const fields = 'type=select,selection_method=hash,fields(ip_src,ip_dst,nw_proto,tcp_src,tcp_dst)';
      expect(h1).toEqual({
        host: 'h1',
        bridge: 'br-int',
        groups: [
          `group_id=805307648,${fields},bucket=bucket_id:0,actions=output:10,bucket=bucket_id:1,actions=set_field:0xc00->tun_id,output:101,bucket=bucket_id:2,actions=set_field:0xc00->tun_id,output:101`,
        ],
        flows: [
          `${COOKIE},in_port=1,dl_vlan=100,${TCP80},actions=strip_vlan,group:805307648`,
          `${COOKIE},in_port=11,${TCP80},actions=set_field:0xc02->tun_id,output:102`,
          `${COOKIE},in_port=102,tun_id=0xd00,${TCP80},actions=${PUSH_200}`,
        ],
      });
      expect(h2).toEqual({
        host: 'h2',
        bridge: 'br-int',
        groups: [`group_id=805307776,${fields},bucket=bucket_id:0,actions=output:12,bucket=bucket_id:1,actions=output:14`],
        flows: [
          `${COOKIE},in_port=110,tun_id=0xc00,${TCP80},actions=group:805307776`,
          `${COOKIE},in_port=13,${TCP80},actions=set_field:0xc02->tun_id,output:112`,
          `${COOKIE},in_port=15,${TCP80},actions=set_field:0xc02->tun_id,output:112`,
        ],
      });
      expect(h3).toEqual({
        host: 'h3',
        bridge: 'br-int',
        groups: [],
        flows: [
          `${COOKIE},in_port=120,tun_id=0xc02,${TCP80},actions=output:20`,
          `${COOKIE},in_port=121,tun_id=0xc02,${TCP80},actions=output:20`,
          `${COOKIE},in_port=21,${TCP80},actions=set_field:0xd00->tun_id,output:120`,
        ],
      });
      for (const line of [h1, h2, h3].flatMap((r) => [...r!.groups, ...r!.flows])) expect(checkFlowLine(line).ok).toBe(true);
    });

    test('a host whose only hop is dead still gets its (empty) entry, so the old generation is removed there', () => {
      const facts = { ...twoHosts(), instances: { ...twoHosts().instances, dpi: onHost(instance(20, 21, false), 'h2') } };
      expect(renderChain(toH2, 5n, 3, facts)).toEqual([
        { host: 'h1', bridge: 'br-int', groups: [], flows: [`${COOKIE},in_port=1,dl_vlan=100,${TCP80},actions=strip_vlan,output:10`, `${COOKIE},in_port=11,${TCP80},actions=drop`] },
        { host: 'h2', bridge: 'br-int', groups: [], flows: [] },
      ]);
    });
  });
});
