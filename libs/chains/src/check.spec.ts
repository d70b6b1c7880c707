import { describe, expect, test } from '@jest/globals';
import { checkChain } from './check.js';
import type { ChainFacts, ServiceChain } from './model.js';
import { instance, onHost, tunnelMesh, twoHopChain, twoHopFacts } from './testing/index.js';

const pair = (id: string) => ({ vnfInstanceId: id, ingressCpd: 'left', egressCpd: 'right' });

describe('checkChain', () => {
  test('a well-formed 2-hop chain on one bridge has no problem', () => {
    expect(checkChain(twoHopChain(), twoHopFacts())).toEqual([]);
  });

  test('an SR-IOV connection point names the hop and the cpd: a VF bypasses OvS', () => {
    const fw = instance(10, 11);
    const facts = twoHopFacts({ fw: { ...fw, ports: { ...fw.ports, right: { ...fw.ports.right!, kind: 'sriov' } } } });
    expect(checkChain(twoHopChain(), facts)).toEqual([
      { path: '/hops/0/instances/0/egressCpd', message: 'hop 0: connection point right is an SR-IOV port; a VF bypasses OvS, so it cannot be steered' },
    ]);
  });

  test('instances that are not INSTANTIATED, or unknown, or lack the cpd', () => {
    const facts = twoHopFacts({ fw: instance(10, 11, false, 'NOT_INSTANTIATED') });
    const chain = twoHopChain({ hops: [{ instances: [pair('fw')] }, { instances: [pair('ghost'), { vnfInstanceId: 'dpi', ingressCpd: 'mgmt', egressCpd: 'right' }] }] });
    expect(checkChain(chain, facts)).toEqual([
      { path: '/hops/0/instances/0/vnfInstanceId', message: 'VNF instance fw is NOT_INSTANTIATED, not INSTANTIATED' },
      { path: '/hops/1/instances/0/vnfInstanceId', message: 'VNF instance ghost does not exist' },
      { path: '/hops/1/instances/1/ingressCpd', message: 'hop 1: the instance has no port for connection point mgmt (ports: left, right)' },
    ]);
  });

  test('ports on another host need a tunnel port on both hosts; another bridge of the same host (a patch port) is refused, naming both', () => {
    const other = (host: string, bridge: string) => {
      const i = instance(20, 21);
      return { ...i, ports: { left: { ...i.ports.left!, host, bridge }, right: i.ports.right! } };
    };
    expect(checkChain(twoHopChain(), twoHopFacts({ dpi: other('h2', 'br-int') }))).toEqual([
      {
        path: '/hops/1/instances/0/ingressCpd',
        message:
          "hop 1 (connection point left) is on host h2 and hop 0 (connection point right) on host h1, but the facts have no tunnel port on bridge br-int of host h1 to host h2, nor on bridge br-int of host h2 to host h1: add a VXLAN port with options:remote_ip=<the other host's address> and options:key=flow to the chain's bridge of each host, and give its OpenFlow port in the facts' tunnels[host][other host]",
      },
    ]);
    const oneSide = { ...twoHopFacts({ dpi: other('h2', 'br-tun') }), tunnels: { h1: { h2: { ofport: 90 } } } };
    expect(checkChain(twoHopChain(), oneSide)[0]!.message).toContain('no tunnel port on bridge br-tun of host h2 to host h1:');
    const both = { ...oneSide, tunnels: { h1: { h2: { ofport: 90 } }, h2: { h1: { ofport: 91 } } } };
    expect(checkChain(twoHopChain(), both)).toEqual([]);
    expect(checkChain(twoHopChain(), twoHopFacts({ dpi: other('h1', 'br-ex') }))[0]!.message).toBe(
      'hop 1 (connection point left) is on bridge br-ex, but the ingress is on bridge br-int of host h1: different bridges need a patch port between them, which chains do not set up',
    );
  });

  test('tunnels are needed between the hosts of consecutive stages, and of any later stage with failMode open', () => {
    // ingress h1 -> fw h2 -> dpi h3 -> egress h1: pairs h1-h2, h2-h3, h3-h1; open also skips to h1-h3 (already) and h2-h1.
    const facts = { ...twoHopFacts({ fw: onHost(instance(10, 11), 'h2'), dpi: onHost(instance(20, 21), 'h3') }), tunnels: tunnelMesh(['h1', 'h2', 'h3']) };
    expect(checkChain(twoHopChain(), facts)).toEqual([]);
    const { h2: _h2, ...noH2 } = facts.tunnels;
    const missing = (f: ChainFacts, chain = twoHopChain()) => checkChain(chain, f).map((p) => `${p.path} ${/no tunnel port (.*?):/.exec(p.message)?.[1]}`);
    expect(missing({ ...facts, tunnels: noH2 })).toEqual([
      '/hops/0/instances/0/ingressCpd on bridge br-int of host h2 to host h1',
      '/hops/1/instances/0/ingressCpd on bridge br-int of host h2 to host h3',
    ]);
    const h3h1Only = { ...facts, tunnels: { h1: { h2: { ofport: 90 }, h3: { ofport: 91 } }, h2: { h1: { ofport: 92 }, h3: { ofport: 93 } }, h3: { h2: { ofport: 94 } } } };
    expect(missing(h3h1Only)).toEqual(['/egress on bridge br-int of host h3 to host h1']);
    // ingress and fw on h1, dpi on h2, egress on h3: open may skip dpi, so h1 sends to h3 directly.
    const line = {
      ...twoHopFacts({ dpi: onHost(instance(20, 21), 'h2') }),
      tunnels: { h1: { h2: { ofport: 90 } }, h2: { h1: { ofport: 92 }, h3: { ofport: 93 } }, h3: { h2: { ofport: 94 } } },
    };
    const toH3 = twoHopChain({ egress: { host: 'h3', bridge: 'br-int', vlan: 200 } });
    expect(missing(line, toH3)).toEqual([]);
    expect(missing(line, { ...toH3, failMode: 'open' })).toEqual(['/egress on bridge br-int of host h1 to host h3, nor on bridge br-int of host h3 to host h1']);
  });

  test('a chain across hosts has at most 64 hops; a tunnel port must be a valid OpenFlow port', () => {
    const hops = Array.from({ length: 65 }, () => ({ instances: [pair('dpi')] }));
    const facts = { ...twoHopFacts({ dpi: onHost(instance(20, 21), 'h2') }), tunnels: tunnelMesh(['h1', 'h2']) };
    expect(checkChain(twoHopChain({ hops }), facts).map((p) => p.path)).toContain('/hops');
    const bad = { ...facts, tunnels: { ...facts.tunnels, h2: { h1: { ofport: 0 } } } };
    expect(checkChain(twoHopChain({ hops: [{ instances: [pair('dpi')] }] }), bad).map((p) => p.path)).toEqual(['/hops/0/instances/0/ingressCpd']);
  });

  test('malformed classifier values, all at once', () => {
    const chain = twoHopChain({
      classifier: { ethertype: 'ipv4', sourcePrefix: '2001:db8::/32', destinationPrefix: '10.0.0.1/8', sourcePorts: { from: 10, to: 20 } },
    });
    expect(checkChain(chain, twoHopFacts())).toEqual([
      { path: '/classifier/sourcePrefix', message: `"2001:db8::/32" is an IPv6 prefix, but the classifier's ethertype is ipv4` },
      { path: '/classifier/destinationPrefix', message: '"10.0.0.1/8" has host bits set beyond /8' },
      { path: '/classifier/sourcePorts', message: 'L4 ports need protocol 6 (TCP), 17 (UDP) or 132 (SCTP), got no protocol' },
    ]);
    const backwards = twoHopChain({ classifier: { ethertype: 'ipv6', protocol: 300, destinationPorts: { from: 90, to: 80 } } });
    expect(checkChain(backwards, twoHopFacts()).map((p) => p.path)).toEqual(['/classifier/protocol', '/classifier/destinationPorts']);
    const reversed = twoHopChain({ classifier: { ethertype: 'ipv4', protocol: 6, destinationPorts: { from: 90, to: 80 } } });
    expect(checkChain(reversed, twoHopFacts())).toEqual([{ path: '/classifier/destinationPorts', message: 'from (90) is greater than to (80)' }]);
  });

  test('header values and missing end ports', () => {
    const chain = { ...twoHopChain(), name: '', failMode: 'maybe', priority: -1, hops: [] } as unknown as ServiceChain;
    expect(checkChain(chain, { instances: {}, ingress: { ofport: 1 } })).toEqual([
      { path: '/name', message: 'must be a non-empty string' },
      { path: '/failMode', message: "must be 'closed' or 'open'" },
      { path: '/priority', message: 'must be an integer 0..32767' },
      { path: '/hops', message: 'must list at least one hop' },
      { path: '/egress', message: 'has no port on bridge br-int: the egress needs the OpenFlow port where its traffic leaves' },
    ]);
  });

  test('a symmetric chain cannot spread a hop over several instances (the hash is not symmetric)', () => {
    const chain = twoHopChain({ symmetric: true, hops: [{ instances: [pair('fw'), pair('dpi')] }] });
    expect(checkChain(chain, twoHopFacts()).map((p) => p.path)).toEqual(['/hops/0/instances']);
  });

  test("a classifier overlapping another chain's on the same ingress is refused unless priorities differ", () => {
    // Through another instance: at an instance they share, priorities do not help (next test).
    const other = twoHopChain({ name: 'all-tcp', classifier: { ethertype: 'ipv4', protocol: 6 }, hops: [{ instances: [pair('ids')] }] });
    expect(checkChain(twoHopChain(), twoHopFacts(), [other])).toEqual([
      {
        path: '/classifier',
        message: "overlaps the classifier of chain 'all-tcp' at network br-int VLAN 100 on host h1 with the same priority (0): give one of them another priority, or make the classifiers disjoint",
      },
    ]);
    expect(checkChain(twoHopChain({ priority: 1 }), twoHopFacts(), [other])).toEqual([]);
    const udp = twoHopChain({ name: 'udp', classifier: { ethertype: 'ipv4', protocol: 17 } });
    expect(checkChain(twoHopChain(), twoHopFacts(), [udp])).toEqual([]);
  });

  test('chains sharing an instance must not overlap at its egress port either, whatever their priorities', () => {
    const elsewhere = twoHopChain({ name: 'other-ingress', ingress: { host: 'h1', bridge: 'br-int', vlan: 300 }, classifier: { ethertype: 'ipv4' } });
    expect(checkChain(twoHopChain(), twoHopFacts(), [elsewhere])[0]!.message).toContain('at connection point right of instance fw');
    const [problem] = checkChain(twoHopChain({ priority: 5 }), twoHopFacts(), [elsewhere]);
    expect(problem).toEqual({ path: '/classifier', message: expect.stringMatching(/at connection point right of instance fw, a port both chains match as traffic leaves an instance: priorities cannot tell them apart/) });
  });

  test('one chain crossing the same instance port twice with overlapping traffic is refused', () => {
    const chain = twoHopChain({ hops: [{ instances: [pair('fw')] }, { instances: [pair('fw')] }] });
    expect(checkChain(chain, twoHopFacts())).toEqual([
      {
        path: '/hops/1/instances/0/egressCpd',
        message: 'the chain matches overlapping traffic twice at connection point right of instance fw (also at /hops/0/instances/0/egressCpd): the switch could not tell the two places of the chain apart',
      },
    ]);
  });
});
