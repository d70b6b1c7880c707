import { describe, expect, test } from '@jest/globals';
import { makeHost, makeRequest } from '../testing/fleet.js';
import { explanation, setup, survivors } from '../testing/harness.js';
import { pmdCapacityFilter } from './pmd-capacity.filter.js';

describe('PmdCapacityFilter', () => {
  const host = makeHost('h', [
    { pmd: [{ cpuId: 2, freeQueueSlots: [0, 1] }, { cpuId: 3, freeQueueSlots: [3] }] },
    { pmd: 0 },
  ]);

  test('counts free rx-queue slots over the PMD cores of each cell', () => {
    expect(survivors(pmdCapacityFilter, makeRequest({ virtioPorts: 3 }), [host])).toEqual([[0]]);
    expect(survivors(pmdCapacityFilter, makeRequest({ virtioPorts: 4 }), [host])).toEqual([[]]);
  });

  test('is skipped without vhost-user ports', () => {
    expect(pmdCapacityFilter.relevant(setup(makeRequest({ virtioPorts: 0 }), [host]).plan)).toBe(false);
  });

  test('explains slots on the best cell, or the absence of PMD cores', () => {
    expect(explanation(pmdCapacityFilter, makeRequest({ virtioPorts: 4 }), host)).toBe(
      'numa 0 has 3 free PMD rx-queue slots on 2 PMD cores, needs 4',
    );
    expect(explanation(pmdCapacityFilter, makeRequest({ virtioPorts: 1 }), makeHost('none', [{ pmd: 0 }]))).toBe(
      'numa 0 has no PMD cores, needs 1 rx-queue slots for vhost-user ports',
    );
  });
});
