import { localVfs } from '../plan.js';
import type { ScorerPlugin } from '../plugin.js';

// With vfNumaAffinity 'preferred' a host may hand out VFs from the other cell; traffic through them
// then crosses the interconnect. Rating = share of the requested VFs that the cell itself can
// supply, so fully local placements win over remote ones. Nothing to prefer (no VFs, or 'required',
// where the filter already made them all local): every cell would rate 1, so the scorer is skipped.
export function numaLocalityScorer(options: { weight?: number } = {}): ScorerPlugin {
  const weight = options.weight ?? 2;
  return {
    name: 'NumaLocalityScorer',
    weight,
    relevant: (plan) => !plan.vfRequired && plan.vfTotal > 0,
    score(plan, fleet, cells, from, to, totals) {
      const stride = fleet.stride;
      const scale = weight / plan.vfTotal;
      for (let row = from; row < to; row++) {
        const mask = cells[row]!;
        if (mask === 0) continue;
        const base = row * stride;
        for (let m = mask; m !== 0; m &= m - 1) {
          const slot = base + 31 - Math.clz32(m & -m);
          totals[slot] += scale * localVfs(plan, slot);
        }
      }
    },
  };
}
