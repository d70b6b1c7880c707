import { describe, expect, test } from '@jest/globals';
import { applyPlacement } from './claims.js';
import { Fleet, fleetOf } from './fleet.js';
import { HostList } from './host-list.js';
import { pageSizeId, physnetId } from './intern.js';
import { makeHost } from './testing/fleet.js';

const GiB = 1048576;

describe('Fleet column store', () => {
  const a = makeHost('a', [
    { cpus: 4, shared: 2, smallMb: 1000, hugepages: [{ pageSizeKb: GiB, free: 3 }], pmd: 2, slotsPerCore: 3, vfs: { x: 2 } },
    { cpus: 6, hugepages: [], pmd: 0, vfs: { x: 1, y: 5 } },
  ]);
  const b = makeHost('b', [{ cpus: 1, pmd: 1 }], { enabled: false, groups: ['g'] });

  test('one row per host, one slot per cell, counts per resource', () => {
    const fleet = fleetOf([a, b]);
    expect(fleet.size).toBe(2);
    expect(fleet.stride).toBe(2);
    expect([...fleet.cellMask.subarray(0, 2)]).toEqual([0b11, 0b1]);
    expect([...fleet.usable.subarray(0, 2)]).toEqual([1, 0]);
    expect([...fleet.freeCpus.subarray(0, 4)]).toEqual([4, 6, 1, 0]);
    expect([...fleet.pmdSlots.subarray(0, 4)]).toEqual([6, 0, 4, 0]);
    expect([...fleet.hugeColumn(pageSizeId(GiB)).subarray(0, 4)]).toEqual([3, 0, 16, 0]);
    expect([...fleet.vfColumn(physnetId('x')).subarray(0, 2)]).toEqual([2, 1]);
    expect(fleet.hostVfColumn(physnetId('y'))[0]).toBe(5);
    expect(fleet.hostFreeCpus[0]).toBe(10);
    expect(fleet.hostMemoryMb[0]).toBe(1000 + 3 * 1024 + 8192);
  });

  test('re-syncing rewrites only the positions whose snapshot object changed', () => {
    const fleet = new Fleet();
    fleet.sync([a, b]);
    const epoch = fleet.epoch;
    const logged = fleet.changedRows.length;
    fleet.sync([a, b]);
    expect(fleet.changedRows.length).toBe(logged);
    const a2 = applyPlacement(a, { hostId: 'id-a', cellId: 0, cpus: [8, 9], memoryMb: 100, pmdQueues: [], vfs: [], score: 0 });
    fleet.sync([a2, b]);
    expect(fleet.changedRows.slice(logged)).toEqual([0]);
    expect(fleet.epoch).toBe(epoch);
    expect(fleet.freeCpus[0]).toBe(2);
    expect(fleet.smallMb[0]).toBe(900);
  });

  test('re-syncing a HostList rewrites only the positions it replaced since the last sync', () => {
    const fleet = new Fleet();
    const list = new HostList([a, b]);
    fleet.sync(list);
    const logged = fleet.changedRows.length;
    const a2 = applyPlacement(a, { hostId: 'id-a', cellId: 0, cpus: [8, 9], memoryMb: 100, pmdQueues: [], vfs: [], score: 0 });
    list.set(0, a2);
    list.set(1, b);
    fleet.sync(list);
    // Position 1 was set to the host it already held: compared, not rewritten.
    expect(fleet.changedRows.slice(logged)).toEqual([0]);
    expect(fleet.freeCpus[0]).toBe(2);
    fleet.sync(list);
    expect(fleet.changedRows.slice(logged)).toEqual([0]);
  });

  test('a HostList it has not seen, or one that forgot the changes, is compared whole', () => {
    const fleet = new Fleet();
    const first = new HostList([a, b]);
    fleet.sync(first);
    const a2 = applyPlacement(a, { hostId: 'id-a', cellId: 0, cpus: [8, 9], memoryMb: 100, pmdQueues: [], vfs: [], score: 0 });
    fleet.sync(new HostList([a2, b]));
    expect(fleet.freeCpus[0]).toBe(2);
    const list = new HostList([a, b]);
    fleet.sync(list);
    for (let k = 0; k < 2000; k++) list.set(1, k % 2 === 0 ? a : b);
    list.set(0, a2);
    expect(list.changedSince(0)).toBeUndefined();
    fleet.sync(list);
    expect(fleet.freeCpus[0]).toBe(2);
    expect(fleet.hosts[1]).toBe(list.at(1));
  });

  test('grows its cell stride for a host with more cells, keeping every row', () => {
    const fleet = fleetOf([b, a]);
    const epoch = fleet.epoch;
    const wide = makeHost('wide', [{ cpus: 1 }, { cpus: 2 }, { cpus: 3 }, { cpus: 4 }]);
    fleet.sync([b, a, wide]);
    expect(fleet.stride).toBe(4);
    expect(fleet.epoch).toBeGreaterThan(epoch);
    expect([...fleet.freeCpus.subarray(0, 12)]).toEqual([1, 0, 0, 0, 4, 6, 0, 0, 1, 2, 3, 4]);
  });

  test('indexes anti-affinity groups by row and follows hosts as they move', () => {
    const fleet = fleetOf([a, b]);
    expect([...(fleet.rowsInGroup('g') ?? [])]).toEqual([1]);
    fleet.sync([b]);
    expect([...(fleet.rowsInGroup('g') ?? [])]).toEqual([0]);
    expect(fleet.size).toBe(1);
  });

  test('ranks rows by name, then host id', () => {
    const hosts = [makeHost('m', [{}]), makeHost('c', [{}], { hostId: 'z' }), makeHost('c', [{}], { hostId: 'y' })];
    expect([...fleetOf(hosts).ranks().subarray(0, 3)]).toEqual([2, 1, 0]);
  });
});
