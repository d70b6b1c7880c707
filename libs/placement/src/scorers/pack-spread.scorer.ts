import { pickPool, poolTakeMb, singlePoolColumn } from '../plan.js';
import type { ScorerPlugin } from '../plugin.js';

export type Strategy = 'pack' | 'spread';

export interface PackSpreadOptions {
  strategy: Strategy;
  weight?: number;
  /** Free amounts that rate 0.5 ("half roomy"); defaults 32 CPUs and 128 GiB. */
  reference?: { cpus?: number; memoryMb?: number };
}

// Host roominess after the placement: free dedicated CPUs and free memory (small + hugepages) left
// on the host, each mapped through x / (x + reference) to 0..1. 'spread' prefers the roomier host,
// 'pack' the fuller one (Nova's RAM/CPU weighers with a positive or negative multiplier).
// Snapshots carry free resources, not capacity, and a rating may not depend on other hosts (the
// engine caches ratings), hence a fixed reference instead of normalising by the roomiest host.
export function packSpreadScorer(options: PackSpreadOptions): ScorerPlugin {
  const spread = options.strategy === 'spread';
  const weight = options.weight ?? 1;
  const cpuRef = options.reference?.cpus ?? 32;
  const memRef = options.reference?.memoryMb ?? 131072;
  if (!(cpuRef > 0 && memRef > 0)) throw new RangeError('PackSpreadScorer reference amounts must be > 0');
  return {
    name: 'PackSpreadScorer',
    weight,
    score(plan, fleet, cells, from, to, totals) {
      const freeCpus = fleet.hostFreeCpus;
      const memoryMb = fleet.hostMemoryMb;
      const cpuTake = plan.dedicated ? plan.vcpus : 0;
      // With one explicit page size every candidate cell takes the same memory.
      const fixedTake = singlePoolColumn(plan) !== undefined ? poolTakeMb(plan, 0) : -1;
      const stride = fleet.stride;
      for (let row = from; row < to; row++) {
        const mask = cells[row]!;
        if (mask === 0) continue;
        const cpuLeft = Math.max(0, freeCpus[row]! - cpuTake);
        const cpuPart = cpuLeft / (cpuLeft + cpuRef);
        for (let m = mask; m !== 0; m &= m - 1) {
          const slot = row * stride + 31 - Math.clz32(m & -m);
          const take = fixedTake >= 0 ? fixedTake : poolTakeMb(plan, pickPool(plan, fleet, slot));
          const memLeft = Math.max(0, memoryMb[row]! - take);
          const roominess = 0.5 * cpuPart + (0.5 * memLeft) / (memLeft + memRef);
          totals[slot] += weight * (spread ? roominess : 1 - roominess);
        }
      }
    },
  };
}
