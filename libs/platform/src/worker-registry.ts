import type { Redis } from 'ioredis';

/** How often a worker renews its lease, and how long one lasts: a worker missing this long is counted out. */
export const WORKER_BEAT_MS = 2_000;
export const WORKER_LEASE_MS = 6_000;

/**
 * The live workers of one deployment (queue prefix): a Redis sorted set whose members are worker
 * ids and whose scores are lease expiries in ms. One set serves /readyz's count and placement's
 * split of the fleet, so the two can never disagree about who is alive.
 */
export class WorkerRegistry {
  private readonly key: string;

  constructor(
    private readonly redis: Redis,
    queuePrefix: string,
  ) {
    this.key = `${queuePrefix}:workers`;
  }

  /** Renews `id`'s lease, drops expired ones, and answers the live ids sorted by name. */
  async renew(id: string, now = Date.now()): Promise<string[]> {
    const [, , [, members]] = (await this.redis
      .multi()
      .zadd(this.key, String(now + WORKER_LEASE_MS), id)
      .zremrangebyscore(this.key, '-inf', String(now))
      .zrange(this.key, '0', '-1')
      .exec()) as [unknown, unknown, [unknown, string[]]];
    // By name: the set's own order is by lease expiry, which differs per beat and per observer.
    return [...members].sort();
  }

  async leave(id: string): Promise<void> {
    await this.redis.zrem(this.key, id);
  }

  /** Workers whose lease has not run out. */
  live(now = Date.now()): Promise<number> {
    return this.redis.zcount(this.key, `(${now}`, '+inf');
  }
}
