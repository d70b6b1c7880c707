import { describe, expect, test } from '@jest/globals';
import { makeHost, makeRequest } from '../testing/fleet.js';
import { ratings } from '../testing/harness.js';
import { packSpreadScorer } from './pack-spread.scorer.js';

describe('PackSpreadScorer', () => {
  const roomy = makeHost('roomy', [{ cpus: 32, smallMb: 0, hugepages: [{ pageSizeKb: 1048576, free: 64 }] }]);
  const full = makeHost('full', [{ cpus: 6, smallMb: 0, hugepages: [{ pageSizeKb: 1048576, free: 6 }] }]);
  const request = makeRequest({ vcpus: 4, memoryMb: 4096, pageSize: 1048576 });

  test("'spread' rates the roomier host higher, 'pack' the fuller one", () => {
    const [[r], [f]] = ratings(packSpreadScorer({ strategy: 'spread' }), request, [roomy, full]) as [[number], [number]];
    expect(r).toBeGreaterThan(f);
    const [[rp], [fp]] = ratings(packSpreadScorer({ strategy: 'pack' }), request, [roomy, full]) as [[number], [number]];
    expect(fp).toBeGreaterThan(rp);
    expect(rp + r).toBeCloseTo(1);
  });

  test('ratings are 0..1 times the weight and do not depend on the other hosts', () => {
    const alone = ratings(packSpreadScorer({ strategy: 'spread', weight: 3 }), request, [full]);
    const together = ratings(packSpreadScorer({ strategy: 'spread', weight: 3 }), request, [roomy, full]);
    expect(together[1]).toEqual(alone[0]);
    for (const v of together.flat()) {
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThanOrEqual(3);
    }
  });

  test('what the placement takes counts: leftovers, not current free amounts', () => {
    // Same host, two requests: the bigger one leaves less room.
    const small = ratings(packSpreadScorer({ strategy: 'spread' }), request, [roomy])[0]![0]!;
    const big = ratings(packSpreadScorer({ strategy: 'spread' }), makeRequest({ vcpus: 16, memoryMb: 32768 }), [roomy])[0]![0]!;
    expect(small).toBeGreaterThan(big);
  });

  test('refuses a zero reference', () => {
    expect(() => packSpreadScorer({ strategy: 'pack', reference: { cpus: 0 } })).toThrow(RangeError);
  });
});
