import { describe, expect, test } from '@jest/globals';
import { applyPlacement } from './claims.js';
import { createScheduler } from './engine.js';
import { InvalidPlacementRequestError } from './plan.js';
import { makeHost, makeRequest, vfAddress } from './testing/fleet.js';
import type { HostSnapshot, Placement, PlacementResult } from './types.js';

const GiB = 1048576;
const ports = (...physnets: string[]) => physnets.map((physnet) => ({ physnet }));

function placed(result: PlacementResult): Placement {
  if (!result.ok) throw new Error(`expected a placement, got: ${result.explanation.summary}`);
  return result.placement;
}

function rejected(result: PlacementResult) {
  if (result.ok) throw new Error(`expected no valid host, got ${result.placement.hostId}`);
  return result.explanation;
}

describe('scheduler: NUMA alignment', () => {
  const scheduler = createScheduler({ strategy: 'spread' });

  test('enough CPUs on the host but not on one cell is no valid host, with the reason', () => {
    const host = makeHost('split', [{ cpus: 6 }, { cpus: 6 }]);
    const explanation = rejected(scheduler.place(makeRequest({ vcpus: 8 }), [host]));
    expect(explanation.reasonCounts).toEqual({ NumaCpuFilter: 1 });
    expect(explanation.hosts).toEqual([
      {
        hostId: 'id-split',
        name: 'split',
        filter: 'NumaCpuFilter',
        reason: 'numa 0 has 6 free dedicated CPUs, needs 8 (host has 12 across 2 cells; pinned CPUs must share one NUMA cell)',
      },
    ]);
  });

  test('CPUs on one cell and hugepages on the other is no valid host; both cells are explained', () => {
    const host = makeHost('crossed', [
      { cpus: 8, hugepages: [] },
      { cpus: 2, hugepages: [{ pageSizeKb: GiB, free: 16 }] },
    ]);
    const explanation = rejected(scheduler.place(makeRequest({ vcpus: 4, memoryMb: 4096, pageSize: GiB }), [host]));
    expect(explanation.hosts[0]).toMatchObject({ filter: 'MemoryFilter' });
    expect(explanation.hosts[0]!.reason).toBe(
      'numa 0 has 0 free 1 GiB hugepages, needs 4 (4096 MiB) (also NumaCpuFilter: numa 1 has 2 free dedicated CPUs, needs 4)',
    );
  });

  test('PMD capacity must sit on the cell that has the CPUs', () => {
    const host = makeHost('h', [{ cpus: 8, pmd: 0 }, { cpus: 2, pmd: 2 }]);
    const explanation = rejected(scheduler.place(makeRequest({ vcpus: 4, virtioPorts: 2 }), [host]));
    expect(explanation.reasonCounts).toEqual({ PmdCapacityFilter: 1 });
  });

  test("VFs only on the other cell: 'preferred' places with a lower score than a local host", () => {
    const remote = makeHost('a-remote', [{ cpus: 8 }, { cpus: 0, vfs: { 'sriov-a': 4 } }]);
    const local = makeHost('b-local', [{ cpus: 8, vfs: { 'sriov-a': 4 } }, { cpus: 0 }]);
    const request = makeRequest({ vcpus: 4, sriovPorts: ports('sriov-a', 'sriov-a'), vfNumaAffinity: 'preferred' });

    const alone = placed(scheduler.place(request, [remote]));
    expect(alone).toMatchObject({ hostId: 'id-a-remote', cellId: 0 });
    expect(alone.vfs).toEqual([
      { pciAddress: vfAddress(1, 0, 0), physnet: 'sriov-a', cellId: 1, pfPciAddress: '0000:58:00.0' },
      { pciAddress: vfAddress(1, 0, 1), physnet: 'sriov-a', cellId: 1, pfPciAddress: '0000:58:00.0' },
    ]);

    const both = placed(scheduler.place(request, [remote, local]));
    expect(both).toMatchObject({ hostId: 'id-b-local', cellId: 0 });
    expect(both.vfs.every((vf) => vf.cellId === 0)).toBe(true);
    expect(both.score).toBeGreaterThan(alone.score);
  });

  test("VFs only on the other cell: 'required' is no valid host", () => {
    const remote = makeHost('remote', [{ cpus: 8 }, { cpus: 0, vfs: { 'sriov-a': 4 } }]);
    const request = makeRequest({ vcpus: 4, sriovPorts: ports('sriov-a'), vfNumaAffinity: 'required' });
    const explanation = rejected(scheduler.place(request, [remote]));
    expect(explanation.hosts[0]).toMatchObject({ filter: 'SriovFilter' });
    expect(explanation.hosts[0]!.reason).toBe(
      'numa 0 has 0 free VFs on physnet sriov-a, needs 1 (also NumaCpuFilter: numa 1 has 0 free dedicated CPUs, needs 4)',
    );
  });

  test('a mixed preferred request keeps the VFs it can on its own cell', () => {
    const host = makeHost('h', [{ cpus: 8, vfs: { a: 1 } }, { cpus: 0, vfs: { a: 4 } }]);
    const p = placed(scheduler.place(makeRequest({ sriovPorts: ports('a', 'a'), vfNumaAffinity: 'preferred' }), [host]));
    expect(p.vfs.map((vf) => vf.cellId)).toEqual([0, 1]);
  });
});

