import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { AppConfig } from '#vim/config';
import { preparedQuery } from '#vim/persistence';
import { applyPlacement, ClaimConflictError, HostList, type HostSnapshot, type Placement, releasePlacement } from '#vim/placement';
import { type ClaimOutcome, hostsOfGroups, loadSnapshots } from '#vim/placement-store';
import { type Part, partOf } from './placement-peers.js';

const SYNC_INTERVAL_MS = 500;
const CLAIM_COMMIT_SLACK_MS = 300;
/** Own claims are remembered while a sync's look-back can still find them. */
const OWN_CLAIM_MEMORY_MS = 10_000;

/** A host a sync found changed: a new claim of VM `vm` on it, or (vm null) its host row changed. */
export interface SyncRow {
  hostId: string;
  vm: string | null;
}

/**
 * Of the hosts a sync found changed, those to reread: every changed host row, and hosts with new
 * claims, but not for claims this worker made (`own`: the picture has them) nor, with `part`, for
 * claims outside this worker's part. Those matter only when its part has no room, and the claim
 * written then finds any conflict and rereads that host. Rereading them all cost the 4-worker
 * benchmark more than deciding did.
 */
export function hostsToReread(rows: readonly SyncRow[], own: ReadonlySet<string>, part?: Part): string[] {
  const wanted = rows.filter((r) => r.vm === null || (!own.has(r.vm) && (!part || partOf(r.hostId, part.count) === part.index)));
  return [...new Set(wanted.map((r) => r.hostId))];
}

/**
 * The affinity and anti-affinity groups of the claims refused for a group conflict: their members
 * may sit on hosts the picture shows without them (another worker placed them), and until those
 * are reread every decision would make the same mistake again.
 */
export function groupsInConflict(claims: readonly { placement: Placement; outcome: ClaimOutcome }[]): string[] {
  const groups = claims.flatMap(({ placement: p, outcome }) =>
    !outcome.claimed && outcome.groupConflict ? [...(p.affinityGroups ?? []), ...(p.antiAffinityGroups ?? [])] : [],
  );
  return [...new Set(groups)];
}

/**
 * This worker's picture of the fleet. Reading 10,000 hosts per placement would cost more than the
 * placement itself, so decisions are made on a cached picture that is reloaded when it ages and
 * corrected host by host when a claim finds that another worker got there first. A decision is
 * reserved in the picture before its claim is written, so this worker's concurrent jobs never
 * pick the same resource; the database, not this cache, decides who finally gets it.
 */
@Injectable()
export class FleetCache implements OnApplicationBootstrap {
  private readonly logger = new Logger('placement');
  private snapshots = new HostList([]);
  private index = new Map<string, number>();
  /** partRows' last answer, valid while the positions (index) are the same. */
  private lastPartRows?: { index: Map<string, number>; part: Part; rows: Int32Array };
  private loadedAt = 0;
  private loading?: Promise<void>;
  private syncing?: Promise<void>;
  private syncedAt = 0;
  /** Reserved here, claim not yet written: survives rereads of the host. */
  private readonly inFlight = new Set<Placement>();
  /** Claims this worker wrote lately, by VM: in the picture since their reservation. */
  private readonly ownClaims = new Map<string, { hostId: string; at: number }>();

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  /** A worker that joins loads the fleet before its first job asks: at 10,000 hosts that takes seconds. */
  onApplicationBootstrap(): void {
    const started = Date.now();
    this.reload().then(
      () => this.logger.log(`fleet picture loaded: ${this.snapshots.length} hosts in ${Date.now() - started} ms`),
      (error: unknown) => this.logger.warn(`fleet picture not loaded yet (the first placement retries): ${String(error)}`),
    );
  }

  /**
   * Starts bringing the picture up to date when it is due (reload when old, claim sync every
   * SYNC_INTERVAL_MS) but does not wait for it: a sync takes 100+ ms under load, and every decision
   * waiting on it was the benchmark's p99. Decisions go on with the picture as it is; the claim in
   * Postgres has the last word. Only a worker without a picture waits for its first load.
   * `part`: this worker's part of the fleet, the hosts it decides on first (see PlacementPeers).
   */
  async current(part: Part): Promise<void> {
    if (this.loadedAt === 0) await this.reload();
    else if (Date.now() - this.loadedAt > this.config.PLACEMENT_SNAPSHOT_TTL_MS) this.inBackground(this.reload());
    else if (Date.now() - this.syncedAt > SYNC_INTERVAL_MS) this.inBackground(this.sync(part));
  }

  private inBackground(update: Promise<void>): void {
    update.catch((error: unknown) => this.logger.warn(`fleet picture not brought up to date (the next decision tries again): ${String(error)}`));
  }

  /**
   * The picture as it is now, reservations included: the same list until the next reload, which
   * is what lets the scheduler re-sync only the hosts replaced since its last decision. Changed in
   * place: read it, do not keep it across an await.
   */
  hosts(): HostList {
    return this.snapshots;
  }

  /** The positions in hosts() of the hosts in part `index` of `count` (see partOf). */
  partRows({ index, count }: Part): Int32Array {
    const last = this.lastPartRows;
    if (last?.index === this.index && last.part.index === index && last.part.count === count) return last.rows;
    const rows = this.snapshots.positionsWhere((h) => partOf(h.hostId, count) === index);
    this.lastPartRows = { index: this.index, part: { index, count }, rows };
    return rows;
  }

