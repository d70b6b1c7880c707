import { describe, expect, test } from '@jest/globals';
import { makeHost, makeRequest } from '../testing/fleet.js';
import { explanation, survivors } from '../testing/harness.js';
import { numaCpuFilter } from './numa-cpu.filter.js';

describe('NumaCpuFilter', () => {
  test('dedicated: keeps only the cells with enough free CPUs of their own', () => {
    const hosts = [makeHost('a', [{ cpus: 8 }, { cpus: 3 }]), makeHost('b', [{ cpus: 2 }, { cpus: 2 }])];
    expect(survivors(numaCpuFilter, makeRequest({ vcpus: 4 }), hosts)).toEqual([[0], []]);
  });

  test('dedicated: enough CPUs on the host but split over cells is a rejection, and says so', () => {
    const host = makeHost('split', [{ cpus: 4 }, { cpus: 5 }]);
    const request = makeRequest({ vcpus: 8 });
    expect(survivors(numaCpuFilter, request, [host])).toEqual([[]]);
    expect(explanation(numaCpuFilter, request, host)).toBe(
      'numa 1 has 5 free dedicated CPUs, needs 8 (host has 9 across 2 cells; pinned CPUs must share one NUMA cell)',
    );
  });

  test('dedicated: a plain shortfall reports the best cell only', () => {
    expect(explanation(numaCpuFilter, makeRequest({ vcpus: 8 }), makeHost('h', [{ cpus: 2 }, { cpus: 3 }]))).toBe(
      'numa 1 has 3 free dedicated CPUs, needs 8',
    );
  });

  test('dedicated: duplicated CPU ids in a snapshot count once', () => {
    const host = makeHost('dup', [{ cpus: [4, 4, 5, 5] }]);
    expect(survivors(numaCpuFilter, makeRequest({ vcpus: 3 }), [host])).toEqual([[]]);
  });

  test('shared: uses the shared pool of the cell, not the dedicated CPUs', () => {
    const hosts = [makeHost('a', [{ cpus: 0, shared: 8 }, { cpus: 16, shared: 2 }])];
    const request = makeRequest({ cpuPolicy: 'shared', vcpus: 4 });
    expect(survivors(numaCpuFilter, request, hosts)).toEqual([[0]]);
    expect(explanation(numaCpuFilter, makeRequest({ cpuPolicy: 'shared', vcpus: 10 }), hosts[0]!)).toBe(
      'numa 0 has 8 shared CPUs, needs 10',
    );
  });
});
