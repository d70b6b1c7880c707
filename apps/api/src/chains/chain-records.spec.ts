import { describe, expect, test } from '@jest/globals';
import type { ServiceChain } from '#vim/chains';
import { isLocalSwitch, pointProblems, reachProblems } from './chain-records.js';

const A = 'a0000000-0000-4000-8000-000000000001';

describe('isLocalSwitch', () => {
  test('the unix socket and loopback TCP are the worker\'s own switch', () => {
    for (const remote of ['unix:/var/run/openvswitch/db.sock', 'tcp:127.0.0.1:6640', 'tcp:[::1]:6640', 'tcp:localhost:6640']) expect(isLocalSwitch(remote)).toBe(true);
    for (const remote of ['tcp:10.0.0.7:6640', 'ssl:127.0.0.1:6640', 'tcp:127.0.0.1.example:6640']) expect(isLocalSwitch(remote)).toBe(false);
  });
});

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
    const records = {
      instances: new Map([[A, { instantiationState: 'INSTANTIATED', vms: [{ host: 'near', powerState: 'RUNNING', ports: [] }, { host: 'far', powerState: 'RUNNING', ports: [] }] }]]),
      hosts: new Map([['near', 'unix:/var/run/openvswitch/db.sock'], ['far', 'tcp:10.0.0.7:6640']]),
    };
    expect(reachProblems(chain, records).map((p) => [p.path, p.message])).toEqual([
      ['/ingress/host', expect.stringMatching(/host 'far'.*cannot reach with ovs-ofctl/)],
      ['/egress/host', expect.stringMatching(/host 'gone', which is not registered/)],
      ['/hops/0/instances/0/vnfInstanceId', expect.stringMatching(/host 'far'/)],
    ]);
  });
});