  /**
   * Rereads the hosts where another worker claimed something lately in this worker's `part`, and
   * hosts registered or changed lately, so that decisions see the other workers' claims
   * and new hosts within SYNC_INTERVAL_MS instead of only after losing a race or at the next reload.
   * The look-back overlaps the previous sync: a claim commits after its createdAt.
   */
  sync(part: Part): Promise<void> {
    this.syncing ??= (async () => {
      const since = new Date(this.syncedAt - CLAIM_COMMIT_SLACK_MS);
      this.syncedAt = Date.now();
      const rows = await preparedQuery<SyncRow>(
        this.db,
        `SELECT DISTINCT "hostId", "vduInstanceId" AS vm FROM resource_claims WHERE "createdAt" > $1
         UNION SELECT id, NULL FROM hosts WHERE "updatedAt" > $1`,
        [since],
      );
      this.forgetOwnClaims((claim) => claim.at < Date.now() - OWN_CLAIM_MEMORY_MS);
      const hostIds = hostsToReread(rows, new Set(this.ownClaims.keys()), part);
      if (hostIds.length > 0) await this.refreshHosts(hostIds);
    })().finally(() => (this.syncing = undefined));
    return this.syncing;
  }

  /** Concurrent callers share one reload. */
  reload(): Promise<void> {
    const started = Date.now();
    this.loading ??= loadSnapshots(this.db)
      .then((hosts) => {
        this.syncedAt = started;
        this.snapshots = new HostList(hosts);
        this.index = new Map(hosts.map((h, i) => [h.hostId, i]));
        this.loadedAt = Date.now();
        for (const p of this.inFlight) this.applyQuietly(p);
        this.forgetOwnClaims((claim) => claim.at >= started);
      })
      .finally(() => (this.loading = undefined));
    return this.loading;
  }

  async refreshHosts(hostIds: string[]): Promise<void> {
    const started = Date.now();
    const fresh = await loadSnapshots(this.db, hostIds);
    if (fresh.length !== hostIds.length || fresh.some((h) => !this.index.has(h.hostId))) return this.reload();
    for (const host of fresh) this.snapshots.set(this.index.get(host.hostId) as number, host);
    const touched = new Set(hostIds);
    for (const p of this.inFlight) if (touched.has(p.hostId)) this.applyQuietly(p);
    this.forgetOwnClaims((claim) => touched.has(claim.hostId) && claim.at >= started);
  }

  /**
   * A read that started before an own claim committed may have missed it, and the claim is no
   * longer in flight to be applied again: forgotten, the next sync rereads its host.
   */
  private forgetOwnClaims(which: (claim: { hostId: string; at: number }) => boolean): void {
    for (const [vm, claim] of this.ownClaims) if (which(claim)) this.ownClaims.delete(vm);
  }

  /** Takes the placement's resources out of the picture; false when the picture no longer has them free. */
  reserve(placement: Placement): boolean {
    if (!this.update(placement.hostId, (host) => applyPlacement(host, placement))) return false;
    this.inFlight.add(placement);
    return true;
  }

  /**
   * Each claim is written (kept), refused (its host is reread, dropping the reservation, and for
   * a group conflict the hosts of the groups' members too) or was not tried because the host was
   * busy (the reservation is handed back; the picture was not shown to be wrong, and the claim
   * sync rereads the host anyway once the other claim commits).
   */
  async settle(claims: readonly { vduInstanceId: string; placement: Placement; outcome: ClaimOutcome }[]): Promise<void> {
    const refused = new Set<string>();
    for (const { vduInstanceId, placement, outcome } of claims) {
      this.inFlight.delete(placement);
      if (outcome.claimed) {
        this.ownClaims.set(vduInstanceId, { hostId: placement.hostId, at: Date.now() });
        continue;
      }
      // A failed hand-back means the host was reread meanwhile and no longer holds the reservation.
      if (outcome.busy) this.update(placement.hostId, (host) => releasePlacement(host, placement));
      else refused.add(placement.hostId);
    }
    const groups = groupsInConflict(claims);
    if (groups.length > 0) for (const host of await hostsOfGroups(this.db, groups)) refused.add(host);
    if (refused.size > 0) await this.refreshHosts([...refused]);
  }

  /** A failure means the reservation is already in fresh data (committed meanwhile) or taken by another worker: the claim will tell. */
  private applyQuietly(placement: Placement): void {
    this.update(placement.hostId, (host) => applyPlacement(host, placement));
  }

  /**
   * Replaces a host of the picture with `change(host)`, in place: the list records the position for
   * the scheduler, and a copy of 10,000 positions per reservation was most of a busy worker's
   * garbage. False when the host is unknown or the change conflicts.
   */
  private update(hostId: string, change: (host: HostSnapshot) => HostSnapshot): boolean {
    const at = this.index.get(hostId);
    if (at === undefined) return false;
    try {
      this.snapshots.set(at, change(this.snapshots.at(at)!));
      return true;
    } catch (error) {
      if (error instanceof ClaimConflictError) return false;
      throw error;
    }
  }
}
