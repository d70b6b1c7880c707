import type { FleetView } from './fleet.js';
import { pickPool, POOL_NONE, type RequestPlan } from './plan.js';
import type { CellSnapshot, HostSnapshot, PlacedVf, Placement, VfSnapshot } from './types.js';

// Turns the winning (host, cell) into concrete resources. Runs once per placement, so it may sort
// and allocate; it must be deterministic because two workers placing the same request against the
// same snapshot must ask the database for the same rows (the unique claim rows then arbitrate).

const byNumber = (a: number, b: number): number => a - b;
const byPci = (a: VfSnapshot, b: VfSnapshot): number => (a.pciAddress < b.pciAddress ? -1 : a.pciAddress > b.pciAddress ? 1 : 0);

export function selectResources(plan: RequestPlan, fleet: FleetView, row: number, slot: number, score: number): Placement {
  const host = fleet.hosts[row]!;
  const cell = host.cells[slot - row * fleet.stride]!;
  const pool = pickPool(plan, fleet, slot);
  if (pool === POOL_NONE) {
    throw new Error(`cell ${cell.cellId} of ${host.name} passed the filters but has no memory for the request (MemoryFilter missing from the chain?)`);
  }
  const placement: Placement = {
    hostId: host.hostId,
    cellId: cell.cellId,
    // Lowest ids: the snapshot has no sibling (SMT) topology, so there is nothing better to align to.
    cpus: plan.dedicated ? [...new Set(cell.freeCpus)].sort(byNumber).slice(0, plan.vcpus) : [],
    memoryMb: plan.memoryMb,
    pmdQueues: selectPmdQueues(cell, plan.virtioPorts),
    vfs: selectVfs(plan, host, cell),
    score,
  };
  if (pool >= 0) placement.hugepages = { pageSizeKb: plan.huge[pool]!.pageSizeKb, count: plan.huge[pool]!.pages };
  if (plan.antiAffinityGroups.length > 0) placement.antiAffinityGroups = [...plan.antiAffinityGroups];
  if (plan.affinityGroups.length > 0) placement.affinityGroups = [...plan.affinityGroups];
  if (plan.spreadGroup !== undefined) placement.spreadGroup = plan.spreadGroup;
  return placement;
}

/**
 * Each queue goes to the PMD core with the most free slots left (lowest cpu id on ties), taking its
 * lowest free slot: queues of one VM spread over the cell's PMD cores instead of piling onto one.
 */
export function selectPmdQueues(cell: CellSnapshot, ports: number): { cpuId: number; slot: number }[] {
  if (ports === 0) return [];
  const cores = cell.pmdCores
    .map((core) => ({ cpuId: core.cpuId, slots: [...new Set(core.freeQueueSlots)].sort(byNumber), next: 0 }))
    .sort((a, b) => a.cpuId - b.cpuId);
  const out: { cpuId: number; slot: number }[] = [];
  for (let port = 0; port < ports; port++) {
    let best: (typeof cores)[number] | undefined;
    for (const core of cores) {
      const left = core.slots.length - core.next;
      if (left > 0 && (best === undefined || left > best.slots.length - best.next)) best = core;
    }
    if (best === undefined) throw new Error('not enough free PMD queue slots on the chosen cell (PmdCapacityFilter missing from the chain?)');
    out.push({ cpuId: best.cpuId, slot: best.slots[best.next++]! });
  }
  return out;
}

/**
 * Per physnet the lowest PCI addresses of the VM's cell first; with 'preferred' the rest from the
 * other cells (again lowest address first). Returned in the request's port order.
 */
export function selectVfs(plan: RequestPlan, host: HostSnapshot, cell: CellSnapshot): PlacedVf[] {
  if (plan.vfTotal === 0) return [];
  const queues = new Map<string, PlacedVf[]>();
  for (const need of plan.vfNeeds) {
    const local = freeVfs(cell, need.physnet).sort(byPci);
    const chosen = local.slice(0, need.count).map((vf) => placed(vf, need.physnet, cell.cellId));
    if (chosen.length < need.count && !plan.vfRequired) {
      const remote = host.cells
        .filter((other) => other !== cell)
        .flatMap((other) => freeVfs(other, need.physnet).map((vf) => ({ vf, cellId: other.cellId })))
        .sort((a, b) => byPci(a.vf, b.vf));
      for (const r of remote.slice(0, need.count - chosen.length)) chosen.push(placed(r.vf, need.physnet, r.cellId));
    }
    if (chosen.length < need.count) throw new Error(`not enough free VFs on physnet ${need.physnet} (SriovFilter missing from the chain?)`);
    queues.set(need.physnet, chosen);
  }
  return plan.request.sriovPorts.map((port) => queues.get(port.physnet)!.shift()!);
}

function freeVfs(cell: CellSnapshot, physnet: string): VfSnapshot[] {
  const out = new Map<string, VfSnapshot>();
  for (const group of cell.vfs) if (group.physnet === physnet) for (const vf of group.free) out.set(vf.pciAddress, vf);
  return [...out.values()];
}

function placed(vf: VfSnapshot, physnet: string, cellId: number): PlacedVf {
  return { pciAddress: vf.pciAddress, physnet, cellId, pfPciAddress: vf.pfPciAddress };
}
