import 'reflect-metadata';
import { describe, expect, test } from '@jest/globals';
import type { FieldProblem } from '#vim/descriptors';
import { ProblemException } from '../common/problem.js';
import { strictValidationPipe } from '../common/validation.js';
import { HealVnfRequest, InstantiateVnfRequest, TerminateVnfRequest, VmConsoleQuery } from './lcm-requests.dto.js';

/** What the global pipe makes of a body: the DTO, or the problems by pointer. */
async function accept<T>(metatype: new () => T, body: unknown): Promise<T | FieldProblem[]> {
  try {
    return (await strictValidationPipe().transform(body, { type: 'body', metatype })) as T;
  } catch (error) {
    if (error instanceof ProblemException) return error.problem.errors ?? [];
    throw error;
  }
}

const paths = (result: unknown) => (result as FieldProblem[]).map((p) => p.path).sort();

describe('InstantiateVnfRequest', () => {
  test('a valid body becomes the params checkInstantiateParams takes', async () => {
    const body = { flavourId: 'default', extCpBindings: { in: { bridge: 'br-int', vlan: 100 }, out: { physnet: 'sriov-a' } } };
    const request = (await accept(InstantiateVnfRequest, body)) as InstantiateVnfRequest;
    expect(request.toParams()).toEqual(body);
  });

  test("each binding's problems are named under its ext-cpd id", async () => {
    const body = { flavourId: '', extCpBindings: { in: { bridge: 'br int', vlan: 5000 }, 'a/b': { physnet: 7, colour: 'red' }, up: 'br-x' } };
    expect(paths(await accept(InstantiateVnfRequest, body))).toEqual(
      ['/extCpBindings/a~1b/colour', '/extCpBindings/a~1b/physnet', '/extCpBindings/in/bridge', '/extCpBindings/in/vlan', '/extCpBindings/up', '/flavourId'].sort(),
    );
  });

  test('extCpBindings must be an object', async () => {
    for (const extCpBindings of [undefined, null, [], 'br-int']) {
      expect(paths(await accept(InstantiateVnfRequest, { flavourId: 'default', extCpBindings }))).toContain('/extCpBindings');
    }
  });
});

describe('TerminateVnfRequest', () => {
  test('a timeout only with GRACEFUL', async () => {
    expect(((await accept(TerminateVnfRequest, { terminationType: 'GRACEFUL', gracefulTerminationTimeout: 60 })) as TerminateVnfRequest).toParams()).toEqual({
      terminationType: 'GRACEFUL',
      gracefulTerminationTimeout: 60,
    });
    expect(paths(await accept(TerminateVnfRequest, { terminationType: 'FORCEFUL', gracefulTerminationTimeout: 60 }))).toEqual(['/gracefulTerminationTimeout']);
    expect(paths(await accept(TerminateVnfRequest, { terminationType: 'SOON' }))).toEqual(['/terminationType']);
  });
});

describe('HealVnfRequest', () => {
  test('same-host unless told otherwise; ids are UUIDs, unique, and not an empty list', async () => {
    expect(((await accept(HealVnfRequest, {})) as HealVnfRequest).target).toBe('same-host');
    const id = '6f1e9c1a-0000-4000-8000-000000000000';
    expect(paths(await accept(HealVnfRequest, { vduInstanceIds: [id, id], target: 'elsewhere' }))).toEqual(['/target', '/vduInstanceIds']);
    expect(paths(await accept(HealVnfRequest, { vduInstanceIds: ['nope'] }))).toEqual(['/vduInstanceIds']);
    expect(paths(await accept(HealVnfRequest, { vduInstanceIds: [] }))).toEqual(['/vduInstanceIds']);
  });
});

describe('VmConsoleQuery', () => {
  const query = async (params: Record<string, string>) => {
    try {
      return (await strictValidationPipe().transform(params, { type: 'query', metatype: VmConsoleQuery })) as VmConsoleQuery;
    } catch (error) {
      if (error instanceof ProblemException) return error.problem.errors ?? [];
      throw error;
    }
  };

  test('100 lines unless asked, up to 2000', async () => {
    expect(await query({})).toMatchObject({ lines: 100 });
    expect(await query({ lines: '1' })).toMatchObject({ lines: 1 });
    expect(await query({ lines: '2000' })).toMatchObject({ lines: 2000 });
  });

  test.each(['0', '2001', '-5', '1.5', 'ten', ''])('lines=%j is refused at /lines', async (lines) => {
    expect(new Set(paths(await query({ lines })))).toEqual(new Set(['/lines']));
  });
});
