import { describe, expect, test } from '@jest/globals';
import { makeHost, makeRequest } from '../testing/fleet.js';
import { explanation, setup, survivors } from '../testing/harness.js';
import { antiAffinityFilter } from './anti-affinity.filter.js';

describe('AntiAffinityFilter', () => {
  const hosts = [makeHost('a', [{}, {}], { groups: ['fw-group'] }), makeHost('b', [{}, {}], { groups: ['other'] }), makeHost('c', [{}])];

  test('rejects hosts that already hold a member of the group', () => {
    expect(survivors(antiAffinityFilter, makeRequest({ antiAffinityGroups: ['fw-group'] }), hosts)).toEqual([[], [0, 1], [0]]);
  });

  test('is skipped for requests without a group', () => {
    expect(antiAffinityFilter.relevant(setup(makeRequest(), hosts).plan)).toBe(false);
    expect(antiAffinityFilter.relevant(setup(makeRequest({ antiAffinityGroups: ['x'] }), hosts).plan)).toBe(true);
  });

  test('is re-run per request, not cached with the request shape', () => {
    expect(antiAffinityFilter.perRequest).toBe(true);
  });

  test('names the group', () => {
    expect(explanation(antiAffinityFilter, makeRequest({ antiAffinityGroups: ['fw-group'] }), hosts[0]!)).toBe(
      'anti-affinity group fw-group already has a member on this host',
    );
  });
});
