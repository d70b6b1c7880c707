import { describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import { applyPlacement, releasePlacement } from './claims.js';
import { createScheduler } from './engine.js';
import { pfAddress, vfAddress } from './testing/fleet.js';
import type { CellSnapshot, HostSnapshot, Placement, PlacementRequest } from './types.js';

// Small random fleets and requests: whatever the engine decides must be made of resources that are
// free in the input, each handed out once, and stay that way across apply/place sequences.

const cellArb = (index: number): fc.Arbitrary<CellSnapshot> =>
  fc
    .record({
      cellId: fc.constant(index),
      cpus: fc.uniqueArray(fc.integer({ min: 0, max: 15 }), { maxLength: 10 }),
      shared: fc.integer({ min: 0, max: 6 }),
      smallMb: fc.integer({ min: 0, max: 8192 }),
      huge: fc.uniqueArray(fc.record({ pageSizeKb: fc.constantFrom(2048, 1048576), free: fc.integer({ min: 0, max: 8 }) }), {
        selector: (h) => h.pageSizeKb,
        maxLength: 2,
      }),
      pmd: fc.array(fc.uniqueArray(fc.integer({ min: 0, max: 5 }), { maxLength: 4 }), { maxLength: 3 }),
      vfs: fc.uniqueArray(fc.record({ physnet: fc.constantFrom('a', 'b'), n: fc.integer({ min: 0, max: 4 }) }), {
        selector: (v) => v.physnet,
        maxLength: 2,
      }),
    })
    .map((c) => ({
      cellId: c.cellId,
      // Ids unique per host: CPUs offset per cell, PMD cores above them, VF addresses by cell/PF.
      freeCpus: c.cpus.map((cpu) => index * 16 + cpu),
      sharedCpus: c.shared,
      freeMemoryMb: c.smallMb,
      hugepages: c.huge,
      pmdCores: c.pmd.map((slots, i) => ({ cpuId: 100 + index * 4 + i, freeQueueSlots: slots })),
      vfs: c.vfs.map((v, pf) => ({
        physnet: v.physnet,
        free: Array.from({ length: v.n }, (_, k) => ({ pciAddress: vfAddress(index, pf, k), pfPciAddress: pfAddress(index, pf) })),
      })),
    }));

const hostArb = (name: string): fc.Arbitrary<HostSnapshot> =>
  fc
    .record({
      cells: fc.integer({ min: 1, max: 3 }).chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => cellArb(i)))),
      enabled: fc.integer({ min: 0, max: 5 }).map((n) => n > 0),
      groups: fc.subarray(['g1', 'g2']),
    })
    .map((h) => ({ hostId: `id-${name}`, name, enabled: h.enabled, up: true, cells: h.cells, groups: new Map(h.groups.map((g) => [g, 1])) }));

const fleetArb = fc.integer({ min: 1, max: 5 }).chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => hostArb(`h${i}`))));

const requestArb: fc.Arbitrary<PlacementRequest> = fc.record({
  requestId: fc.constant('r'),
  vcpus: fc.integer({ min: 1, max: 6 }),
  cpuPolicy: fc.constantFrom('dedicated' as const, 'shared' as const),
  memoryMb: fc.constantFrom(512, 1024, 1536, 2048, 4096),
  pageSize: fc.constantFrom('small' as const, 'large' as const, 'any' as const, 2048, 1048576),
  virtioPorts: fc.integer({ min: 0, max: 3 }),
  sriovPorts: fc.array(fc.record({ physnet: fc.constantFrom('a', 'b', 'c') }), { maxLength: 3 }),
  vfNumaAffinity: fc.constantFrom('required' as const, 'preferred' as const),
  antiAffinityGroups: fc.option(fc.subarray(['g1', 'g2']), { nil: undefined }),
  affinityGroups: fc.option(fc.subarray(['g1', 'g2', 'g3'], { minLength: 1 }), { nil: undefined }),
  spreadGroup: fc.option(fc.constantFrom('g1', 'g2', 'g3'), { nil: undefined }),
});

/** Affinity: where a group of the request has members, the chosen host holds members of each such group. */
function assertAffinity(hosts: readonly HostSnapshot[], r: PlacementRequest, chosen: HostSnapshot): void {
  for (const g of r.affinityGroups ?? []) if (hosts.some((h) => h.groups.has(g))) expect(chosen.groups.has(g)).toBe(true);
}

