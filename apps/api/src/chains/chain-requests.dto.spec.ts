import 'reflect-metadata';
import { describe, expect, test } from '@jest/globals';
import type { FieldProblem } from '#vim/descriptors';
import { ProblemException } from '../common/problem.js';
import { strictValidationPipe } from '../common/validation.js';
import { applyChange, ChainsFromNsdRequest, ChainTraceRequestDto, CreateChainRequest, toServiceChain, UpdateChainRequest } from './chain-requests.dto.js';

async function accept<T>(metatype: new () => T, body: unknown): Promise<T | FieldProblem[]> {
  try {
    return (await strictValidationPipe().transform(body, { type: 'body', metatype })) as T;
  } catch (error) {
    if (error instanceof ProblemException) return error.problem.errors ?? [];
    throw error;
  }
}
const paths = (result: unknown) => [...new Set((result as FieldProblem[]).map((p) => p.path))].sort();

const INSTANCE = '5b0c5a4e-6d1f-4c55-9a51-000000000001';
const body = () => ({
  name: 'web',
  ingress: { host: 'node-1', bridge: 'br-int', vlan: 3101, port: 'ns-a' },
  egress: { vnfInstanceId: INSTANCE, cpdId: 'left' },
  classifier: { ethertype: 'ipv4', protocol: 17, destinationPorts: { from: 5201, to: 5201 } },
  hops: [{ instances: [{ vnfInstanceId: INSTANCE, ingressCpd: 'left', egressCpd: 'right' }] }],
});

describe('CreateChainRequest', () => {
  test('a valid body becomes the chain libs/chains takes, with the defaults written out', async () => {
    const request = (await accept(CreateChainRequest, body())) as CreateChainRequest;
    expect(toServiceChain(request)).toEqual({ ...body(), symmetric: false, failMode: 'closed', priority: 0 });
  });

  test('every shape problem is named by its pointer', async () => {
    const bad = {
      ...body(),
      name: '',
      classifier: { ethertype: 'ipx', protocol: 300, destinationPorts: { from: -1, to: 'x' } },
      hops: [{ instances: [{ vnfInstanceId: 'nope', ingressCpd: '' }] }, { instances: [] }],
      failMode: 'sometimes',
      colour: 'red',
    };
    expect(paths(await accept(CreateChainRequest, bad))).toEqual(
      [
        '/classifier/destinationPorts/from', '/classifier/destinationPorts/to', '/classifier/ethertype', '/classifier/protocol', '/colour', '/failMode',
        '/hops/0/instances/0/egressCpd', '/hops/0/instances/0/ingressCpd', '/hops/0/instances/0/vnfInstanceId', '/hops/1/instances', '/name',
      ].sort(),
    );
  });

  test('ingress, egress, classifier and hops are required', async () => {
    expect(paths(await accept(CreateChainRequest, { name: 'x' }))).toEqual(expect.arrayContaining(['/classifier', '/egress', '/hops', '/ingress']));
  });
});

describe('applyChange', () => {
  test('what is sent replaces what was there; the rest stays', async () => {
    const chain = toServiceChain((await accept(CreateChainRequest, body())) as CreateChainRequest);
    const change = (await accept(UpdateChainRequest, { failMode: 'open', hops: [] })) as FieldProblem[];
    expect(paths(change)).toEqual(['/hops']);
    const reorder = (await accept(UpdateChainRequest, { failMode: 'open', classifier: { ethertype: 'ipv6' } })) as UpdateChainRequest;
    expect(applyChange(chain, reorder)).toEqual({ ...chain, failMode: 'open', classifier: { ethertype: 'ipv6' } });
  });

  test('a change may not rename the chain or move its ends', async () => {
    expect(paths(await accept(UpdateChainRequest, { name: 'other', ingress: { host: 'h', bridge: 'br-int' } }))).toEqual(['/ingress', '/name']);
  });
});

describe('ChainTraceRequestDto', () => {
  test('addresses of the packet\'s family, and ports only for TCP, UDP and SCTP', async () => {
    expect(await accept(ChainTraceRequestDto, { ethertype: 'ipv6', source: 'fd00::1', destination: 'fd00::2', protocol: 17, destinationPort: 5201 })).toBeInstanceOf(ChainTraceRequestDto);
    const bad = (await accept(ChainTraceRequestDto, { ethertype: 'ipv4', source: 'fd00::1', destination: '10.0.0.1/24', protocol: 1, sourcePort: 7 })) as FieldProblem[];
    expect(bad.map((p) => [p.path, p.message])).toEqual([
      ['/source', 'must be an IPv4 address (the packet\'s ethertype), without a prefix length'],
      ['/destination', 'must be an IPv4 address (the packet\'s ethertype), without a prefix length'],
      ['/sourcePort', 'only TCP (6), UDP (17) and SCTP (132) packets have ports; this one\'s protocol is 1'],
    ]);
  });
});

describe('ChainsFromNsdRequest', () => {
  test('every instance it maps to is a UUID', async () => {
    const body = { nsd: {}, instances: { fw: 'not-an-id' }, ingress: { host: 'h', bridge: 'br-int' }, egress: { host: 'h', bridge: 'br-int' } };
    expect(await accept(ChainsFromNsdRequest, body)).toEqual([{ path: '/instances', message: `instances maps 'fw' to "not-an-id", not a VNF instance id (a UUID)` }]);
  });
});

test('a hop or a hop instance given as an array is refused at its pointer (class-validator would descend into it)', async () => {
  const nested = { ...body(), hops: [[{ instances: [] }], { instances: [[{ vnfInstanceId: INSTANCE }]] }] };
  expect(paths(await accept(CreateChainRequest, nested))).toEqual(expect.arrayContaining(['/hops', '/hops/1/instances']));
  expect(paths(await accept(UpdateChainRequest, { hops: [[]] }))).toEqual(expect.arrayContaining(['/hops']));
});
