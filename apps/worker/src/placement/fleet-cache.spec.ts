import { describe, expect, test } from '@jest/globals';
import type { Placement } from '#vim/placement';
import { groupsInConflict, hostsToReread } from './fleet-cache.js';
import { partOf } from './placement-peers.js';

const ids = ['00000001-0000-4000-8000-000000000001', '00000002-0000-4000-8000-000000000002', '00000003-0000-4000-8000-000000000003', '00000004-0000-4000-8000-000000000004'];
const claim = (hostId: string, vm = `vm-${hostId}`) => ({ hostId, vm });
const changedRow = (hostId: string) => ({ hostId, vm: null });

describe('hostsToReread', () => {
  test('without a part: every host with new claims or a changed row, once', () => {
    const rows = [...ids.map((id) => claim(id)), claim(ids[0]!, 'second'), changedRow(ids[0]!)];
    expect(hostsToReread(rows, new Set()).sort()).toEqual([...ids].sort());
  });

  test("own claims are in the picture already: a host with only those is not reread, one with another's claim too is", () => {
    const rows = [claim(ids[0]!, 'mine'), claim(ids[1]!, 'mine too'), claim(ids[1]!, 'theirs')];
    expect(hostsToReread(rows, new Set(['mine', 'mine too']))).toEqual([ids[1]]);
  });

  test("with a part: claims only on the part's hosts, changed host rows everywhere", () => {
    const part = { index: partOf(ids[0]!, 2), count: 2 };
    const mine = ids.filter((id) => partOf(id, 2) === part.index);
    const others = ids.filter((id) => partOf(id, 2) !== part.index);
    expect(mine.length).toBeGreaterThan(0);
    expect(others.length).toBeGreaterThan(0);
    const rows = [...ids.map((id) => claim(id)), changedRow(others[0]!)];
    expect(hostsToReread(rows, new Set(), part).sort()).toEqual([...mine, others[0]!].sort());
  });
});

describe('groupsInConflict', () => {
  const placement = (groups: Partial<Placement>): Placement => ({ hostId: ids[0]!, cellId: 0, cpus: [], memoryMb: 1, pmdQueues: [], vfs: [], score: 0, ...groups });

  test('the hard groups of the claims refused for a group conflict, once; not those refused otherwise or claimed', () => {
    const claims = [
      { placement: placement({ affinityGroups: ['i:a'], spreadGroup: 'i/fw' }), outcome: { claimed: false as const, reason: 'x', groupConflict: true as const } },
      { placement: placement({ antiAffinityGroups: ['i:b'], affinityGroups: ['i:a'] }), outcome: { claimed: false as const, reason: 'x', groupConflict: true as const } },
      { placement: placement({ affinityGroups: ['i:c'] }), outcome: { claimed: false as const, reason: 'busy', busy: true as const } },
      { placement: placement({ affinityGroups: ['i:d'] }), outcome: { claimed: true as const } },
    ];
    expect(groupsInConflict(claims)).toEqual(['i:a', 'i:b']);
  });
});
