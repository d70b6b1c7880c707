import { describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import { checkCpuList, checkNumaNodeList, checkRxqAffinity, formatIdSet, MAX_CPU_ID, parseCpuSet } from './cpus.js';

describe('CPU and NUMA node lists', () => {
  test('sorted copies of distinct ids', () => {
    expect(checkCpuList([5, 1, 2])).toEqual({ ok: true, value: [1, 2, 5] });
    expect(checkNumaNodeList([0])).toEqual({ ok: true, value: [0] });
  });
  test.each([[[]], [[1, 1]], [[-1]], [[1.5]], [['1']], [[MAX_CPU_ID + 1]], ['0-3'], [null]])('refuses %p', (v) => {
    expect(checkCpuList(v).ok).toBe(false);
  });
  test('NUMA nodes stop at 1023', () => expect(checkNumaNodeList([1024]).ok).toBe(false));
});

describe('cpuset syntax', () => {
  test.each([
    [[0, 1, 2, 5], '0-2,5'],
    [[3], '3'],
    [[1, 3, 5], '1,3,5'],
    [[7, 6, 5, 9, 10], '5-7,9-10'],
  ])('%p -> %p', (ids, text) => {
    expect(formatIdSet(ids)).toBe(text);
    expect(parseCpuSet(text)).toEqual({ ok: true, value: [...ids].sort((a, b) => a - b) });
  });
  test.each(['', ' 1', '1-', '3-1', '0-2,^1', '1,1', '0x3', '1;2', `0-${MAX_CPU_ID + 1}`])('parse refuses %p', (text) => {
    expect(parseCpuSet(text).ok).toBe(false);
  });
  test('format and parse round-trip', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 0, max: 300 }), { minLength: 1, maxLength: 40 }), (ids) => {
        const text = formatIdSet(ids);
        expect(text).toMatch(/^[0-9,-]+$/);
        expect(parseCpuSet(text)).toEqual({ ok: true, value: [...ids].sort((a, b) => a - b) });
      }),
    );
  });
});

describe('pmd-rxq-affinity', () => {
  test('formats queue:core pairs', () => {
    expect(checkRxqAffinity([{ queue: 0, core: 3 }, { queue: 1, core: 5 }])).toEqual({ ok: true, value: '0:3,1:5' });
  });
  test.each([[[]], [[{ queue: 0, core: 3 }, { queue: 0, core: 4 }]], [[{ queue: 128, core: 1 }]], [[{ queue: 0, core: '3' }]], [[null]], ['0:3']])(
    'refuses %p',
    (v) => expect(checkRxqAffinity(v).ok).toBe(false),
  );
});
