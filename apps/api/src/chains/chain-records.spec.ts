import { describe, expect, test } from '@jest/globals';
import type { ServiceChain } from '#vim/chains';
import { type ChainRecords, networkKey, ownershipProblems, pointProblems, reachProblems } from './chain-records.js';

const A = 'a0000000-0000-4000-8000-000000000001';

describe('pointProblems', () => {
  test('a network needs host and bridge, a connection point its instance and cpd, and a mix is neither', () => {
    expect(pointProblems({ host: 'h', bridge: 'br-int' }, '/ingress')).toEqual([]);
    expect(pointProblems({ vnfInstanceId: A, cpdId: 'left' }, '/egress')).toEqual([]);
    expect(pointProblems({ bridge: 'br-int' } as never, '/ingress').map((p) => p.path)).toEqual(['/ingress/host']);
    expect(pointProblems({ vnfInstanceId: A } as never, '/egress').map((p) => p.path)).toEqual(['/egress/cpdId']);
    expect(pointProblems({ host: 'h', bridge: 'br-int', cpdId: 'x' } as never, '/ingress')).toEqual([{ path: '/ingress', message: expect.stringMatching(/not both/) }]);
    expect(pointProblems({} as never, '/ingress').map((p) => p.path)).toEqual(['/ingress/host', '/ingress/bridge']);
  });
});

describe('reachProblems', () => {
  const chain: ServiceChain = {
    name: 'c',
    ingress: { host: 'far', bridge: 'br-int', port: 'a' },
    egress: { host: 'gone', bridge: 'br-int', port: 'b' },
    classifier: { ethertype: 'ipv4' },
    hops: [{ instances: [{ vnfInstanceId: A, ingressCpd: 'l', egressCpd: 'r' }] }],
    symmetric: false,
  };
  test('a host that is not registered, or whose switch is not local to the worker, is named where the chain uses it', () => {
    const records: ChainRecords = {
      instances: new Map([[A, { instantiationState: 'INSTANTIATED', vms: [{ host: 'near', powerState: 'RUNNING', ports: [] }, { host: 'far', powerState: 'RUNNING', ports: [] }] }]]),
      hosts: new Map([['near', 'unix:/var/run/openvswitch/db.sock'], ['far', 'tcp:10.0.0.7:6640']]),
      tenantNetworks: new Set(),
      foreignPorts: new Set(),
    };
    expect(reachProblems(chain, records).map((p) => [p.path, p.message])).toEqual([
      ['/ingress/host', expect.stringMatching(/host 'far'.*cannot reach with ovs-ofctl/)],
      ['/egress/host', expect.stringMatching(/host 'gone', which is not registered/)],
      ['/hops/0/instances/0/vnfInstanceId', expect.stringMatching(/host 'far'/)],
    ]);
  });
});

describe('ownershipProblems', () => {
  const chain: ServiceChain = {
    name: 'c',
    ingress: { host: 'near', bridge: 'br-int', vlan: 100, port: 'ns-a' },
    egress: { host: 'near', bridge: 'br-int', vlan: 200, port: 'vhu-theirs' },
    classifier: { ethertype: 'ipv4' },
    hops: [{ instances: [{ vnfInstanceId: A, ingressCpd: 'l', egressCpd: 'r' }] }],
    symmetric: false,
  };
  const records: ChainRecords = {
    instances: new Map(),
    hosts: new Map(),
    tenantNetworks: new Set([networkKey('near', 'br-int', 100), networkKey('near', 'br-int', 200)]),
    foreignPorts: new Set(['near|vhu-theirs']),
  };

  test("a tenant may steer its own VMs' networks, never another tenant's VM port", () => {
    expect(ownershipProblems(chain, records, false)).toEqual([{ path: '/egress/port', message: expect.stringMatching(/port vhu-theirs on host near does not exist/) }]);
    expect(ownershipProblems({ ...chain, egress: { host: 'near', bridge: 'br-int', vlan: 300 } }, records, false)).toEqual([
      { path: '/egress', message: expect.stringMatching(/none of your VMs is attached to bridge br-int \(VLAN 300\) on host near/) },
    ]);
  });

  test('a platform administrator may name any network', () => {
    expect(ownershipProblems({ ...chain, egress: { host: 'near', bridge: 'br-int', vlan: 300 } }, records, true)).toEqual([]);
  });

  test('connection-point ends are checked as instances, not here', () => {
    expect(ownershipProblems({ ...chain, ingress: { vnfInstanceId: A, cpdId: 'l' }, egress: { vnfInstanceId: A, cpdId: 'r' } }, records, false)).toEqual([]);
  });
});
