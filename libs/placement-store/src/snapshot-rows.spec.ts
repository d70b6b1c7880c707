import { describe, expect, test } from '@jest/globals';
import { claimRows } from './claim-writer.js';
import { buildSnapshots, type FleetRows } from './snapshot-rows.js';

const H = 'h1';

function rows(overrides: Partial<FleetRows> = {}): FleetRows {
  return {
    hosts: [{ id: H, name: 'host-1', enabled: true, up: true, reservedCpus: [0], pmdQueueCapacity: 2 }],
    cells: [
      { hostId: H, cellId: 0, memoryKb: 8 * 1024 * 1024 },
      { hostId: H, cellId: 1, memoryKb: 8 * 1024 * 1024 },
    ],
    cpus: [0, 1, 2, 3, 4, 5, 6, 7].map((cpuId) => ({ hostId: H, cpuId, numaCell: cpuId < 4 ? 0 : 1 })),
    hugepages: [{ hostId: H, numaCell: 0, pageSizeKb: 2048, total: 1024, free: 1000 }],
    pmdCores: [{ hostId: H, cpuId: 1, numaCell: 0 }],
    vfs: [
      { hostId: H, pciAddress: '0000:3b:02.1', pfPciAddress: '0000:3b:00.0', physnet: 'a', numaCell: 0 },
      { hostId: H, pciAddress: '0000:3b:02.0', pfPciAddress: '0000:3b:00.0', physnet: 'a', numaCell: 0 },
      { hostId: H, pciAddress: '0000:86:02.0', pfPciAddress: '0000:86:00.0', physnet: null, numaCell: 1 },
    ],
    claims: [],
    groups: [],
    ...overrides,
  };
}

describe('buildSnapshots', () => {
  test('reserved and PMD CPUs are never free; VFs of unmapped PFs are not offered', () => {
    const [host] = buildSnapshots(rows());
    expect(host.cells[0].freeCpus).toEqual([2, 3]);
    expect(host.cells[1].freeCpus).toEqual([4, 5, 6, 7]);
    expect(host.cells[0].pmdCores).toEqual([{ cpuId: 1, freeQueueSlots: [0, 1] }]);
    expect(host.cells[0].vfs).toEqual([{ physnet: 'a', free: [{ pciAddress: '0000:3b:02.0', pfPciAddress: '0000:3b:00.0' }, { pciAddress: '0000:3b:02.1', pfPciAddress: '0000:3b:00.0' }] }]);
    expect(host.cells[1].vfs).toEqual([]);
  });

  test('claims take CPUs, queue slots, VFs and memory away', () => {
    const claims = [
      { hostId: H, kind: 'CPU', resourceKey: '3', amount: 1 },
      { hostId: H, kind: 'PMD_QUEUE', resourceKey: '1/0', amount: 1 },
      { hostId: H, kind: 'VF', resourceKey: '0000:3b:02.0', amount: 1 },
      { hostId: H, kind: 'HUGEPAGES', resourceKey: '0/2048', amount: 100 },
      { hostId: H, kind: 'MEMORY', resourceKey: '1', amount: 1000 },
    ];
    const [host] = buildSnapshots(rows({ claims }));
    expect(host.cells[0].freeCpus).toEqual([2]);
    expect(host.cells[0].pmdCores[0].freeQueueSlots).toEqual([1]);
    expect(host.cells[0].vfs[0].free.map((v) => v.pciAddress)).toEqual(['0000:3b:02.1']);
    // min(free at discovery 1000, total 1024 - claimed 100)
    expect(host.cells[0].hugepages).toEqual([{ pageSizeKb: 2048, free: 924 }]);
    // 8 GiB minus 2 GiB of hugepages on cell 0; cell 1 has no pool but 1000 MiB claimed
    expect(host.cells[0].freeMemoryMb).toBe(6144);
    expect(host.cells[1].freeMemoryMb).toBe(8192 - 1000);
  });

  test('totals per cell are counted like the free figures and do not move with claims', () => {
    const claims = [
      { hostId: H, kind: 'CPU', resourceKey: '3', amount: 1 },
      { hostId: H, kind: 'PMD_QUEUE', resourceKey: '1/0', amount: 1 },
      { hostId: H, kind: 'VF', resourceKey: '0000:3b:02.0', amount: 1 },
      { hostId: H, kind: 'VF', resourceKey: '0000:3b:02.1', amount: 1 },
      { hostId: H, kind: 'HUGEPAGES', resourceKey: '0/2048', amount: 100 },
      { hostId: H, kind: 'MEMORY', resourceKey: '1', amount: 1000 },
    ];
    for (const snapshot of [buildSnapshots(rows()), buildSnapshots(rows({ claims }))]) {
      const [cell0, cell1] = snapshot[0].cells;
      // cell 0 has CPUs 0-3: 0 is reserved and 1 is a PMD core; its VFs are both on physnet a
      expect(cell0.totals).toEqual({ cpus: 2, memoryMb: 6144, hugepages: [{ pageSizeKb: 2048, total: 1024 }], pmdQueues: 2, vfs: { a: 2 } });
      // cell 1: CPUs 4-7, no pool, no PMD core, and its one VF's PF has no physnet (never offered)
      expect(cell1.totals).toEqual({ cpus: 4, memoryMb: 8192, hugepages: [], pmdQueues: 0, vfs: {} });
    }
  });

  test('hugepages used outside our claims (free < total) limit what is offered', () => {
    const [host] = buildSnapshots(rows({ hugepages: [{ hostId: H, numaCell: 0, pageSizeKb: 2048, total: 1024, free: 10 }] }));
    expect(host.cells[0].hugepages[0].free).toBe(10);
  });

  test('state, and members per placement group', () => {
    const [host] = buildSnapshots(rows({ hosts: [{ ...rows().hosts[0], enabled: false, up: false }], groups: [{ hostId: H, group: 'vnf-1/fw', members: 2 }] }));
    expect(host).toMatchObject({ enabled: false, up: false });
    expect([...host.groups]).toEqual([['vnf-1/fw', 2]]);
  });

  test("discovery's vhost-user verdict, with its reason; a host never checked has ready null", () => {
    const reason = 'install librte-mempool-ring23, then restart ovs-vswitchd';
    const [broken] = buildSnapshots(rows({ hosts: [{ ...rows().hosts[0], vhostUserReady: false, vhostUserProblem: reason }] }));
    expect(broken.vhostUser).toEqual({ ready: false, reason });
    expect(buildSnapshots(rows())[0].vhostUser).toEqual({ ready: null, reason: null });
  });
});

describe('claimRows', () => {
  test('named resources one row each, memory counted in one row', () => {
    const placement = { hostId: H, cellId: 0, cpus: [2, 3], memoryMb: 2048, hugepages: { pageSizeKb: 2048, count: 1024 }, pmdQueues: [{ cpuId: 1, slot: 0 }], vfs: [{ pciAddress: '0000:3b:02.0', physnet: 'a', cellId: 0, pfPciAddress: '0000:3b:00.0' }], score: 1 };
    expect(claimRows('v1', placement).map((r) => [r.kind, r.resourceKey, r.amount])).toEqual([
      ['CPU', '2', 1],
      ['CPU', '3', 1],
      ['PMD_QUEUE', '1/0', 1],
      ['VF', '0000:3b:02.0', 1],
      ['HUGEPAGES', '0/2048', 1024],
    ]);
    const { hugepages: _, ...small } = placement;
    expect(claimRows('v1', small).at(-1)).toMatchObject({ kind: 'MEMORY', resourceKey: '0', amount: 2048 });
  });
});
