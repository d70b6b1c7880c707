import { describe, expect, test } from '@jest/globals';
import { makeHost, makeRequest } from '../testing/fleet.js';
import { explanation, survivors } from '../testing/harness.js';
import { formatPageSize, memoryFilter } from './memory.filter.js';

const GiB = 1048576;
const MiB2 = 2048;

describe('MemoryFilter', () => {
  const host = makeHost('h', [
    { smallMb: 2048, hugepages: [{ pageSizeKb: GiB, free: 8 }] },
    { smallMb: 65536, hugepages: [{ pageSizeKb: MiB2, free: 1024 }] },
  ]);

  test('an explicit page size needs enough pages of exactly that size on the cell', () => {
    expect(survivors(memoryFilter, makeRequest({ memoryMb: 4096, pageSize: GiB }), [host])).toEqual([[0]]);
    expect(survivors(memoryFilter, makeRequest({ memoryMb: 2048, pageSize: MiB2 }), [host])).toEqual([[1]]);
    expect(survivors(memoryFilter, makeRequest({ memoryMb: 16384, pageSize: GiB }), [host])).toEqual([[]]);
  });

  test('small pages come from the small-page pool only', () => {
    expect(survivors(memoryFilter, makeRequest({ memoryMb: 4096, pageSize: 'small' }), [host])).toEqual([[1]]);
  });

  test("'large' takes any hugepage size; 'any' falls back to small pages", () => {
    expect(survivors(memoryFilter, makeRequest({ memoryMb: 2048, pageSize: 'large' }), [host])).toEqual([[0, 1]]);
    expect(survivors(memoryFilter, makeRequest({ memoryMb: 32768, pageSize: 'large' }), [host])).toEqual([[]]);
    expect(survivors(memoryFilter, makeRequest({ memoryMb: 32768, pageSize: 'any' }), [host])).toEqual([[1]]);
  });

  test('rounds guest memory up to whole pages', () => {
    const tight = makeHost('t', [{ hugepages: [{ pageSizeKb: GiB, free: 1 }] }]);
    expect(survivors(memoryFilter, makeRequest({ memoryMb: 1536, pageSize: GiB }), [tight])).toEqual([[]]);
    expect(survivors(memoryFilter, makeRequest({ memoryMb: 1024, pageSize: GiB }), [tight])).toEqual([[0]]);
  });

  test('reports the pages the best cell has against what is needed', () => {
    expect(explanation(memoryFilter, makeRequest({ memoryMb: 16384, pageSize: GiB }), host)).toBe(
      'numa 0 has 8 free 1 GiB hugepages, needs 16 (16384 MiB)',
    );
    expect(explanation(memoryFilter, makeRequest({ memoryMb: 131072, pageSize: 'small' }), host)).toBe(
      'numa 1 has 65536 MiB free in small pages, needs 131072 MiB',
    );
    expect(explanation(memoryFilter, makeRequest({ memoryMb: 131072, pageSize: 'any' }), host)).toBe(
      'numa 1 has 1024 free 2 MiB hugepages, needs 65536 (131072 MiB), 65536 MiB free in small pages, needs 131072 MiB',
    );
  });

  test('page sizes read as MiB/GiB', () => {
    expect([formatPageSize(2048), formatPageSize(1048576), formatPageSize(64)]).toEqual(['2 MiB', '1 GiB', '64 KiB']);
  });
});
