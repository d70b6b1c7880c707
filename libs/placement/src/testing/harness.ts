import { fleetOf, type Fleet } from '../fleet.js';
import { compileRequest, type RequestPlan } from '../plan.js';
import type { FilterPlugin, ScorerPlugin } from '../plugin.js';
import type { HostSnapshot, PlacementRequest } from '../types.js';

// Runs single plugins the way the engine does, for plugin specs.

export function setup(request: PlacementRequest, hosts: readonly HostSnapshot[]): { fleet: Fleet; plan: RequestPlan } {
  const fleet = fleetOf(hosts);
  return { fleet, plan: compileRequest(request, fleet) };
}

/** Surviving cell ids per host after one filter, starting from all cells. */
export function survivors(filter: FilterPlugin, request: PlacementRequest, hosts: readonly HostSnapshot[]): number[][] {
  const { fleet, plan } = setup(request, hosts);
  const cells = fleet.cellMask.slice(0, fleet.size);
  filter.filter(plan, fleet, cells, 0, fleet.size);
  return hosts.map((h, row) => h.cells.filter((_, k) => (cells[row]! & (1 << k)) !== 0).map((c) => c.cellId));
}

/** The explanation a filter gives for a host, given all its cells. */
export function explanation(filter: FilterPlugin, request: PlacementRequest, host: HostSnapshot): string {
  const { fleet, plan } = setup(request, [host]);
  return filter.explain(plan, fleet, 0, fleet.cellMask[0]!);
}

/** A scorer's weighted contribution per host and cell index (all cells as candidates). */
export function ratings(scorer: ScorerPlugin, request: PlacementRequest, hosts: readonly HostSnapshot[]): number[][] {
  const { fleet, plan } = setup(request, hosts);
  const cells = fleet.cellMask.slice(0, fleet.size);
  const totals = new Float64Array(fleet.size * fleet.stride);
  scorer.score(plan, fleet, cells, 0, fleet.size, totals);
  return hosts.map((h, row) => h.cells.map((_, k) => totals[row * fleet.stride + k]!));
}
