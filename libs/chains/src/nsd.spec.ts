import { describe, expect, test } from '@jest/globals';
import { checkChain } from './check.js';
import { chainsFromNsd } from './nsd.js';
import { instance, twoHopFacts } from './testing/index.js';

// The forwarding graph of test/fixtures/nsds/fw-fwd-chain-nsd.yaml, inline: chains is pure, so its
// specs read no files either (the layer rules); the API's tests will load the fixture itself.
const element = (id: string, order: number, base: string) => ({
  id, order, 'constituent-base-element-id': base, 'ingress-constituent-cpd-id': 'left', 'egress-constituent-cpd-id': 'right',
});
const nsd = (): Record<string, unknown> => ({
  id: 'fw-fwd-chain-ns',
  vnffgd: [
    {
      id: 'web-graph',
      'vnf-profile-id': ['fw', 'fwd-a', 'fwd-b'],
      nfpd: [
        {
          id: 'web-path',
          'position-desc-id': [
            {
              id: 'position1',
              'cp-profile-id': [
                { id: 'firewall-hop', 'constituent-profile-elements': [element('fw-element', 0, 'fw')] },
                { id: 'forwarder-hop', 'constituent-profile-elements': [element('fwd-b-element', 1, 'fwd-b'), element('fwd-a-element', 0, 'fwd-a')] },
              ],
              'match-attributes': [
                {
                  id: 'http', 'ip-proto': 6, 'source-ip-address': '10.0.1.0/24', 'destination-ip-address': '10.0.2.10', 'source-port': 0, 'destination-port': 80,
                  'constituent-base-element-id': 'fw',
                },
                { id: 'iperf-udp', 'ip-proto': 17, 'destination-ip-address': '10.0.2.10', 'destination-port': 5201, 'constituent-base-element-id': 'fw' },
              ],
              'nfp-position-element-id': ['entry'],
            },
          ],
        },
      ],
      'nfp-position-element': [{ id: 'entry' }],
    },
  ],
});
const OPTIONS = {
  instances: { fw: 'i-fw', 'fwd-a': 'i-fwd-a', 'fwd-b': 'i-fwd-b' },
  ingress: { host: 'h1', bridge: 'br-int', vlan: 100 },
  egress: { host: 'h1', bridge: 'br-int', vlan: 200 },
};
const pair = (id: string) => ({ vnfInstanceId: id, ingressCpd: 'left', egressCpd: 'right' });

describe('chainsFromNsd', () => {
  test('the fixture NSD gives one chain per match attribute over the same hops, instances in order', () => {
    const { chains, problems } = chainsFromNsd(nsd(), OPTIONS);
    expect(problems).toEqual([]);
    const hops = [{ instances: [pair('i-fw')] }, { instances: [pair('i-fwd-a'), pair('i-fwd-b')] }];
    expect(chains).toEqual([
      {
        name: 'web-graph.web-path.position1.http', ingress: OPTIONS.ingress, egress: OPTIONS.egress, hops, symmetric: false, failMode: 'closed',
        classifier: { ethertype: 'ipv4', protocol: 6, sourcePrefix: '10.0.1.0/24', destinationPrefix: '10.0.2.10/32', destinationPorts: { from: 80, to: 80 } },
      },
      {
        name: 'web-graph.web-path.position1.iperf-udp', ingress: OPTIONS.ingress, egress: OPTIONS.egress, hops, symmetric: false, failMode: 'closed',
        classifier: { ethertype: 'ipv4', protocol: 17, destinationPrefix: '10.0.2.10/32', destinationPorts: { from: 5201, to: 5201 } },
      },
    ]);
    const facts = { ...twoHopFacts(), instances: { 'i-fw': instance(10, 11), 'i-fwd-a': instance(20, 21), 'i-fwd-b': instance(22, 23) } };
    expect(checkChain(chains[0]!, facts, [chains[1]!])).toEqual([]);
  });

  test('what does not map is listed with pointers into the NSD, and no chain is made of it', () => {
    const doc = nsd() as any;
    const position = doc.vnffgd[0].nfpd[0]['position-desc-id'][0];
    delete position['cp-profile-id'][1]['constituent-profile-elements'][0]['egress-constituent-cpd-id'];
    position['match-attributes'][1]['source-ip-address'] = '2001:db8::1';
    const { chains, problems } = chainsFromNsd(doc, { ...OPTIONS, instances: { fw: 'i-fw', 'fwd-a': 'i-fwd-a' } });
    const at = '/vnffgd/0/nfpd/0/position-desc-id/0';
    expect(problems).toEqual([
      { path: `${at}/cp-profile-id/1/constituent-profile-elements/0/constituent-base-element-id`, message: 'constituent "fwd-b" is not mapped to an instantiated VNF (mapped: fw, fwd-a)' },
      { path: `${at}/cp-profile-id/1/constituent-profile-elements/0/egress-constituent-cpd-id`, message: 'must name the ext-cpd facing the egress' },
      { path: `${at}/match-attributes/1/destination-ip-address`, message: `"10.0.2.10/32" is an IPv4 prefix, but the classifier's ethertype is ipv6` },
    ]);
    expect(chains).toEqual([]);
  });

  test('entries that are not objects are named, not read; a graph that gives no chain is refused', () => {
    const doc = nsd() as any;
    doc.vnffgd.push(null);
    doc.vnffgd[0].nfpd[0]['position-desc-id'].push(7);
    const { chains, problems } = chainsFromNsd(doc, OPTIONS);
    expect(problems).toEqual(
      expect.arrayContaining([
        { path: '/vnffgd/0/nfpd/0/position-desc-id/1', message: 'must be an object' },
        { path: '/vnffgd/1', message: 'must be an object' },
      ]),
    );
    expect(problems).toHaveLength(2);
    expect(chains).toHaveLength(2);
    expect(chainsFromNsd({ vnffgd: [{ id: 'g', nfpd: [] }] }, OPTIONS).problems).toEqual([{ path: '/vnffgd', message: expect.stringMatching(/gives no chain/) }]);
  });

  test("a constituent named like an Object property (toString) is not mapped by Object's", () => {
    const doc = nsd() as any;
    doc.vnffgd[0].nfpd[0]['position-desc-id'][0]['cp-profile-id'][0]['constituent-profile-elements'][0]['constituent-base-element-id'] = 'toString';
    const { chains, problems } = chainsFromNsd(doc, OPTIONS);
    expect(problems.map((p) => p.message)).toEqual([expect.stringMatching(/constituent "toString" is not mapped/)]);
    expect(chains).toEqual([]);
  });

  test('an NSD without a forwarding graph, and ports without a protocol', () => {
    expect(chainsFromNsd({ id: 'x' }, OPTIONS).problems).toEqual([{ path: '/vnffgd', message: 'the NSD has no forwarding graph (vnffgd)' }]);
    const doc = nsd() as any;
    delete doc.vnffgd[0].nfpd[0]['position-desc-id'][0]['match-attributes'][0]['ip-proto'];
    expect(chainsFromNsd(doc, OPTIONS).problems).toEqual([
      { path: '/vnffgd/0/nfpd/0/position-desc-id/0/match-attributes/0/destination-port', message: 'L4 ports need protocol 6 (TCP), 17 (UDP) or 132 (SCTP), got no protocol' },
    ]);
  });
});
