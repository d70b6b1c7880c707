import { describe, expect, test } from '@jest/globals';
import { makeHost, makeRequest } from '../testing/fleet.js';
import { explanation, setup, survivors } from '../testing/harness.js';
import { affinityFilter } from './affinity.filter.js';

describe('AffinityFilter', () => {
  const hosts = [makeHost('a', [{}, {}], { groups: ['other'] }), makeHost('b', [{}, {}], { groups: ['web'] }), makeHost('c', [{}], { groups: ['web', 'db'] })];

  test('keeps only the hosts that hold members of the group', () => {
    expect(survivors(affinityFilter, makeRequest({ affinityGroups: ['web'] }), hosts)).toEqual([[], [0, 1], [0]]);
  });

  test('with several groups, keeps the hosts that hold members of every group that has any', () => {
    expect(survivors(affinityFilter, makeRequest({ affinityGroups: ['web', 'db', 'empty'] }), hosts)).toEqual([[], [], [0]]);
  });

  test('leaves every host to the first member, unless it cannot hold the whole group', () => {
    expect(survivors(affinityFilter, makeRequest({ affinityGroups: ['new'] }), hosts)).toEqual([[0, 1], [0, 1], [0]]);
    // makeHost cells have 8 free CPUs: a and b 16, c 8.
    const need = { dedicatedCpus: 12, memoryMb: 1024 };
    expect(survivors(affinityFilter, makeRequest({ affinityGroups: ['new'], affinityNeed: need }), hosts)).toEqual([[0, 1], [0, 1], []]);
  });

  test('is skipped for requests without a group and re-run per request', () => {
    expect(affinityFilter.relevant(setup(makeRequest(), hosts).plan)).toBe(false);
    expect(affinityFilter.relevant(setup(makeRequest({ affinityGroups: ['web'] }), hosts).plan)).toBe(true);
    expect(affinityFilter.perRequest).toBe(true);
  });

  test('names the group and where its members are, or what the whole group needs', () => {
    const twoHosts = [hosts[0]!, hosts[1]!];
    const { fleet, plan } = setup(makeRequest({ affinityGroups: ['web'] }), twoHosts);
    expect(affinityFilter.explain(plan, fleet, 0, fleet.cellMask[0]!)).toBe('affinity group web has its members on b, not on this host');
    const need = { dedicatedCpus: 20, memoryMb: 1024 };
    expect(explanation(affinityFilter, makeRequest({ affinityGroups: ['new'], affinityNeed: need }), hosts[0]!)).toMatch(
      /^affinity group new needs one host for all its VMs: 20 dedicated CPUs and 1024 MiB together; this host has 16 and \d+ MiB free$/,
    );
  });
});
