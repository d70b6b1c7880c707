import { describe, expect, test } from '@jest/globals';
import type { HostSnapshot } from '#vim/placement';
import { capacityOf } from './capacity.js';
import { buildSnapshots, type FleetRows } from './snapshot-rows.js';

const H = 'h1';

function rows(claims: FleetRows['claims'] = []): FleetRows {
  return {
    hosts: [{ id: H, name: 'host-1', enabled: true, up: true, reservedCpus: [0], pmdQueueCapacity: 4 }],
    cells: [
      { hostId: H, cellId: 0, memoryKb: 8 * 1024 * 1024 },
      { hostId: H, cellId: 1, memoryKb: 4 * 1024 * 1024 },
    ],
    cpus: [0, 1, 2, 3, 4, 5, 6, 7].map((cpuId) => ({ hostId: H, cpuId, numaCell: cpuId < 4 ? 0 : 1 })),
    hugepages: [
      { hostId: H, numaCell: 0, pageSizeKb: 2048, total: 1024, free: 1024 },
      { hostId: H, numaCell: 0, pageSizeKb: 1048576, total: 2, free: 2 },
    ],
    pmdCores: [
      { hostId: H, cpuId: 1, numaCell: 0 },
      { hostId: H, cpuId: 5, numaCell: 1 },
    ],
    vfs: [
      { hostId: H, pciAddress: '0000:3b:02.0', pfPciAddress: '0000:3b:00.0', physnet: 'a', numaCell: 0 },
      { hostId: H, pciAddress: '0000:3b:02.1', pfPciAddress: '0000:3b:00.0', physnet: 'a', numaCell: 0 },
      { hostId: H, pciAddress: '0000:3c:02.0', pfPciAddress: '0000:3c:00.0', physnet: 'b', numaCell: 0 },
    ],
    claims,
    groups: [],
  };
}

describe('capacityOf', () => {
  test('free and total per cell; an unclaimed host has everything free', () => {
    const [host] = buildSnapshots(rows());
    expect(capacityOf(host)).toEqual([
      {
        cellId: 0,
        freeCpus: 2,
        totalCpus: 2,
        freeMemoryMb: 8192 - 2048 - 2048,
        totalMemoryMb: 8192 - 2048 - 2048,
        freeHugepages: { '2048KiB': 1024, '1048576KiB': 2 },
        totalHugepages: { '2048KiB': 1024, '1048576KiB': 2 },
        freePmdQueues: 4,
        totalPmdQueues: 4,
        freeVfs: { a: 2, b: 1 },
        totalVfs: { a: 2, b: 1 },
      },
      {
        cellId: 1,
        freeCpus: 3,
        totalCpus: 3,
        freeMemoryMb: 4096,
        totalMemoryMb: 4096,
        freeHugepages: {},
        totalHugepages: {},
        freePmdQueues: 4,
        totalPmdQueues: 4,
        freeVfs: {},
        totalVfs: {},
      },
    ]);
  });

  test('claims lower the free figures only; a physnet whose VFs are all claimed shows 0 free', () => {
    const [host] = buildSnapshots(
      rows([
        { hostId: H, kind: 'CPU', resourceKey: '2', amount: 1 },
        { hostId: H, kind: 'PMD_QUEUE', resourceKey: '1/0', amount: 1 },
        { hostId: H, kind: 'PMD_QUEUE', resourceKey: '1/3', amount: 1 },
        { hostId: H, kind: 'VF', resourceKey: '0000:3c:02.0', amount: 1 },
        { hostId: H, kind: 'VF', resourceKey: '0000:3b:02.1', amount: 1 },
        { hostId: H, kind: 'HUGEPAGES', resourceKey: '0/2048', amount: 512 },
        { hostId: H, kind: 'MEMORY', resourceKey: '1', amount: 1000 },
      ]),
    );
    const [cell0, cell1] = capacityOf(host);
    expect(cell0).toMatchObject({
      freeCpus: 1,
      totalCpus: 2,
      freeHugepages: { '2048KiB': 512, '1048576KiB': 2 },
      totalHugepages: { '2048KiB': 1024, '1048576KiB': 2 },
      freePmdQueues: 2,
      totalPmdQueues: 4,
      freeVfs: { a: 1, b: 0 },
      totalVfs: { a: 2, b: 1 },
    });
    expect(cell1).toMatchObject({ freeMemoryMb: 4096 - 1000, totalMemoryMb: 4096 });
  });

  test('the same keys in free and total, also when a pool has nothing free', () => {
    const [host] = buildSnapshots({ ...rows(), hugepages: [{ hostId: H, numaCell: 0, pageSizeKb: 2048, total: 64, free: 0 }] });
    const [cell0] = capacityOf(host);
    expect(cell0.freeHugepages).toEqual({ '2048KiB': 0 });
    expect(cell0.totalHugepages).toEqual({ '2048KiB': 64 });
    for (const cell of capacityOf(host)) {
      expect(Object.keys(cell.freeHugepages).sort()).toEqual(Object.keys(cell.totalHugepages).sort());
      expect(Object.keys(cell.freeVfs).sort()).toEqual(Object.keys(cell.totalVfs).sort());
    }
  });

  test('a snapshot made by hand (no totals) counts what is free as all there is', () => {
    const host: HostSnapshot = {
      hostId: H,
      name: 'hand-made',
      enabled: true,
      up: true,
      groups: new Map(),
      cells: [
        {
          cellId: 0,
          freeCpus: [2, 3],
          sharedCpus: 2,
          freeMemoryMb: 1024,
          hugepages: [{ pageSizeKb: 2048, free: 10 }],
          pmdCores: [{ cpuId: 1, freeQueueSlots: [0, 1] }],
          vfs: [{ physnet: 'a', free: [{ pciAddress: '0000:3b:02.0', pfPciAddress: '0000:3b:00.0' }] }],
        },
      ],
    };
    expect(capacityOf(host)).toEqual([
      {
        cellId: 0,
        freeCpus: 2,
        totalCpus: 2,
        freeMemoryMb: 1024,
        totalMemoryMb: 1024,
        freeHugepages: { '2048KiB': 10 },
        totalHugepages: { '2048KiB': 10 },
        freePmdQueues: 2,
        totalPmdQueues: 2,
        freeVfs: { a: 1 },
        totalVfs: { a: 1 },
      },
    ]);
  });
});
