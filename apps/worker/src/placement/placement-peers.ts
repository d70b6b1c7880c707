import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { AppConfig } from '../../../../libs/config/src/index.js';
import { RedisClient } from '../../../../libs/platform/src/index.js';

const BEAT_MS = 2_000;
/** A worker missing this long is counted out; its part of the fleet goes to the others. */
const LEASE_MS = 6_000;

/**
 * The placement workers consuming this queue, and this one's position among them. Each worker
 * looks first at its own part of the fleet (see `ownsHost`), so concurrent workers rarely choose
 * the same host and lose claims to each other; any worker still takes any host when its part has
 * no room. Membership is a Redis sorted set of leases, renewed every BEAT_MS.
 */
@Injectable()
export class PlacementPeers implements OnApplicationBootstrap, OnApplicationShutdown {
  /** Unique per process and per Nest application (tests run several workers in one process). */
  readonly id = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  private readonly key: string;
  private readonly logger = new Logger('placement');
  private timer?: NodeJS.Timeout;
  private peers: string[] = [];

  constructor(
    private readonly redis: RedisClient,
    @Inject(AppConfig) config: AppConfig,
  ) {
    this.key = `${config.QUEUE_PREFIX}:placement-workers`;
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.beat().catch((error: unknown) => this.logger.warn(`placement membership not renewed: ${String(error)}`));
    this.timer = setInterval(() => void this.beat().catch((error: unknown) => this.logger.warn(`placement membership not renewed: ${String(error)}`)), BEAT_MS);
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.redis.zrem(this.key, this.id).catch(() => undefined);
  }

  /** This worker's part: hosts whose id hashes to its position. Everything while alone or unknown. */
  part(): Part {
    const index = this.peers.indexOf(this.id);
    return index < 0 ? { index: 0, count: 1 } : { index, count: this.peers.length };
  }

  private async beat(): Promise<void> {
    const now = Date.now();
    const [, , [, members]] = (await this.redis
      .multi()
      .zadd(this.key, String(now + LEASE_MS), this.id)
      .zremrangebyscore(this.key, '-inf', String(now))
      .zrange(this.key, '0', '-1')
      .exec()) as [unknown, unknown, [unknown, string[]]];
    // By name: the set's own order is by lease expiry, which differs per beat and per observer.
    this.peers = [...members].sort();
  }
}

/** Which part of the fleet a host belongs to: host ids are random UUIDs, so their first 32 bits spread evenly. */
/** A worker's part of the fleet: the hosts whose partOf is `index` when there are `count` parts. */
export type Part = { index: number; count: number };

export function partOf(hostId: string, count: number): number {
  return parseInt(hostId.slice(0, 8), 16) % count;
}
