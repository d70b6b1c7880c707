import { describe, expect, test } from '@jest/globals';
import { compileRequest, InvalidPlacementRequestError, pickPool, POOL_NONE, POOL_SMALL } from './plan.js';
import { fleetOf } from './fleet.js';
import { makeHost, makeRequest } from './testing/fleet.js';
import type { HostSnapshot, PageSize } from './types.js';

const GiB = 1048576;

/** The page size (KiB, or 'small'/'none') a request would use on cell 0 of `host`. */
function pool(host: HostSnapshot, memoryMb: number, pageSize: PageSize): number | 'small' | 'none' {
  const fleet = fleetOf([host]);
  const plan = compileRequest(makeRequest({ memoryMb, pageSize }), fleet);
  const p = pickPool(plan, fleet, 0);
  return p === POOL_SMALL ? 'small' : p === POOL_NONE ? 'none' : plan.huge[p]!.pageSizeKb;
}

describe('request compilation', () => {
  test('lists every problem of a nonsensical request', () => {
    const bad = { ...makeRequest(), vcpus: 1.5, memoryMb: -1, virtioPorts: NaN, sriovPorts: [{ physnet: '' }] };
    expect(() => compileRequest(bad, fleetOf([]))).toThrow(InvalidPlacementRequestError);
    try {
      compileRequest(bad, fleetOf([]));
    } catch (e) {
      expect((e as InvalidPlacementRequestError).problems).toHaveLength(4);
    }
  });

  test('aggregates SR-IOV ports per physnet', () => {
    const plan = compileRequest(makeRequest({ sriovPorts: [{ physnet: 'b' }, { physnet: 'a' }, { physnet: 'b' }] }), fleetOf([]));
    expect(plan.vfNeeds.map((n) => [n.physnet, n.count])).toEqual([['a', 1], ['b', 2]]);
    expect(plan.vfTotal).toBe(3);
  });
});

describe('memory pool choice', () => {
  const both = makeHost('h', [{ smallMb: 65536, hugepages: [{ pageSizeKb: GiB, free: 8 }, { pageSizeKb: 2048, free: 1024 }] }]);

  test("'large' prefers the largest page size that divides the memory", () => {
    expect(pool(both, 3072, 'large')).toBe(GiB);
    expect(pool(both, 1536, 'large')).toBe(2048);
  });

  test("'large' rounds up with the smallest size that fits when none divides it", () => {
    const onlyGiB = makeHost('g', [{ hugepages: [{ pageSizeKb: GiB, free: 2 }, { pageSizeKb: 2048, free: 0 }] }]);
    expect(pool(onlyGiB, 1536, 'large')).toBe(GiB);
    expect(pool(onlyGiB, 4096, 'large')).toBe('none');
  });

  test("'any' uses hugepages when they fit and small pages otherwise", () => {
    expect(pool(both, 4096, 'any')).toBe(GiB);
    expect(pool(both, 32768, 'any')).toBe('small');
    expect(pool(both, 131072, 'any')).toBe('none');
  });

  test('explicit sizes and small pages use exactly that pool', () => {
    expect(pool(both, 2048, 2048)).toBe(2048);
    expect(pool(both, 2048, 'small')).toBe('small');
    expect(pool(both, 2048, 4)).toBe('none');
  });
});
