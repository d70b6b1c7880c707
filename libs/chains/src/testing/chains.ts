import type { ChainFacts, InstanceFacts, ServiceChain } from '../model.js';

/** An instance with two vhost-user ports on br-int of host h1: `left` and `right`. */
export function instance(left: number, right: number, live = true, state = 'INSTANTIATED'): InstanceFacts {
  const port = (ofport: number) => ({ host: 'h1', bridge: 'br-int', ofport, kind: 'vhostuser' as const });
  return { state, live, ports: { left: port(left), right: port(right) } };
}

/** Two hops (fw, then dpi) between ports 1 (ingress) and 2 (egress) of br-int, TCP to 10.0.2.0/24:80. */
export function twoHopChain(overrides: Partial<ServiceChain> = {}): ServiceChain {
  return {
    name: 'web',
    ingress: { host: 'h1', bridge: 'br-int', vlan: 100 },
    egress: { host: 'h1', bridge: 'br-int', vlan: 200 },
    classifier: { ethertype: 'ipv4', sourcePrefix: '10.0.1.0/24', destinationPrefix: '10.0.2.0/24', protocol: 6, destinationPorts: { from: 80, to: 80 } },
    hops: [{ instances: [{ vnfInstanceId: 'fw', ingressCpd: 'left', egressCpd: 'right' }] }, { instances: [{ vnfInstanceId: 'dpi', ingressCpd: 'left', egressCpd: 'right' }] }],
    symmetric: false,
    ...overrides,
  };
}

export function twoHopFacts(overrides: Partial<ChainFacts['instances']> = {}): ChainFacts {
  return {
    instances: { fw: instance(10, 11), dpi: instance(20, 21), ...overrides } as ChainFacts['instances'],
    ingress: { ofport: 1 },
    egress: { ofport: 2 },
  };
}

/** The same instance with every port on `host` (and `bridge`, br-int by default). */
export function onHost(inst: InstanceFacts, host: string, bridge = 'br-int'): InstanceFacts {
  return { ...inst, ports: Object.fromEntries(Object.entries(inst.ports).map(([cpd, port]) => [cpd, { ...port, host, bridge }])) };
}

/**
 * A tunnel port on every host towards every other host: port 100 + 10 * i + j on host i towards
 * host j (indices in `hosts`), so a port number says both ends.
 */
export function tunnelMesh(hosts: readonly string[]): NonNullable<ChainFacts['tunnels']> {
  return Object.fromEntries(hosts.map((host, i) => [host, Object.fromEntries(hosts.flatMap((remote, j) => (i === j ? [] : [[remote, { ofport: 100 + 10 * i + j }]])))]));
}
