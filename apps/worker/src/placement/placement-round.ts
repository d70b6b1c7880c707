import type { HostList, Placement, PlacementRequest, PlacementResult, Scheduler } from '#vim/placement';
import type { PlaceItem, PlaceResult } from '#vim/placement-queue';
import type { ClaimItem, ClaimOutcome } from '#vim/placement-store';
import type { FleetCache } from './fleet-cache.js';
import type { Part } from './placement-peers.js';

interface OpenItem {
  item: PlaceItem;
  attempts: number;
  /** Hosts where this item's claim lost a race. */
  lost: Set<string>;
  refreshedForNoHost: boolean;
  decided?: Placement;
}

/** Hosts a retry picks from at random. Small on purpose: a large sample's winner would be everyone's. */
const RETRY_SUBSET = 32;

/**
 * A decision for a VM whose claims lost on the hosts in `lost`: first on a random part of the
 * other hosts (Nova's host_subset_size; whoever won is busy where this VM looked), then the best
 * of all other hosts, and a lost host again only when no other fits. Without the middle step a
 * nearly full fleet sent every worker whose random part had no room to the same best host, where
 * they kept finding each other's claims in progress: one job went round 182 times.
 */
export function chooseAwayFrom(scheduler: Scheduler, request: PlacementRequest, hosts: HostList, lost: ReadonlySet<string>): PlacementResult {
  const result = scheduler.place(request, hosts, { preferRows: randomRows(hosts, lost) });
  if (!result.ok || !lost.has(result.placement.hostId)) return result;
  const others = hosts.positionsWhere((h) => !lost.has(h.hostId));
  return others.length > 0 ? scheduler.place(request, hosts, { preferRows: others }) : result;
}

/** Up to RETRY_SUBSET random positions of `hosts`, none of them a host in `lost`. */
function randomRows(hosts: HostList, lost: ReadonlySet<string>): Int32Array {
  const rows = new Set<number>();
  const want = Math.min(RETRY_SUBSET, hosts.length - lost.size);
  for (let tries = 0; rows.size < want && tries < 4 * RETRY_SUBSET; tries++) {
    const row = Math.floor(Math.random() * hosts.length);
    if (!lost.has(hosts.at(row)!.hostId)) rows.add(row);
  }
  return Int32Array.from(rows);
}

/**
 * The VMs of one batch job that are not settled yet. Each round decides every open VM on the
 * worker's picture of the fleet (reserving what it picks, so the batch's VMs never pick the same
 * resource), then the processor claims the decisions together and settles them here: a VM whose
 * claim lost a race stays open and is decided again on fresh data.
 */
export class PlacementRound {
  lastConflict = '';
  private readonly open: Map<string, OpenItem>;

  constructor(
    private readonly fleet: FleetCache,
    private readonly scheduler: Scheduler,
    /** This worker's part of the fleet (PlacementPeers), looked at first. */
    private readonly part: Part,
    items: readonly PlaceItem[],
  ) {
    this.open = new Map(items.map((item) => [item.vduInstanceId, { item, attempts: 0, lost: new Set(), refreshedForNoHost: false }]));
  }

  undecided(): number {
    return this.open.size;
  }

  attemptsOf(vduInstanceId: string): number {
    return this.open.get(vduInstanceId)?.attempts ?? 0;
  }

  /** Decides every open VM; a VM no host can take is answered in `results` and closed. */
  async decide(results: Map<string, PlaceResult>): Promise<void> {
    await this.fleet.current(this.part);
    let resync = false;
    const stale = new Set<string>();
    for (const [vm, open] of this.open) {
      open.attempts++;
      const result = this.choose(open);
      if (!result.ok) {
        // Before saying no, make sure the no is not an old picture's: hosts may have been added
        // or resources released since the last sync.
        if (!open.refreshedForNoHost) {
          open.refreshedForNoHost = resync = true;
          continue;
        }
        results.set(vm, { ok: false, explanation: result.explanation, attempts: open.attempts });
        this.open.delete(vm);
      } else if (this.fleet.reserve(result.placement)) {
        open.decided = result.placement;
      } else {
        this.lastConflict = `the cached picture of host ${result.placement.hostId} no longer had the chosen resources`;
        stale.add(result.placement.hostId);
      }
    }
    if (stale.size > 0) await this.fleet.refreshHosts([...stale]);
    // The part is enough here too: another worker's claim only takes resources away, so missing
    // one cannot turn a yes into a no; releases and new hosts come as changed host rows, everywhere.
    if (resync) await this.fleet.sync(this.part);
  }

  /** First on this worker's part of the fleet, the best of all hosts when the part has no room; after a loss, away from where it lost. */
  private choose(open: OpenItem): PlacementResult {
    const hosts = this.fleet.hosts();
    const { request } = open.item;
    if (open.lost.size > 0) return chooseAwayFrom(this.scheduler, request, hosts, open.lost);
    if (this.part.count === 1) return this.scheduler.place(request, hosts);
    return this.scheduler.place(request, hosts, { preferRows: this.fleet.partRows(this.part) });
  }

  /** The decisions of this round, to claim. */
  takeDecided(): ClaimItem[] {
    const decided: ClaimItem[] = [];
    for (const open of this.open.values()) {
      if (open.decided) decided.push({ vduInstanceId: open.item.vduInstanceId, placement: open.decided });
      open.decided = undefined;
    }
    return decided;
  }

  /** Claimed or placed by an earlier run: closed. Refused or busy: open again, away from that host. */
  async settle(decided: readonly ClaimItem[], outcomes: readonly ClaimOutcome[]): Promise<void> {
    await this.fleet.settle(decided.map((d, k) => ({ ...d, outcome: outcomes[k]! })));
    decided.forEach(({ vduInstanceId, placement }, k) => {
      const outcome = outcomes[k]!;
      if (outcome.claimed || outcome.alreadyPlaced) return;
      this.lastConflict = outcome.reason;
      this.open.get(vduInstanceId)?.lost.add(placement.hostId);
    });
  }

  close(vduInstanceId: string): void {
    this.open.delete(vduInstanceId);
  }
}
