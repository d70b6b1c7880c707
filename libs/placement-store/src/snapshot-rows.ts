import type { CellSnapshot, HostSnapshot } from '#vim/placement';

/** Rows as the loader reads them; building snapshots from them is pure and unit-tested. */
export interface FleetRows {
  hosts: {
    id: string;
    name: string;
    enabled: boolean;
    up: boolean;
    reservedCpus: number[];
    pmdQueueCapacity: number;
    /** Discovery's vhost-user verdict (absent: not loaded, taken as not checked). */
    vhostUserReady?: boolean | null;
    vhostUserProblem?: string | null;
  }[];
  cells: { hostId: string; cellId: number; memoryKb: number }[];
  cpus: { hostId: string; cpuId: number; numaCell: number }[];
  hugepages: { hostId: string; numaCell: number; pageSizeKb: number; total: number; free: number }[];
  pmdCores: { hostId: string; cpuId: number; numaCell: number }[];
  vfs: { hostId: string; pciAddress: string; pfPciAddress: string; physnet: string | null; numaCell: number }[];
  claims: { hostId: string; kind: string; resourceKey: string; amount: number }[];
  /** Members per placement group on each host. */
  groups: { hostId: string; group: string; members: number }[];
}

function byHost<T extends { hostId: string }>(rows: T[]): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const row of rows) {
    const list = map.get(row.hostId);
    if (list) list.push(row);
    else map.set(row.hostId, [row]);
  }
  return map;
}

/**
 * What is free on each host: discovered resources minus the reserved CPUs, the PMD cores and
 * every claim. Hugepages take the smaller of "free at discovery" (other users of the pool) and
 * "total minus our claims" (VMs claimed but not started yet).
 */
export function buildSnapshots(rows: FleetRows): HostSnapshot[] {
  const [cells, cpus, pages, pmds, vfs, claims, groups] = [rows.cells, rows.cpus, rows.hugepages, rows.pmdCores, rows.vfs, rows.claims, rows.groups].map(
    (r) => byHost(r as { hostId: string }[]),
  ) as [
    Map<string, FleetRows['cells']>,
    Map<string, FleetRows['cpus']>,
    Map<string, FleetRows['hugepages']>,
    Map<string, FleetRows['pmdCores']>,
    Map<string, FleetRows['vfs']>,
    Map<string, FleetRows['claims']>,
    Map<string, FleetRows['groups']>,
  ];
  return rows.hosts.map((host) => {
    const claimed = claimsByKind(claims.get(host.id) ?? []);
    const pmdCpus = new Set((pmds.get(host.id) ?? []).map((p) => p.cpuId));
    const reserved = new Set(host.reservedCpus);
    return {
      hostId: host.id,
      name: host.name,
      enabled: host.enabled,
      up: host.up,
      vhostUser: { ready: host.vhostUserReady ?? null, reason: host.vhostUserProblem ?? null },
      groups: new Map((groups.get(host.id) ?? []).map((g) => [g.group, g.members])),
      cells: (cells.get(host.id) ?? []).map((cell) =>
        buildCell(cell, {
          cpus: (cpus.get(host.id) ?? []).filter((c) => c.numaCell === cell.cellId && !reserved.has(c.cpuId) && !pmdCpus.has(c.cpuId)),
          pages: (pages.get(host.id) ?? []).filter((p) => p.numaCell === cell.cellId),
          pmds: (pmds.get(host.id) ?? []).filter((p) => p.numaCell === cell.cellId),
          vfs: (vfs.get(host.id) ?? []).filter((v) => v.numaCell === cell.cellId && v.physnet !== null),
          claimed,
          pmdQueueCapacity: host.pmdQueueCapacity,
        }),
      ),
    };
  });
}

interface Claimed {
  named: Set<string>;
  counted: Map<string, number>;
}

function claimsByKind(claims: FleetRows['claims']): Claimed {
  const named = new Set<string>();
  const counted = new Map<string, number>();
  for (const c of claims) {
    if (c.kind === 'HUGEPAGES' || c.kind === 'MEMORY') counted.set(`${c.kind}:${c.resourceKey}`, (counted.get(`${c.kind}:${c.resourceKey}`) ?? 0) + c.amount);
    else named.add(`${c.kind}:${c.resourceKey}`);
  }
  return { named, counted };
}

function buildCell(
  cell: FleetRows['cells'][number],
  on: { cpus: FleetRows['cpus']; pages: FleetRows['hugepages']; pmds: FleetRows['pmdCores']; vfs: FleetRows['vfs']; claimed: Claimed; pmdQueueCapacity: number },
): CellSnapshot {
  const { named, counted } = on.claimed;
  const freeCpus = on.cpus.map((c) => c.cpuId).filter((id) => !named.has(`CPU:${id}`)).sort((a, b) => a - b);
  const hugepageMb = on.pages.reduce((mb, p) => mb + (p.total * p.pageSizeKb) / 1024, 0);
  const physnets = new Map<string, { pciAddress: string; pfPciAddress: string }[]>();
  for (const vf of on.vfs) {
    if (named.has(`VF:${vf.pciAddress}`)) continue;
    const list = physnets.get(vf.physnet as string) ?? [];
    list.push({ pciAddress: vf.pciAddress, pfPciAddress: vf.pfPciAddress });
    physnets.set(vf.physnet as string, list);
  }
  return {
    cellId: cell.cellId,
    freeCpus,
    sharedCpus: freeCpus.length,
    freeMemoryMb: Math.max(0, Math.floor(cell.memoryKb / 1024 - hugepageMb) - (counted.get(`MEMORY:${cell.cellId}`) ?? 0)),
    hugepages: on.pages.map((p) => ({
      pageSizeKb: p.pageSizeKb,
      free: Math.max(0, Math.min(p.free, p.total - (counted.get(`HUGEPAGES:${cell.cellId}/${p.pageSizeKb}`) ?? 0))),
    })),
    pmdCores: on.pmds.map((p) => ({
      cpuId: p.cpuId,
      freeQueueSlots: Array.from({ length: on.pmdQueueCapacity }, (_, slot) => slot).filter((slot) => !named.has(`PMD_QUEUE:${p.cpuId}/${slot}`)),
    })),
    vfs: [...physnets].map(([physnet, free]) => ({ physnet, free: free.sort((a, b) => (a.pciAddress < b.pciAddress ? -1 : 1)) })),
    totals: {
      cpus: on.cpus.length,
      memoryMb: Math.max(0, Math.floor(cell.memoryKb / 1024 - hugepageMb)),
      hugepages: on.pages.map((p) => ({ pageSizeKb: p.pageSizeKb, total: p.total })),
      pmdQueues: on.pmds.length * on.pmdQueueCapacity,
      vfs: countBy(on.vfs.map((vf) => vf.physnet as string)),
    },
  };
}

function countBy(keys: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const key of keys) counts[key] = (counts[key] ?? 0) + 1;
  return counts;
}
