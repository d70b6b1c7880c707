import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { AppConfig } from '../../../../libs/config/src/index.js';
import { applyPlacement, ClaimConflictError, type HostSnapshot, type Placement } from '../../../../libs/placement/src/index.js';
import { loadSnapshots } from '../../../../libs/placement-store/src/index.js';

/**
 * This worker's picture of the fleet. Reading 10,000 hosts per placement would cost more than the
 * placement itself, so decisions are made on a cached picture that is reloaded when it ages, kept
 * current with this worker's own claims, and corrected host by host when a claim finds that
 * another worker got there first. The database, not this cache, decides who gets a resource.
 */
@Injectable()
export class FleetCache {
  private hosts: HostSnapshot[] = [];
  private index = new Map<string, number>();
  private loadedAt = 0;
  private loading?: Promise<void>;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  async current(): Promise<readonly HostSnapshot[]> {
    if (Date.now() - this.loadedAt > this.config.PLACEMENT_SNAPSHOT_TTL_MS) await this.reload();
    return this.hosts;
  }

  /** Age of the picture in milliseconds. */
  age(): number {
    return Date.now() - this.loadedAt;
  }

  /** Concurrent callers share one reload. */
  reload(): Promise<void> {
    this.loading ??= loadSnapshots(this.db)
      .then((hosts) => {
        this.hosts = hosts;
        this.index = new Map(hosts.map((h, i) => [h.hostId, i]));
        this.loadedAt = Date.now();
      })
      .finally(() => (this.loading = undefined));
    return this.loading;
  }

  async refreshHost(hostId: string): Promise<void> {
    const [fresh] = await loadSnapshots(this.db, [hostId]);
    const at = this.index.get(hostId);
    if (at === undefined || !fresh) return this.reload();
    this.hosts = this.hosts.with(at, fresh);
  }

  /** Records this worker's own claim; a mismatch means the picture is stale, so that host is reread. */
  async apply(placement: Placement): Promise<void> {
    const at = this.index.get(placement.hostId);
    if (at === undefined) return;
    try {
      this.hosts = this.hosts.with(at, applyPlacement(this.hosts[at], placement));
    } catch (error) {
      if (!(error instanceof ClaimConflictError)) throw error;
      await this.refreshHost(placement.hostId);
    }
  }
}