describe('scheduler: concrete resources', () => {
  const scheduler = createScheduler({ strategy: 'spread' });

  test('lowest CPU ids, whole hugepages, spread PMD queues, lowest VF addresses in port order', () => {
    const host = makeHost('h', [
      {
        cpus: [12, 9, 10, 30, 11],
        hugepages: [{ pageSizeKb: GiB, free: 8 }],
        pmd: [{ cpuId: 2, freeQueueSlots: [0, 1, 2] }, { cpuId: 3, freeQueueSlots: [5, 6, 7, 8] }],
        vfs: { b: 2, a: 3 },
      },
    ]);
    const request = makeRequest({ vcpus: 3, memoryMb: 3072, pageSize: 'large', virtioPorts: 3, sriovPorts: ports('a', 'b', 'a') });
    const p = placed(scheduler.place(request, [host]));
    expect(p.cpus).toEqual([9, 10, 11]);
    expect(p.hugepages).toEqual({ pageSizeKb: GiB, count: 3 });
    expect(p.memoryMb).toBe(3072);
    expect(p.pmdQueues).toEqual([
      { cpuId: 3, slot: 5 },
      { cpuId: 2, slot: 0 },
      { cpuId: 3, slot: 6 },
    ]);
    expect(p.vfs.map((vf) => [vf.physnet, vf.pciAddress])).toEqual([
      ['a', vfAddress(0, 1, 0)],
      ['b', vfAddress(0, 0, 0)],
      ['a', vfAddress(0, 1, 1)],
    ]);
  });

  test('shared guests take no dedicated CPUs; small pages carry no hugepages field', () => {
    const host = makeHost('h', [{ shared: 8 }]);
    const p = placed(scheduler.place(makeRequest({ cpuPolicy: 'shared', vcpus: 2, pageSize: 'small', memoryMb: 1024 }), [host]));
    expect(p.cpus).toEqual([]);
    expect(p.hugepages).toBeUndefined();
  });

  test('anti-affinity: members land on different hosts until none is left', () => {
    let hosts: HostSnapshot[] = ['a', 'b', 'c'].map((name) => makeHost(name, [{ cpus: 16 }]));
    const request = makeRequest({ vcpus: 2, antiAffinityGroups: ['vnf-1'] });
    const chosen: string[] = [];
    for (let i = 0; i < 3; i++) {
      const p = placed(scheduler.place(request, hosts));
      expect(p.antiAffinityGroups).toEqual(['vnf-1']);
      chosen.push(p.hostId);
      hosts = hosts.map((h) => (h.hostId === p.hostId ? applyPlacement(h, p) : h));
    }
    expect(new Set(chosen).size).toBe(3);
    expect(rejected(scheduler.place(request, hosts)).reasonCounts).toEqual({ AntiAffinityFilter: 3 });
    // Another group is unaffected.
    expect(scheduler.place({ ...request, antiAffinityGroups: ['vnf-2'] }, hosts).ok).toBe(true);
  });

  test('candidates counts the hosts that passed every filter', () => {
    const hosts = [makeHost('a', [{}]), makeHost('b', [{}], { enabled: false }), makeHost('c', [{}])];
    const result = scheduler.place(makeRequest(), hosts);
    expect(result.ok && result.candidates).toBe(2);
  });

  test('refuses nonsense requests rather than placing them', () => {
    expect(() => scheduler.place(makeRequest({ vcpus: 0 }), [makeHost('a', [{}])])).toThrow(InvalidPlacementRequestError);
    expect(() => scheduler.place(makeRequest({ pageSize: 'huge' as never }), [makeHost('a', [{}])])).toThrow(/pageSize/);
  });
});

