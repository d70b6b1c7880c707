import type { CellSnapshot, HostSnapshot, Placement, VfSnapshot } from './types.js';

// Keeps a caller's in-memory snapshots current without re-reading the database: applyPlacement takes
// the claimed resources out, releasePlacement puts them back. Both return new objects (cells that
// the placement does not touch are shared), never mutate, and refuse rather than guess: claiming
// something that is not free means the snapshot is stale, and silently continuing would let the
// next placement hand out the same resource again.

export class ClaimConflictError extends Error {
  constructor(readonly hostId: string, readonly problems: string[]) {
    super(`placement does not match host ${hostId}: ${problems.join('; ')}`);
    this.name = 'ClaimConflictError';
  }
}

const byNumber = (a: number, b: number): number => a - b;
const byPci = (a: VfSnapshot, b: VfSnapshot): number => (a.pciAddress < b.pciAddress ? -1 : a.pciAddress > b.pciAddress ? 1 : 0);

/** The snapshot with the placement's resources claimed. Throws ClaimConflictError if any is not free. */
export function applyPlacement(host: HostSnapshot, placement: Placement): HostSnapshot {
  return update(host, placement, 'claim');
}

/** The snapshot with the placement's resources free again. Throws ClaimConflictError if any already is. */
export function releasePlacement(host: HostSnapshot, placement: Placement): HostSnapshot {
  return update(host, placement, 'release');
}

type Mode = 'claim' | 'release';

function update(host: HostSnapshot, p: Placement, mode: Mode): HostSnapshot {
  const problems: string[] = [];
  if (p.hostId !== host.hostId) problems.push(`placement is for host ${p.hostId}`);
  const home = host.cells.findIndex((c) => c.cellId === p.cellId);
  if (home < 0) problems.push(`host has no NUMA cell ${p.cellId}`);
  if (problems.length > 0) throw new ClaimConflictError(host.hostId, problems);

  const cells = [...host.cells];
  cells[home] = updateHomeCell(cells[home]!, p, mode, problems);
  // VFs may sit on other cells ('preferred' affinity).
  for (const [i, cell] of cells.entries()) {
    const vfs = p.vfs.filter((vf) => vf.cellId === cell.cellId);
    if (vfs.length > 0) cells[i] = { ...cell, vfs: updateVfs(cell, vfs, mode, problems) };
  }
  for (const vf of p.vfs) {
    if (!host.cells.some((c) => c.cellId === vf.cellId)) problems.push(`VF ${vf.pciAddress} is on unknown NUMA cell ${vf.cellId}`);
  }

  const groups = updateGroups(host.groups, p, mode, problems);
  if (problems.length > 0) throw new ClaimConflictError(host.hostId, problems);
  return { ...host, cells, groups };
}

/** Member counts per group, one more (claim) or one less (release) for each group of the placement. */
function updateGroups(before: HostSnapshot['groups'], p: Placement, mode: Mode, problems: string[]): HostSnapshot['groups'] {
  const anti = p.antiAffinityGroups ?? [];
  const all = [...new Set([...anti, ...(p.affinityGroups ?? []), ...(p.spreadGroup === undefined ? [] : [p.spreadGroup])])];
  if (all.length === 0) return before;
  const groups = new Map(before);
  for (const g of all) {
    const members = groups.get(g) ?? 0;
    if (mode === 'claim' && members > 0 && anti.includes(g)) problems.push(`anti-affinity group ${g} already has a member on the host`);
    if (mode === 'release' && members === 0) problems.push(`group ${g} has no member on the host to release`);
    const after = members + (mode === 'claim' ? 1 : -1);
    if (after > 0) groups.set(g, after);
    else groups.delete(g);
  }
  return groups;
}

