import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { AppConfig } from '../../../../libs/config/src/index.js';
import { applyPlacement, ClaimConflictError, type HostSnapshot, type Placement } from '../../../../libs/placement/src/index.js';
import { loadSnapshots } from '../../../../libs/placement-store/src/index.js';

/**
 * This worker's picture of the fleet. Reading 10,000 hosts per placement would cost more than the
 * placement itself, so decisions are made on a cached picture that is reloaded when it ages and
 * corrected host by host when a claim finds that another worker got there first. A decision is
 * reserved in the picture before its claim is written, so this worker's concurrent jobs never
 * pick the same resource; the database, not this cache, decides who finally gets it.
 */
const SYNC_INTERVAL_MS = 100;
const CLAIM_COMMIT_SLACK_MS = 300;

@Injectable()
export class FleetCache {
  private snapshots: HostSnapshot[] = [];
  private index = new Map<string, number>();
  private loadedAt = 0;
  private loading?: Promise<void>;
  private syncing?: Promise<void>;
  private syncedAt = 0;
  /** Reserved here, claim not yet written: survives rereads of the host. */
  private readonly inFlight = new Set<Placement>();

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  /** Brings the picture up to date when it is due (reload when old, claim sync every SYNC_INTERVAL_MS). */
  async current(): Promise<readonly HostSnapshot[]> {
    if (Date.now() - this.loadedAt > this.config.PLACEMENT_SNAPSHOT_TTL_MS) await this.reload();
    else if (Date.now() - this.syncedAt > SYNC_INTERVAL_MS) await this.sync();
    return this.snapshots;
  }

  /** The picture as it is now, reservations included. */
  hosts(): readonly HostSnapshot[] {
    return this.snapshots;
  }

  /**
   * Rereads the hosts where any worker claimed something lately, and hosts registered or changed
   * lately, so that decisions see the other workers' claims and new hosts within SYNC_INTERVAL_MS
   * instead of only after losing a race or at the next reload.
   * The look-back overlaps the previous sync: a claim commits after its createdAt.
   */
  sync(): Promise<void> {
    this.syncing ??= (async () => {
      const since = new Date(this.syncedAt - CLAIM_COMMIT_SLACK_MS);
      this.syncedAt = Date.now();
      const rows = (await this.db.query(
        `SELECT "hostId" FROM resource_claims WHERE "createdAt" > $1 UNION SELECT id FROM hosts WHERE "updatedAt" > $1`,
        [since],
      )) as { hostId: string }[];
      if (rows.length > 0) await this.refreshHosts(rows.map((r) => r.hostId));
    })().finally(() => (this.syncing = undefined));
    return this.syncing;
  }

  /** Concurrent callers share one reload. */
  reload(): Promise<void> {
    const started = Date.now();
    this.loading ??= loadSnapshots(this.db)
      .then((hosts) => {
        this.syncedAt = started;
        this.snapshots = hosts;
        this.index = new Map(hosts.map((h, i) => [h.hostId, i]));
        this.loadedAt = Date.now();
        for (const p of this.inFlight) this.applyQuietly(p);
      })
      .finally(() => (this.loading = undefined));
    return this.loading;
  }

  async refreshHosts(hostIds: string[]): Promise<void> {
    const fresh = await loadSnapshots(this.db, hostIds);
    if (fresh.length !== hostIds.length || fresh.some((h) => !this.index.has(h.hostId))) return this.reload();
    const hosts = [...this.snapshots];
    for (const host of fresh) hosts[this.index.get(host.hostId) as number] = host;
    this.snapshots = hosts;
    const touched = new Set(hostIds);
    for (const p of this.inFlight) if (touched.has(p.hostId)) this.applyQuietly(p);
  }

  /** Takes the placement's resources out of the picture; false when the picture no longer has them free. */
  reserve(placement: Placement): boolean {
    const at = this.index.get(placement.hostId);
    if (at === undefined) return false;
    try {
      this.snapshots = this.snapshots.with(at, applyPlacement(this.snapshots[at], placement));
    } catch (error) {
      if (error instanceof ClaimConflictError) return false;
      throw error;
    }
    this.inFlight.add(placement);
    return true;
  }

  /** Each claim is written (kept) or refused (its host is reread, dropping the reservation). */
  async settle(claims: readonly { placement: Placement; claimed: boolean }[]): Promise<void> {
    for (const { placement } of claims) this.inFlight.delete(placement);
    const refused = new Set(claims.filter((c) => !c.claimed).map((c) => c.placement.hostId));
    if (refused.size > 0) await this.refreshHosts([...refused]);
  }

  private applyQuietly(placement: Placement): void {
    const at = this.index.get(placement.hostId);
    if (at === undefined) return;
    try {
      this.snapshots = this.snapshots.with(at, applyPlacement(this.snapshots[at], placement));
    } catch {
      // Already in the fresh data (committed meanwhile) or taken by another worker: the claim will tell.
    }
  }
}
