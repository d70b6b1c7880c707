import type { FleetView } from '../fleet.js';
import { localVfs, singlePoolColumn, type RequestPlan } from '../plan.js';
import type { ScorerPlugin } from '../plugin.js';

// Stranded capacity: a cell left with 12 free CPUs and no memory (or memory but no PMD slots, or VFs
// but no CPUs) can host nothing more, and the leftovers are wasted. For each resource the request
// consumes (dedicated CPUs, its memory pool, PMD slots, VFs on the cell) we take the share of what
// is free now that stays free after this placement; the rating is 1 - (max - min) of those shares,
// so the cell whose leftovers stay in proportion wins. Resources the request does not consume are
// left out on purpose: counting them (their share stays 1) would make every small cell look
// stranded and turn this scorer into a hidden 'spread' that overrides the operator's strategy.
export function strandedCapacityScorer(options: { weight?: number } = {}): ScorerPlugin {
  const weight = options.weight ?? 1;
  return {
    name: 'StrandedCapacityScorer',
    weight,
    score(plan, fleet, cells, from, to, totals) {
      const stride = fleet.stride;
      // Hoisted per-request constants: this runs for every candidate cell of the fleet.
      const freeCpus = fleet.freeCpus;
      const pmdSlots = fleet.pmdSlots;
      const vfTotal = fleet.vfTotal;
      const cpuTake = plan.dedicated ? plan.vcpus : 0;
      const ports = plan.virtioPorts;
      const hasVfs = plan.vfTotal > 0;
      const single = singlePoolColumn(plan);
      const pages = single === undefined ? 0 : plan.huge[0]!.pages;
      for (let row = from; row < to; row++) {
        const mask = cells[row]!;
        if (mask === 0) continue;
        const base = row * stride;
        for (let m = mask; m !== 0; m &= m - 1) {
          const slot = base + 31 - Math.clz32(m & -m);
          const cpu = cpuTake > 0 ? leftShare(freeCpus[slot]!, cpuTake) : -1;
          // One explicit page size: the share of pages left, straight from the column.
          const mem = single !== undefined ? leftShare(single[slot]!, pages) : memShare(plan, fleet, slot);
          const pmd = ports > 0 ? leftShare(pmdSlots[slot]!, ports) : -1;
          const vf = hasVfs ? leftShare(vfTotal[slot]!, localVfs(plan, slot)) : -1;
          totals[slot] += weight * spreadOf(cpu, mem, pmd, vf);
        }
      }
    },
  };
}

/** -1 marks "none there"; unrolled rather than a loop over an array: hot path. */
function spreadOf(cpu: number, mem: number, pmd: number, vf: number): number {
  let hi = -1;
  let lo = 2;
  if (cpu >= 0) {
    hi = cpu;
    lo = cpu;
  }
  if (mem >= 0) {
    if (mem > hi) hi = mem;
    if (mem < lo) lo = mem;
  }
  if (pmd >= 0) {
    if (pmd > hi) hi = pmd;
    if (pmd < lo) lo = pmd;
  }
  if (vf >= 0) {
    if (vf > hi) hi = vf;
    if (vf < lo) lo = vf;
  }
  return hi < 0 ? 1 : 1 - (hi - lo);
}

/** Share of the chosen memory pool left (pickPool's choice, inlined: pages left / pages free). */
function memShare(plan: RequestPlan, fleet: FleetView, slot: number): number {
  const huge = plan.huge;
  for (let j = 0; j < huge.length; j++) {
    const free = huge[j]!.column[slot]!;
    if (free >= huge[j]!.pages) return leftShare(free, huge[j]!.pages);
  }
  const small = fleet.smallMb[slot]!;
  return plan.smallOk && small >= plan.memoryMb ? leftShare(small, plan.memoryMb) : -1;
}

/** Share of `free` still free after using `used`; -1 (left out) when there is none. */
function leftShare(free: number, used: number): number {
  return free > 0 ? Math.max(0, free - used) / free : -1;
}
