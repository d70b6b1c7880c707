import { describe, expect, test } from '@jest/globals';
import type { ServiceChain } from '#vim/chains';
import { shapeProblems } from './chain-admission.js';

const chain = (name: string): ServiceChain => ({
  name,
  ingress: { host: 'h', bridge: 'br-int' },
  egress: { host: 'h', bridge: 'br-int' },
  classifier: { ethertype: 'ipv4' },
  hops: [{ instances: [{ vnfInstanceId: 'i', ingressCpd: 'l', egressCpd: 'r' }] }],
  symmetric: false,
});

describe('shapeProblems', () => {
  test("a name made from an NSD's ids meets the request's own rule: 63 characters of text that can be stored", () => {
    expect(shapeProblems(chain('web-graph.web-path.position1.http'))).toEqual([]);
    expect(shapeProblems(chain('x'.repeat(64)))).toEqual([{ path: '/name', message: expect.stringMatching(/longer than 63 characters/) }]);
    expect(shapeProblems(chain('web.\udfff'))).toEqual([{ path: '/name', message: expect.stringMatching(/an unpaired surrogate \(U\+DFFF\) at character 5/) }]);
  });
});
