import { describe, expect, test } from '@jest/globals';
import { makeHost, makeRequest } from '../testing/fleet.js';
import { explanation, survivors } from '../testing/harness.js';
import { sriovFilter } from './sriov.filter.js';

const ports = (...physnets: string[]) => physnets.map((physnet) => ({ physnet }));

describe('SriovFilter', () => {
  const host = makeHost('h', [{ vfs: { 'sriov-a': 2 } }, { vfs: { 'sriov-a': 1, 'sriov-b': 4 } }]);

  test("'required': every VF on the cell itself, per physnet", () => {
    const request = (...physnets: string[]) => makeRequest({ sriovPorts: ports(...physnets), vfNumaAffinity: 'required' });
    expect(survivors(sriovFilter, request('sriov-a', 'sriov-a'), [host])).toEqual([[0]]);
    expect(survivors(sriovFilter, request('sriov-a', 'sriov-b'), [host])).toEqual([[1]]);
    expect(survivors(sriovFilter, request('sriov-a', 'sriov-a', 'sriov-a'), [host])).toEqual([[]]);
  });

  test("'preferred': host totals decide and the cells are left alone", () => {
    const request = makeRequest({ sriovPorts: ports('sriov-a', 'sriov-a', 'sriov-a'), vfNumaAffinity: 'preferred' });
    expect(survivors(sriovFilter, request, [host])).toEqual([[0, 1]]);
    const tooMany = makeRequest({ sriovPorts: ports('sriov-a', 'sriov-a', 'sriov-a', 'sriov-a'), vfNumaAffinity: 'preferred' });
    expect(survivors(sriovFilter, tooMany, [host])).toEqual([[]]);
    expect(explanation(sriovFilter, tooMany, host)).toBe('host has 3 free VFs on physnet sriov-a, needs 4 (counting all cells)');
  });

  test('an unknown physnet has no VFs anywhere', () => {
    expect(survivors(sriovFilter, makeRequest({ sriovPorts: ports('nope') }), [host])).toEqual([[]]);
  });

  test('reports the shortfall of the best cell', () => {
    const request = makeRequest({ sriovPorts: ports('sriov-a', 'sriov-a', 'sriov-a'), vfNumaAffinity: 'required' });
    expect(explanation(sriovFilter, request, host)).toBe('numa 0 has 2 free VFs on physnet sriov-a, needs 3');
  });
});
