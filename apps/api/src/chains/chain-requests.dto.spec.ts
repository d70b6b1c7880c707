import 'reflect-metadata';
import { describe, expect, test } from '@jest/globals';
import type { FieldProblem } from '#vim/descriptors';
import { ProblemException } from '../common/problem.js';
import { strictValidationPipe } from '../common/validation.js';
import { applyChange, CreateChainRequest, toServiceChain, UpdateChainRequest } from './chain-requests.dto.js';

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
