import { describe, expect, test } from '@jest/globals';
import { makeHost, makeRequest } from '../testing/fleet.js';
import { ratings, setup } from '../testing/harness.js';
import { groupSpreadScorer } from './group-spread.scorer.js';

describe('GroupSpreadScorer', () => {
  const hosts = [makeHost('a', [{}, {}], { groups: ['vnf/fw'] }), makeHost('b', [{}]), makeHost('c', [{}], { groups: ['vnf/other'] })];
  const scorer = groupSpreadScorer({ weight: 3 });

  test("marks down every cell of the hosts that hold one of the group's VMs, and names only those rows", () => {
    const request = makeRequest({ spreadGroup: 'vnf/fw' });
    expect(ratings(scorer, request, hosts)).toEqual([[-3, -3], [0], [0]]);
    const { fleet, plan } = setup(request, hosts);
    expect([...(scorer.rows!(plan, fleet) ?? [])]).toEqual([0]);
  });

  test('is skipped without a group and runs per request', () => {
    expect(scorer.relevant!(setup(makeRequest(), hosts).plan)).toBe(false);
    expect(scorer.relevant!(setup(makeRequest({ spreadGroup: 'vnf/fw' }), hosts).plan)).toBe(true);
    expect(scorer.perRequest).toBe(true);
  });

  test('outweighs the other default scorers together by default', () => {
    expect(groupSpreadScorer().weight).toBeGreaterThan(1 + 2 + 1);
  });
});
