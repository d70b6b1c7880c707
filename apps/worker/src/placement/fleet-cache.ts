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
  private hosts: HostSnapshot[] = [];
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

  async current(): Promise<readonly HostSnapshot[]> {
    if (Date.now() - this.loadedAt > this.config.PLACEMENT_SNAPSHOT_TTL_MS) await this.reload();
    else if (Date.now() - this.syncedAt > SYNC_INTERVAL_MS) await this.syncClaims();
    return this.hosts;
  }

  /**
   * Rereads the hosts where any worker claimed something lately, so that decisions see the
   * other workers' claims within SYNC_INTERVAL_MS instead of only after losing a race to them.
   * The look-back overlaps the previous sync: a claim commits after its createdAt.
   */
  private syncClaims(): Promise<void> {
    this.syncing ??= (async () => {
      const since = new Date(this.syncedAt - CLAIM_COMMIT_SLACK_MS);
      this.syncedAt = Date.now();
      const rows = (await this.db.query(`SELECT DISTINCT "hostId" FROM resource_claims WHERE "createdAt" > $1`, [since])) as { hostId: string }[];
      if (rows.length > 0) await this.refreshHosts(rows.map((r) => r.hostId));
    })().finally(() => (this.syncing = undefined));
    return this.syncing;
  }

  /** Age of the picture in milliseconds. */
  age(): number {
    return Date.now() - this.loadedAt;
  }

  /** Concurrent callers share one reload. */
  reload(): Promise<void> {
    const started = Date.now();
    this.loading ??= loadSnapshots(this.db)
      .then((hosts) => {
        this.syncedAt = started;
        this.hosts = hosts;
        this.index = new Map(hosts.map((h, i) => [h.hostId, i]));
        this.loadedAt = Date.now();
        for (const p of this.inFlight) this.applyQuietly(p);
      })
      .finally(() => (this.loading = undefined));
    return this.loading;
  }

  refreshHost(hostId: string): Promise<void> {
    return this.refreshHosts([hostId]);
  }

  private async refreshHosts(hostIds: string[]): Promise<void> {
    const fresh = await loadSnapshots(this.db, hostIds);
    if (fresh.length !== hostIds.length || fresh.some((h) => !this.index.has(h.hostId))) return this.reload();
    const hosts = [...this.hosts];
    for (const host of fresh) hosts[this.index.get(host.hostId) as number] = host;
    this.hosts = hosts;
    const touched = new Set(hostIds);
    for (const p of this.inFlight) if (touched.has(p.hostId)) this.applyQuietly(p);
  }

  /** Takes the placement's resources out of the picture; false when the picture no longer has them free. */
  reserve(placement: Placement): boolean {
    const at = this.index.get(placement.hostId);
    if (at === undefined) return false;
    try {
      this.hosts = this.hosts.with(at, applyPlacement(this.hosts[at], placement));
    } catch (error) {
      if (error instanceof ClaimConflictError) return false;
      throw error;
    }
    this.inFlight.add(placement);
    return true;
  }

  /** The claim is written (kept) or refused (the host is reread, dropping the reservation). */
  async settle(placement: Placement, claimed: boolean): Promise<void> {
    this.inFlight.delete(placement);
    if (!claimed) await this.refreshHost(placement.hostId);
  }

  private applyQuietly(placement: Placement): void {
    const at = this.index.get(placement.hostId);
    if (at === undefined) return;
    try {
      this.hosts = this.hosts.with(at, applyPlacement(this.hosts[at], placement));
    } catch {
      // Already in the fresh data (committed meanwhile) or taken by another worker: the claim will tell.
    }
  }
}
