import type { Redis } from 'ioredis';
import { WORKER_LEASE_MS } from '#vim/platform';
import type { RunningJobs } from './op-reconciler.js';

/** The lcm jobs this worker is running now, by job id. */
export class LocalRunningJobs {
  private readonly counts = new Map<string, number>();

  async track<T>(jobId: string, work: () => Promise<T>): Promise<T> {
    this.counts.set(jobId, (this.counts.get(jobId) ?? 0) + 1);
    try {
      return await work();
    } finally {
      const left = this.counts.get(jobId)! - 1;
      if (left === 0) this.counts.delete(jobId);
      else this.counts.set(jobId, left);
    }
  }

  has(jobId: string): boolean {
    return this.counts.has(jobId);
  }

  ids(): string[] {
    return [...this.counts.keys()];
  }
}

/**
 * Every live worker's running lcm jobs, in a sorted set `<prefix>:lcm-running` (member: job id,
 * score: when the claim runs out), renewed by each worker as often as its lease. It lives in the
 * Redis it guards against: after Redis comes back empty, the set is complete again once every live
 * worker has renewed, which a lease's time after Redis started is sure; until then it says so.
 */
export class RedisRunningJobs implements RunningJobs {
  private readonly key: string;

  constructor(
    private readonly redis: Redis,
    queuePrefix: string,
    private readonly local: LocalRunningJobs,
  ) {
    this.key = `${queuePrefix}:lcm-running`;
  }

  /** This worker's running jobs, good for a lease; claims that ran out (dead workers') are dropped. */
  async publish(now = Date.now()): Promise<void> {
    const ids = this.local.ids();
    const tx = this.redis.multi().zremrangebyscore(this.key, '-inf', String(now));
    if (ids.length > 0) tx.zadd(this.key, ...ids.flatMap((id) => [String(now + WORKER_LEASE_MS), id]));
    await tx.exec();
  }

  async complete(): Promise<boolean> {
    const info = await this.redis.info('server');
    const uptime = Number(/uptime_in_seconds:(\d+)/.exec(info)?.[1] ?? 0);
    // Whole seconds: one more than the lease, so a worker that renews every beat has renewed.
    return uptime * 1000 > WORKER_LEASE_MS + 1000;
  }

  async running(jobIds: readonly string[], now = Date.now()): Promise<ReadonlySet<string>> {
    if (jobIds.length === 0) return new Set();
    const scores = await this.redis.zmscore(this.key, ...jobIds);
    return new Set(jobIds.filter((id, i) => this.local.has(id) || Number(scores[i] ?? 0) > now));
  }
}