function updateHomeCell(cell: CellSnapshot, p: Placement, mode: Mode, problems: string[]): CellSnapshot {
  const numa = `numa ${cell.cellId}`;
  const freeCpus = updateIds(cell.freeCpus, p.cpus, mode, (id) => `CPU ${id} on ${numa}`, problems);
  let { freeMemoryMb, hugepages } = cell;
  if (p.hugepages !== undefined) {
    const { pageSizeKb, count } = p.hugepages;
    hugepages = updatePages(cell, pageSizeKb, count, mode, problems);
  } else if (mode === 'claim') {
    if (freeMemoryMb < p.memoryMb) problems.push(`${numa} has ${freeMemoryMb} MiB of small pages free, placement takes ${p.memoryMb}`);
    freeMemoryMb -= p.memoryMb;
  } else freeMemoryMb += p.memoryMb;

  const pmdCores = cell.pmdCores.map((core) => {
    const slots = p.pmdQueues.filter((q) => q.cpuId === core.cpuId).map((q) => q.slot);
    if (slots.length === 0) return core;
    const what = (slot: number): string => `rx-queue slot ${slot} of PMD core ${core.cpuId}`;
    return { ...core, freeQueueSlots: updateIds(core.freeQueueSlots, slots, mode, what, problems) };
  });
  for (const q of p.pmdQueues) {
    if (!cell.pmdCores.some((core) => core.cpuId === q.cpuId)) problems.push(`${numa} has no PMD core ${q.cpuId}`);
  }
  return { ...cell, freeCpus, freeMemoryMb, hugepages, pmdCores };
}

/** Remove (claim) or add back (release) integer ids, insisting each one was free / taken. */
function updateIds(free: readonly number[], ids: readonly number[], mode: Mode, what: (id: number) => string, problems: string[]): number[] {
  if (ids.length === 0) return [...free];
  const set = new Set(free);
  for (const id of ids) {
    if (mode === 'claim' ? !set.delete(id) : set.has(id)) problems.push(`${what(id)} is ${mode === 'claim' ? 'not free' : 'already free'}`);
    if (mode === 'release') set.add(id);
  }
  return [...set].sort(byNumber);
}

function updatePages(cell: CellSnapshot, sizeKb: number, count: number, mode: Mode, problems: string[]): CellSnapshot['hugepages'] {
  const pools = cell.hugepages.map((hp) => ({ ...hp }));
  if (mode === 'release') {
    const pool = pools.find((hp) => hp.pageSizeKb === sizeKb);
    if (pool === undefined) pools.push({ pageSizeKb: sizeKb, free: count });
    else pool.free += count;
    return pools;
  }
  let left = count;
  for (const pool of pools) {
    if (pool.pageSizeKb !== sizeKb || left === 0) continue;
    const take = Math.min(pool.free, left);
    pool.free -= take;
    left -= take;
  }
  if (left > 0) problems.push(`numa ${cell.cellId} has ${count - left} free ${sizeKb} KiB hugepages, placement takes ${count}`);
  return pools;
}

function updateVfs(cell: CellSnapshot, vfs: Placement['vfs'], mode: Mode, problems: string[]): CellSnapshot['vfs'] {
  const groups = cell.vfs.map((g) => ({ physnet: g.physnet, free: [...g.free] }));
  for (const vf of vfs) {
    const what = `VF ${vf.pciAddress} on physnet ${vf.physnet}`;
    const owner = groups.find((g) => g.physnet === vf.physnet && g.free.some((f) => f.pciAddress === vf.pciAddress));
    if (mode === 'claim') {
      if (owner === undefined) problems.push(`${what} is not free`);
      else owner.free = owner.free.filter((f) => f.pciAddress !== vf.pciAddress);
      continue;
    }
    if (owner !== undefined) {
      problems.push(`${what} is already free`);
      continue;
    }
    let group = groups.find((g) => g.physnet === vf.physnet);
    if (group === undefined) groups.push((group = { physnet: vf.physnet, free: [] }));
    group.free = [...group.free, { pciAddress: vf.pciAddress, pfPciAddress: vf.pfPciAddress }].sort(byPci);
  }
  return groups;
}