describe('scheduler: strategy and determinism', () => {
  const roomy = makeHost('roomy', [{ cpus: 24, hugepages: [{ pageSizeKb: GiB, free: 64 }] }]);
  const tight = makeHost('tight', [{ cpus: 6, hugepages: [{ pageSizeKb: GiB, free: 6 }] }]);

  test("'spread' picks the emptier host, 'pack' the fuller one", () => {
    expect(placed(createScheduler({ strategy: 'spread' }).place(makeRequest(), [tight, roomy])).hostId).toBe('id-roomy');
    expect(placed(createScheduler({ strategy: 'pack' }).place(makeRequest(), [roomy, tight])).hostId).toBe('id-tight');
  });

  test('equal hosts: the lowest name wins, whatever the input order', () => {
    const names = ['n-07', 'n-03', 'n-11', 'n-01', 'n-05'];
    const hosts = names.map((name) => makeHost(name, [{}, {}]));
    for (const order of [hosts, [...hosts].reverse(), [hosts[2]!, hosts[4]!, hosts[0]!, hosts[3]!, hosts[1]!]]) {
      const p = placed(createScheduler({ strategy: 'spread' }).place(makeRequest(), order));
      expect(p).toMatchObject({ hostId: 'id-n-01', cellId: 0 });
    }
  });

  test('a tie-break offset starts the name order further on (wrapping), so schedulers deciding at once pick different equal hosts', () => {
    const hosts = ['n-07', 'n-03', 'n-11', 'n-01', 'n-05'].map((name) => makeHost(name, [{}, {}]));
    const winner = (offset: number) => placed(createScheduler({ strategy: 'pack', tieBreakOffset: offset }).place(makeRequest(), hosts)).hostId;
    expect([0, 1, 2, 3, 4, 5, -1].map(winner)).toEqual(['id-n-01', 'id-n-03', 'id-n-05', 'id-n-07', 'id-n-11', 'id-n-01', 'id-n-11']);
  });

  test('a tie-break offset never beats a better score', () => {
    expect(placed(createScheduler({ strategy: 'pack', tieBreakOffset: 1 }).place(makeRequest(), [roomy, tight])).hostId).toBe('id-tight');
  });

  test('preferred rows: the best of them wins even when another host scores higher; with none fitting, the best of all', () => {
    const scheduler = createScheduler({ strategy: 'pack' });
    const small = makeHost('small', [{ cpus: 1 }]);
    expect(placed(scheduler.place(makeRequest(), [roomy, tight], { preferRows: Int32Array.of(0) })).hostId).toBe('id-roomy');
    expect(placed(scheduler.place(makeRequest(), [small, roomy, tight], { preferRows: Int32Array.of(0) })).hostId).toBe('id-tight');
    expect(placed(scheduler.place(makeRequest(), [small, roomy, tight], { preferRows: Int32Array.of(0, 1) })).hostId).toBe('id-roomy');
  });

  test('weights are configurable and a weight of 0 turns a scorer off', () => {
    // Without locality the remote-VF host may win on roominess; with it the local one must.
    const remote = makeHost('a', [{ cpus: 24, hugepages: [{ pageSizeKb: GiB, free: 64 }] }, { cpus: 0, vfs: { x: 2 } }]);
    const local = makeHost('b', [{ cpus: 6, hugepages: [{ pageSizeKb: GiB, free: 6 }], vfs: { x: 2 } }]);
    const request = makeRequest({ sriovPorts: ports('x'), vfNumaAffinity: 'preferred' });
    const noLocality = createScheduler({ strategy: 'spread', weights: { numaLocality: 0, strandedCapacity: 0 } });
    expect(placed(noLocality.place(request, [remote, local])).hostId).toBe('id-a');
    const heavyLocality = createScheduler({ strategy: 'spread', weights: { numaLocality: 10 } });
    expect(placed(heavyLocality.place(request, [remote, local])).hostId).toBe('id-b');
  });
});

