import { describe, expect, test } from '@jest/globals';
import { checkChain } from './check.js';
import type { ServiceChain } from './model.js';
import { instance, twoHopChain, twoHopFacts } from './testing/index.js';

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

  test('ports on another host (a tunnel) or another bridge (a patch port) are refused, naming both', () => {
    const other = (host: string, bridge: string) => {
      const i = instance(20, 21);
      return { ...i, ports: { left: { ...i.ports.left!, host, bridge }, right: i.ports.right! } };
    };
    expect(checkChain(twoHopChain(), twoHopFacts({ dpi: other('h2', 'br-int') }))).toEqual([
      {
        path: '/hops/1/instances/0/ingressCpd',
        message: 'hop 1 (connection point left) is on host h2, but the ingress is on host h1: a chain across hosts needs a tunnel, which chains do not render yet',
      },
    ]);
    expect(checkChain(twoHopChain(), twoHopFacts({ dpi: other('h1', 'br-ex') }))[0]!.message).toBe(
      'hop 1 (connection point left) is on bridge br-ex, but the ingress is on bridge br-int of host h1: different bridges need a patch port between them, which chains do not set up',
    );
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
    const other = twoHopChain({ name: 'all-tcp', classifier: { ethertype: 'ipv4', protocol: 6 } });
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

  test('chains sharing an instance must not overlap at its egress port either', () => {
    const elsewhere = twoHopChain({ name: 'other-ingress', ingress: { host: 'h1', bridge: 'br-int', vlan: 300 }, classifier: { ethertype: 'ipv4' } });
    expect(checkChain(twoHopChain(), twoHopFacts(), [elsewhere])[0]!.message).toContain('at connection point right of instance fw');
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
