import { describe, expect, test } from '@jest/globals';
import { makeHost, makeRequest } from '../testing/fleet.js';
import { ratings } from '../testing/harness.js';
import { strandedCapacityScorer } from './stranded-capacity.scorer.js';

describe('StrandedCapacityScorer', () => {
  const scorer = strandedCapacityScorer();
  const noExtras = { pmd: 0, hugepages: [] };

  test('prefers the cell whose CPUs and memory run out together', () => {
    // 4 CPUs + 4 GiB: cell 0 would keep 12 CPUs and no memory, cell 1 keeps both in proportion.
    const host = makeHost('h', [
      { cpus: 16, smallMb: 4096, ...noExtras },
      { cpus: 8, smallMb: 8192, ...noExtras },
    ]);
    const [[strands, balanced]] = ratings(scorer, makeRequest({ vcpus: 4, memoryMb: 4096, pageSize: 'small' }), [host]) as [[number, number]];
    expect(balanced).toBeGreaterThan(strands);
    expect(strands).toBeCloseTo(0.25);
    expect(balanced).toBeCloseTo(1);
  });

  test('weighs the VFs and PMD slots the request takes along with CPUs and memory', () => {
    // 4 CPUs + 4 GiB + 2 VFs: cell 0 would give up all its VFs but keep half its CPUs and memory.
    const host = makeHost('h', [
      { cpus: 8, smallMb: 8192, pmd: 0, hugepages: [], vfs: { a: 2 } },
      { cpus: 8, smallMb: 8192, pmd: 0, hugepages: [], vfs: { a: 4 } },
    ]);
    const request = makeRequest({ vcpus: 4, memoryMb: 4096, pageSize: 'small', sriovPorts: [{ physnet: 'a' }, { physnet: 'a' }] });
    const [[drained, kept]] = ratings(scorer, request, [host]) as [[number, number]];
    expect(kept).toBeCloseTo(1);
    expect(drained).toBeCloseTo(0.5);
  });

  test('ignores resources the request does not take, so it does not favour big cells', () => {
    const small = makeHost('small', [{ cpus: 4, smallMb: 4096, pmd: 4, hugepages: [], vfs: { a: 8 } }]);
    const big = makeHost('big', [{ cpus: 64, smallMb: 65536, ...noExtras }]);
    const request = makeRequest({ vcpus: 2, memoryMb: 2048, pageSize: 'small' });
    expect(ratings(scorer, request, [small, big])).toEqual([[1], [1]]);
  });

  test('a cell emptied evenly is not stranded', () => {
    const host = makeHost('h', [{ cpus: 4, smallMb: 4096, ...noExtras }]);
    expect(ratings(scorer, makeRequest({ vcpus: 4, memoryMb: 4096, pageSize: 'small' }), [host])).toEqual([[1]]);
  });
});
