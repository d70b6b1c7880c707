import type { ScorerPlugin } from '../plugin.js';
import { groupSpreadScorer } from './group-spread.scorer.js';
import { numaLocalityScorer } from './numa-locality.scorer.js';
import { packSpreadScorer, type Strategy } from './pack-spread.scorer.js';
import { strandedCapacityScorer } from './stranded-capacity.scorer.js';

export interface ScorerWeights {
  packSpread?: number;
  numaLocality?: number;
  strandedCapacity?: number;
  groupSpread?: number;
}

/**
 * Locality weighs double by default: a VF across the NUMA interconnect costs packet throughput for the
 * VM's whole life, while pack/spread and stranding are fleet-efficiency preferences. Spreading a
 * VDU's VMs outweighs them all: it is about surviving a host failure. A weight of 0 switches a
 * scorer off.
 */
export function defaultScorers(strategy: Strategy, weights: ScorerWeights = {}): ScorerPlugin[] {
  return [
    packSpreadScorer({ strategy, weight: weights.packSpread ?? 1 }),
    numaLocalityScorer({ weight: weights.numaLocality ?? 2 }),
    strandedCapacityScorer({ weight: weights.strandedCapacity ?? 1 }),
    groupSpreadScorer({ weight: weights.groupSpread ?? 10 }),
  ].filter((s) => s.weight !== 0);
}
