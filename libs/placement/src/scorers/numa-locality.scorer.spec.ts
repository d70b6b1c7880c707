import { describe, expect, test } from '@jest/globals';
import { makeHost, makeRequest } from '../testing/fleet.js';
import { ratings, setup } from '../testing/harness.js';
import { numaLocalityScorer } from './numa-locality.scorer.js';

describe('NumaLocalityScorer', () => {
  const host = makeHost('h', [{ vfs: { a: 2 } }, { vfs: { a: 1, b: 1 } }]);
  const preferred = makeRequest({ sriovPorts: [{ physnet: 'a' }, { physnet: 'b' }], vfNumaAffinity: 'preferred' });

  test('rates each cell by the share of requested VFs it holds itself, times the weight', () => {
    expect(ratings(numaLocalityScorer({ weight: 2 }), preferred, [host])).toEqual([[1, 2]]);
  });

  test('only matters for preferred affinity with VFs', () => {
    const scorer = numaLocalityScorer();
    expect(scorer.relevant!(setup(preferred, [host]).plan)).toBe(true);
    expect(scorer.relevant!(setup({ ...preferred, vfNumaAffinity: 'required' }, [host]).plan)).toBe(false);
    expect(scorer.relevant!(setup(makeRequest({ vfNumaAffinity: 'preferred' }), [host]).plan)).toBe(false);
  });
});