/** Every resource of `p` must be free in `host`; returns them as strings to check uniqueness. */
function assertFreeIn(host: HostSnapshot, r: PlacementRequest, p: Placement): string[] {
  expect(host.enabled && host.up).toBe(true);
  for (const g of r.antiAffinityGroups ?? []) expect(host.groups.has(g)).toBe(false);
  const cell = host.cells.find((c) => c.cellId === p.cellId)!;
  expect(p.cpus).toHaveLength(r.cpuPolicy === 'dedicated' ? r.vcpus : 0);
  for (const cpu of p.cpus) expect(cell.freeCpus).toContain(cpu);
  if (p.hugepages) {
    const pool = cell.hugepages.find((h) => h.pageSizeKb === p.hugepages!.pageSizeKb)!;
    expect(p.hugepages.count).toBe(Math.ceil((r.memoryMb * 1024) / p.hugepages.pageSizeKb));
    expect(pool.free).toBeGreaterThanOrEqual(p.hugepages.count);
  } else {
    expect(r.pageSize === 'small' || r.pageSize === 'any').toBe(true);
    expect(cell.freeMemoryMb).toBeGreaterThanOrEqual(r.memoryMb);
  }
  expect(p.pmdQueues).toHaveLength(r.virtioPorts);
  for (const q of p.pmdQueues) expect(cell.pmdCores.find((c) => c.cpuId === q.cpuId)?.freeQueueSlots).toContain(q.slot);
  expect(p.vfs.map((v) => v.physnet)).toEqual(r.sriovPorts.map((s) => s.physnet));
  for (const vf of p.vfs) {
    if (r.vfNumaAffinity === 'required') expect(vf.cellId).toBe(p.cellId);
    const owner = host.cells.find((c) => c.cellId === vf.cellId)!;
    const free = owner.vfs.filter((g) => g.physnet === vf.physnet).flatMap((g) => g.free.map((f) => f.pciAddress));
    expect(free).toContain(vf.pciAddress);
  }
  const keys = [...p.cpus.map((c) => `cpu:${c}`), ...p.pmdQueues.map((q) => `pmd:${q.cpuId}/${q.slot}`), ...p.vfs.map((v) => `vf:${v.pciAddress}`)];
  expect(new Set(keys).size).toBe(keys.length);
  return keys.map((k) => `${host.hostId} ${k}`);
}

/** Free lists sorted, so snapshots compare by content. */
function normalized(host: HostSnapshot) {
  return {
    ...host,
    groups: [...host.groups].sort(([a], [b]) => (a < b ? -1 : 1)),
    cells: host.cells.map((c) => ({
      ...c,
      freeCpus: [...c.freeCpus].sort((x, y) => x - y),
      pmdCores: c.pmdCores.map((p) => ({ ...p, freeQueueSlots: [...p.freeQueueSlots].sort((x, y) => x - y) })),
      vfs: c.vfs.map((g) => ({ ...g, free: [...g.free].sort((x, y) => (x.pciAddress < y.pciAddress ? -1 : 1)) })),
    })),
  };
}

describe('placement properties', () => {
  test('a placement only uses resources free in the input, each once; rejections count every host', () => {
    fc.assert(
      fc.property(fleetArb, requestArb, (hosts, request) => {
        const result = createScheduler({ strategy: 'spread' }).place(request, hosts);
        if (result.ok) {
          const chosen = hosts.find((h) => h.hostId === result.placement.hostId)!;
          assertFreeIn(chosen, request, result.placement);
          assertAffinity(hosts, request, chosen);
        } else expect(Object.values(result.explanation.reasonCounts).reduce((a, b) => a + b, 0)).toBe(hosts.length);
      }),
      { numRuns: 400 },
    );
  });

  test('place + applyPlacement sequences never hand out a resource twice, cached or not', () => {
    fc.assert(
      fc.property(fleetArb, fc.array(requestArb, { minLength: 1, maxLength: 10 }), fc.constantFrom('pack' as const, 'spread' as const), (start, requests, strategy) => {
        const cached = createScheduler({ strategy });
        const uncached = createScheduler({ strategy, shapeCacheSize: 0 });
        let hosts = start;
        const handedOut = new Set<string>();
        for (const request of requests) {
          const result = cached.place(request, hosts);
          // The shape cache and a fresh full evaluation must agree exactly.
          expect(uncached.place(request, hosts)).toEqual(result);
          expect(createScheduler({ strategy }).place(request, [...hosts])).toEqual(result);
          if (!result.ok) continue;
          const at = hosts.findIndex((h) => h.hostId === result.placement.hostId);
          for (const key of assertFreeIn(hosts[at]!, request, result.placement)) {
            expect(handedOut.has(key)).toBe(false);
            handedOut.add(key);
          }
          hosts = hosts.with(at, applyPlacement(hosts[at]!, result.placement));
        }
      }),
      { numRuns: 200 },
    );
  });

  test('the outcome does not depend on the order of the hosts', () => {
    fc.assert(
      fc.property(fleetArb, requestArb, fc.infiniteStream(fc.nat()), (hosts, request, keys) => {
        const shuffled = hosts.map((h) => ({ h, k: keys.next().value as number })).sort((a, b) => a.k - b.k).map((x) => x.h);
        const a = createScheduler({ strategy: 'pack' }).place(request, hosts);
        const b = createScheduler({ strategy: 'pack' }).place(request, shuffled);
        expect(b).toEqual(a);
      }),
      { numRuns: 300 },
    );
  });

  test('releasePlacement undoes applyPlacement', () => {
    fc.assert(
      fc.property(fleetArb, requestArb, (hosts, request) => {
        const result = createScheduler({ strategy: 'spread' }).place(request, hosts);
        if (!result.ok) return;
        const host = hosts.find((h) => h.hostId === result.placement.hostId)!;
        const back = releasePlacement(applyPlacement(host, result.placement), result.placement);
        expect(normalized(back)).toEqual(normalized(host));
      }),
      { numRuns: 300 },
    );
  });
});
