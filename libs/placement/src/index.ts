// Placement: a pure filter/score engine (no framework, no I/O). The integrator maps inventory rows
// into HostSnapshot, calls place(), claims the returned Placement in Postgres, and keeps its
// in-memory snapshots current with applyPlacement / releasePlacement.
export type {
  CellSnapshot, CellTotals, HostSnapshot, NoValidHost, NumaAffinity, PageSize, PinningPolicy, PlacedVf, Placement, PlacementRequest,
  PlacementResult, VfSnapshot,
} from './types.js';
export { createScheduler, type PlaceOptions, type Scheduler, type SchedulerOptions } from './engine.js';
export { applyPlacement, ClaimConflictError, releasePlacement } from './claims.js';
export { HostList } from './host-list.js';
export { InvalidPlacementRequestError } from './plan.js';
export { INVENTORY_CHECK } from './explain.js';
// For custom chains and weights.
export type { FilterPlugin, ScorerPlugin } from './plugin.js';
export type { FleetView } from './fleet.js';
export type { RequestPlan } from './plan.js';
export { defaultFilters } from './filters/defaults.js';
export { enabledFilter } from './filters/enabled.filter.js';
export { antiAffinityFilter } from './filters/anti-affinity.filter.js';
export { affinityFilter } from './filters/affinity.filter.js';
export { numaCpuFilter } from './filters/numa-cpu.filter.js';
export { memoryFilter } from './filters/memory.filter.js';
export { pmdCapacityFilter } from './filters/pmd-capacity.filter.js';
export { sriovFilter } from './filters/sriov.filter.js';
export { vhostUserReadyFilter } from './filters/vhost-user-ready.filter.js';
export { defaultScorers, type ScorerWeights } from './scorers/defaults.js';
export { packSpreadScorer, type Strategy } from './scorers/pack-spread.scorer.js';
export { numaLocalityScorer } from './scorers/numa-locality.scorer.js';
export { strandedCapacityScorer } from './scorers/stranded-capacity.scorer.js';
export { groupSpreadScorer } from './scorers/group-spread.scorer.js';
