import { describe, expect, test } from '@jest/globals';
import { applyPlacement, ClaimConflictError, releasePlacement } from './claims.js';
import { createScheduler } from './engine.js';
import { makeHost, makeRequest, vfAddress } from './testing/fleet.js';
import type { Placement } from './types.js';

const GiB = 1048576;

function placementOn(hostId: string, overrides: Partial<Placement> = {}): Placement {
  return { hostId, cellId: 0, cpus: [], memoryMb: 1024, pmdQueues: [], vfs: [], score: 0, ...overrides };
}

describe('applyPlacement / releasePlacement', () => {
  const host = makeHost('h', [
    { cpus: 4, smallMb: 4096, hugepages: [{ pageSizeKb: GiB, free: 4 }], pmd: [{ cpuId: 2, freeQueueSlots: [0, 1] }], vfs: { a: 2 } },
    { cpus: 2, vfs: { a: 2 } },
  ]);
  const p = placementOn('id-h', {
    cpus: [8, 9],
    memoryMb: 2048,
    hugepages: { pageSizeKb: GiB, count: 2 },
    pmdQueues: [{ cpuId: 2, slot: 1 }],
    vfs: [
      { pciAddress: vfAddress(0, 0, 1), physnet: 'a', cellId: 0, pfPciAddress: '0000:18:00.0' },
      { pciAddress: vfAddress(1, 0, 0), physnet: 'a', cellId: 1, pfPciAddress: '0000:58:00.0' },
    ],
    antiAffinityGroups: ['g'],
  });

  test('takes exactly the claimed resources out, on whichever cell they are', () => {
    const after = applyPlacement(host, p);
    const [c0, c1] = after.cells;
    expect(c0!.freeCpus).toEqual([10, 11]);
    expect(c0!.hugepages).toEqual([{ pageSizeKb: GiB, free: 2 }]);
    expect(c0!.freeMemoryMb).toBe(4096); // hugepage-backed: small pages untouched
    expect(c0!.pmdCores).toEqual([{ cpuId: 2, freeQueueSlots: [0] }]);
    expect(c0!.vfs[0]!.free.map((vf) => vf.pciAddress)).toEqual([vfAddress(0, 0, 0)]);
    expect(c1!.vfs[0]!.free.map((vf) => vf.pciAddress)).toEqual([vfAddress(1, 0, 1)]);
    expect(c1!.freeCpus).toEqual(host.cells[1]!.freeCpus);
    expect([...after.groups]).toEqual([['g', 1]]);
  });

  test('does not touch the input snapshot', () => {
    const before = structuredClone(host);
    applyPlacement(host, p);
    expect(host).toEqual(before);
  });

  test('small-page placements take memory from the small-page pool', () => {
    const after = applyPlacement(host, placementOn('id-h', { memoryMb: 1024 }));
    expect(after.cells[0]!.freeMemoryMb).toBe(3072);
    expect(releasePlacement(after, placementOn('id-h', { memoryMb: 1024 })).cells[0]!.freeMemoryMb).toBe(4096);
  });

  test('release is the inverse of apply', () => {
    expect(releasePlacement(applyPlacement(host, p), p)).toEqual(host);
  });

  test('claiming what is not free is refused with every problem listed', () => {
    // (2 of the 4 hugepages are still free, so only the concrete resources conflict.)
    const after = applyPlacement(host, p);
    let error: unknown;
    try {
      applyPlacement(after, p);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ClaimConflictError);
    expect((error as ClaimConflictError).problems).toEqual([
      'CPU 8 on numa 0 is not free',
      'CPU 9 on numa 0 is not free',
      'rx-queue slot 1 of PMD core 2 is not free',
      `VF ${vfAddress(0, 0, 1)} on physnet a is not free`,
      `VF ${vfAddress(1, 0, 0)} on physnet a is not free`,
      'anti-affinity group g already has a member on the host',
    ]);
  });

  test('releasing what is already free is refused', () => {
    expect(() => releasePlacement(host, p)).toThrow(ClaimConflictError);
  });

  test('refuses a placement for another host or an unknown cell', () => {
    expect(() => applyPlacement(host, placementOn('other'))).toThrow(/placement is for host other/);
    expect(() => applyPlacement(host, placementOn('id-h', { cellId: 7 }))).toThrow(/no NUMA cell 7/);
  });

  test('placing, applying and placing again never hands out a resource twice', () => {
    const scheduler = createScheduler({ strategy: 'pack' });
    let hosts = [makeHost('x', [{ cpus: 8, pmd: 2, slotsPerCore: 2, vfs: { a: 4 } }, { cpus: 8, pmd: 1, slotsPerCore: 2, vfs: { a: 4 } }])];
    const request = makeRequest({ vcpus: 2, memoryMb: 1024, virtioPorts: 1, sriovPorts: [{ physnet: 'a' }], vfNumaAffinity: 'preferred' });
    const seen = new Set<string>();
    let placements = 0;
    for (;;) {
      const result = scheduler.place(request, hosts);
      if (!result.ok) break;
      const r = result.placement;
      for (const key of [...r.cpus.map((c) => `cpu ${c}`), ...r.pmdQueues.map((q) => `pmd ${q.cpuId}/${q.slot}`), ...r.vfs.map((v) => v.pciAddress)]) {
        expect(seen.has(key)).toBe(false);
        seen.add(key);
      }
      hosts = [applyPlacement(hosts[0]!, r)];
      placements++;
    }
    // 16 CPUs / 2 = 8 guests, but 6 PMD slots and 8 VFs: PMD capacity runs out first.
    expect(placements).toBe(6);
  });
});
