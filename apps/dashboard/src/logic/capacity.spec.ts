import { describe, expect, test } from '@jest/globals';
import { barText, cellBars } from './capacity.js';

const cell = {
  cellId: 1,
  freeCpus: 5,
  totalCpus: 8,
  freeMemoryMb: 1024,
  totalMemoryMb: 4096,
  freeHugepages: { '2048KiB': 100 },
  totalHugepages: { '2048KiB': 512, '1048576KiB': 2 },
  freePmdQueues: 10,
  totalPmdQueues: 16,
  freeVfs: { 'sriov-a': 6 },
  totalVfs: { 'sriov-a': 8 },
};

describe('cellBars', () => {
  test('used = total - free, per resource, cells in order', () => {
    const [first, second] = cellBars([cell, { ...cell, cellId: 0 }]);
    expect(first.cellId).toBe(0);
    const byKey = Object.fromEntries(second.bars.map((b) => [b.key, b]));
    expect(byKey.cpus).toMatchObject({ used: 3, total: 8, free: 5, percent: 38 });
    expect(byKey['hugepages-2048KiB']).toMatchObject({ used: 412, total: 512 });
    expect(byKey['hugepages-1048576KiB']).toMatchObject({ used: 2, free: 0, total: 2, percent: 100 });
    expect(byKey.pmd).toMatchObject({ used: 6, total: 16 });
    expect(byKey['vfs-sriov-a']).toMatchObject({ used: 2, total: 8 });
    expect(barText(byKey.cpus)).toBe('3 used / 8 CPUs (5 free)');
  });
  test('without totals only free is known', () => {
    const [only] = cellBars([{ cellId: 0, freeCpus: 2, freeMemoryMb: 1, freeHugepages: {}, freePmdQueues: 4, freeVfs: { p: 1 } }]);
    expect(only.bars.find((b) => b.key === 'cpus')).toMatchObject({ total: null, used: null, percent: null });
    expect(barText(only.bars[0])).toBe('2 CPUs free');
    expect(only.bars.map((b) => b.key)).toEqual(['cpus', 'memory', 'pmd', 'vfs-p']);
  });
  test('a zero total is 0 %, free above total clamps used to 0', () => {
    const [c] = cellBars([{ ...cell, totalCpus: 0, freeCpus: 0, totalPmdQueues: 4, freePmdQueues: 9 }]);
    expect(c.bars[0].percent).toBe(0);
    expect(c.bars.find((b) => b.key === 'pmd')).toMatchObject({ used: 0, percent: 0 });
  });
});
