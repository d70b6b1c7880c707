import { describe, expect, test } from '@jest/globals';
import { HostList } from './host-list.js';
import { makeHost } from './testing/fleet.js';

describe('HostList', () => {
  const [a, b, c] = ['a', 'b', 'c'].map((name) => makeHost(name, [{ cpus: 2 }]));

  test('positionsWhere: the positions of the hosts kept, in order, as they are now', () => {
    const list = new HostList([a!, b!, c!]);
    expect(Array.from(list.positionsWhere((h) => h.name !== 'b'))).toEqual([0, 2]);
    list.set(0, b!);
    expect(Array.from(list.positionsWhere((h) => h.name !== 'b'))).toEqual([2]);
  });

  test('keeps its own copy of the hosts and records each replaced position in order', () => {
    const given = [a!, b!];
    const list = new HostList(given);
    const start = list.version;
    list.set(1, c!);
    list.set(0, b!);
    list.set(1, a!);
    expect(given).toEqual([a, b]);
    expect(list.all).toEqual([b, a]);
    expect(list.changedSince(start)).toEqual([1, 0, 1]);
    expect(list.changedSince(start + 2)).toEqual([1]);
    expect(list.changedSince(list.version)).toEqual([]);
  });

  test('a version it never reached is unknown, not empty', () => {
    const list = new HostList([a!]);
    expect(list.changedSince(list.version + 1)).toBeUndefined();
    expect(list.changedSince(-1)).toBeUndefined();
  });

  test('forgets a record longer than twice the list plus 1024: a reader that far behind gets undefined', () => {
    const list = new HostList([a!, b!]);
    const start = list.version;
    for (let k = 0; k <= 2 * 2 + 1024; k++) list.set(k % 2, k % 2 === 0 ? a! : b!);
    expect(list.version).toBe(start + 2 * 2 + 1025);
    expect(list.changedSince(start)).toBeUndefined();
    expect(list.changedSince(list.version)).toEqual([]);
    list.set(0, c!);
    expect(list.changedSince(list.version - 1)).toEqual([0]);
  });

  test('positions are fixed: setting outside the list throws', () => {
    const list = new HostList([a!]);
    expect(() => list.set(1, b!)).toThrow(RangeError);
    expect(() => list.set(-1, b!)).toThrow(/outside a list of 1 hosts/);
    expect(list.all).toEqual([a]);
  });
});
