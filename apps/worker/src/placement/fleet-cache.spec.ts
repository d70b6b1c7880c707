import { describe, expect, test } from '@jest/globals';
import { hostsToReread } from './fleet-cache.js';
import { partOf } from './placement-peers.js';

const ids = ['00000001-0000-4000-8000-000000000001', '00000002-0000-4000-8000-000000000002', '00000003-0000-4000-8000-000000000003', '00000004-0000-4000-8000-000000000004'];

describe('hostsToReread', () => {
  test('without a part: every host found, once', () => {
    const rows = [...ids.map((hostId) => ({ hostId, claimed: true })), { hostId: ids[0]!, claimed: false }];
    expect(hostsToReread(rows).sort()).toEqual([...ids].sort());
  });

  test("with a part: claims only on the part's hosts, changed host rows everywhere", () => {
    const part = { index: partOf(ids[0]!, 2), count: 2 };
    const mine = ids.filter((id) => partOf(id, 2) === part.index);
    const others = ids.filter((id) => partOf(id, 2) !== part.index);
    expect(mine.length).toBeGreaterThan(0);
    expect(others.length).toBeGreaterThan(0);
    const rows = [...ids.map((hostId) => ({ hostId, claimed: true })), { hostId: others[0]!, claimed: false }];
    expect(hostsToReread(rows, part).sort()).toEqual([...mine, others[0]!].sort());
  });
});
