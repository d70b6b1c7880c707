import { describe, expect, test } from '@jest/globals';
import { applyPlacement } from './claims.js';
import { createScheduler } from './engine.js';
import { makeHost, makeRequest } from './testing/fleet.js';
import type { HostSnapshot, PlacementRequest, PlacementResult } from './types.js';

// Placement groups through the whole scheduler: VMs placed one after another on a picture that
// each placement updates, as a worker does with the VMs of one batch.

function placeAll(strategy: 'pack' | 'spread', requests: PlacementRequest[], start: HostSnapshot[]): { hosts: HostSnapshot[]; results: PlacementResult[] } {
  const scheduler = createScheduler({ strategy });
  let hosts = start;
  const results = requests.map((request) => {
    const result = scheduler.place(request, hosts);
    if (result.ok) hosts = hosts.map((h) => (h.hostId === result.placement.hostId ? applyPlacement(h, result.placement) : h));
    return result;
  });
  return { hosts, results };
}

const hostOf = (r: PlacementResult): string => (r.ok ? r.placement.hostId : `none: ${r.explanation.summary}`);
const twice = (overrides: Partial<PlacementRequest>) => [makeRequest({ vcpus: 2, ...overrides }), makeRequest({ vcpus: 2, ...overrides })];

describe('scheduler: the VMs of one VDU without groups (spread as a preference)', () => {
  test("go to different hosts when both have room, even with 'pack'", () => {
    const { results } = placeAll('pack', twice({ spreadGroup: 'i/fw' }), [makeHost('a', [{ cpus: 16 }]), makeHost('b', [{ cpus: 16 }])]);
    expect(results.map(hostOf)).toEqual(['id-a', 'id-b']);
  });

  test('share a host when it is the only one with room', () => {
    const { results } = placeAll('spread', twice({ spreadGroup: 'i/fw' }), [makeHost('a', [{ cpus: 16 }]), makeHost('b', [{ cpus: 1 }])]);
    expect(results.map(hostOf)).toEqual(['id-a', 'id-a']);
  });

  test('leave the cached scores of the request shape as they were', () => {
    const hosts = [makeHost('a', [{ cpus: 16 }], { groups: ['i/fw'] }), makeHost('b', [{ cpus: 8 }])];
    const scheduler = createScheduler({ strategy: 'pack' });
    expect(hostOf(scheduler.place(makeRequest({ vcpus: 2, spreadGroup: 'i/fw' }), hosts))).toBe('id-b');
    const plain = scheduler.place(makeRequest({ vcpus: 2 }), hosts);
    const fresh = createScheduler({ strategy: 'pack' }).place(makeRequest({ vcpus: 2 }), hosts);
    expect(plain).toEqual(fresh);
  });

  test("are not kept on a worker's own part of the fleet when another host has room", () => {
    const hosts = [makeHost('a', [{ cpus: 16 }], { groups: ['i/fw'] }), makeHost('b', [{ cpus: 16 }])];
    const scheduler = createScheduler({ strategy: 'pack' });
    const result = scheduler.place(makeRequest({ vcpus: 2, spreadGroup: 'i/fw' }), hosts, { preferRows: Int32Array.of(0) });
    expect(hostOf(result)).toBe('id-b');
    // Without the group the own part wins as before.
    expect(hostOf(scheduler.place(makeRequest({ vcpus: 2 }), hosts, { preferRows: Int32Array.of(0) }))).toBe('id-a');
  });
});

describe('scheduler: affinity groups', () => {
  test("put the members on one host, even with 'spread'", () => {
    const { results } = placeAll('spread', twice({ affinityGroups: ['i:g'] }), [makeHost('a', [{ cpus: 16 }]), makeHost('b', [{ cpus: 16 }])]);
    expect(new Set(results.map(hostOf)).size).toBe(1);
  });

  test('span VDUs: a member of another shape follows the first', () => {
    const requests = [makeRequest({ vcpus: 2, affinityGroups: ['i:g'] }), makeRequest({ vcpus: 4, memoryMb: 2048, affinityGroups: ['i:g'] })];
    const { results } = placeAll('spread', requests, ['a', 'b', 'c'].map((n) => makeHost(n, [{ cpus: 16 }])));
    expect(hostOf(results[1]!)).toBe(hostOf(results[0]!));
  });

  test('the first member takes a host with room for the whole group', () => {
    const need = { dedicatedCpus: 8, memoryMb: 8192 };
    const requests = twice({ vcpus: 4, affinityGroups: ['i:g'], affinityNeed: need });
    // 'spread' would prefer the roomier-in-memory host a, which has CPUs for one member only.
    const { results } = placeAll('spread', requests, [makeHost('a', [{ cpus: 4, hugepages: [{ pageSizeKb: 1048576, free: 64 }] }]), makeHost('b', [{ cpus: 8 }])]);
    expect(results.map(hostOf)).toEqual(['id-b', 'id-b']);
  });

  test('no room where the members are is no valid host, naming AffinityFilter and the members\' host', () => {
    const hosts = [makeHost('a', [{ cpus: 2 }], { groups: ['i:g'] }), makeHost('b', [{ cpus: 16 }])];
    const result = createScheduler({ strategy: 'pack' }).place(makeRequest({ vcpus: 4, affinityGroups: ['i:g'] }), hosts);
    if (result.ok) throw new Error('expected no valid host');
    expect(result.explanation.reasonCounts).toEqual({ AffinityFilter: 1, NumaCpuFilter: 1 });
    expect(result.explanation.hosts.find((h) => h.name === 'b')).toMatchObject({ filter: 'AffinityFilter', reason: 'affinity group i:g has its members on a, not on this host' });
  });
});

describe('scheduler: anti-affinity groups', () => {
  test('span VDUs and several groups: a host with a member of any of them is out', () => {
    const hosts = [makeHost('a', [{ cpus: 16 }], { groups: ['i:x'] }), makeHost('b', [{ cpus: 16 }], { groups: ['i:y'] }), makeHost('c', [{ cpus: 1 }])];
    const result = createScheduler({ strategy: 'pack' }).place(makeRequest({ vcpus: 2, antiAffinityGroups: ['i:x', 'i:y'] }), hosts);
    if (result.ok) throw new Error('expected no valid host');
    expect(result.explanation.reasonCounts).toEqual({ AntiAffinityFilter: 2, NumaCpuFilter: 1 });
  });
});