describe('scheduler: explanations', () => {
  const scheduler = createScheduler({ strategy: 'pack' });

  test('counts the first failing filter per host and summarises the most common first', () => {
    const hosts = [
      ...Array.from({ length: 7 }, (_, i) => makeHost(`cpu-${i}`, [{ cpus: 2, vfs: { a: 4 } }])),
      ...Array.from({ length: 3 }, (_, i) => makeHost(`vf-${i}`, [{ cpus: 8, vfs: { a: 1 } }])),
    ];
    const explanation = rejected(scheduler.place(makeRequest({ vcpus: 4, sriovPorts: ports('a', 'a') }), hosts));
    expect(explanation.summary).toBe('no valid host: 7 of 10 hosts failed NumaCpuFilter, 3 failed SriovFilter');
    expect(explanation.reasonCounts).toEqual({ NumaCpuFilter: 7, SriovFilter: 3 });
    expect(explanation.hosts.find((h) => h.name === 'vf-0')).toEqual({
      hostId: 'id-vf-0',
      name: 'vf-0',
      filter: 'SriovFilter',
      reason: 'numa 0 has 1 free VFs on physnet a, needs 2',
    });
  });

  test('big fleets: the host list is capped and sorted by name, the counts stay exact', () => {
    const hosts = Array.from({ length: 130 }, (_, i) => makeHost(`h-${String(129 - i).padStart(3, '0')}`, [{ cpus: 1 }], { enabled: i % 2 === 0 }));
    const explanation = rejected(scheduler.place(makeRequest({ vcpus: 4 }), hosts));
    expect(explanation.reasonCounts).toEqual({ EnabledFilter: 65, NumaCpuFilter: 65 });
    expect(explanation.hosts).toHaveLength(50);
    expect(explanation.hosts.map((h) => h.name)).toEqual(Array.from({ length: 50 }, (_, i) => `h-${String(i).padStart(3, '0')}`));
    expect(explanation.summary).toContain('(showing the first 50 hosts by name)');
    const small = createScheduler({ strategy: 'pack', explainLimit: 3 });
    expect(rejected(small.place(makeRequest({ vcpus: 4 }), hosts)).hosts).toHaveLength(3);
  });

  test('hosts without NUMA cells and an empty fleet are explained too', () => {
    const bare: HostSnapshot = { ...makeHost('bare', []), cells: [] };
    expect(rejected(scheduler.place(makeRequest(), [bare])).hosts[0]).toMatchObject({
      filter: 'InventoryCheck',
      reason: 'host reports no NUMA cells',
    });
    expect(rejected(scheduler.place(makeRequest(), [])).summary).toBe('no valid host: there are no hosts to place on');
  });
});
