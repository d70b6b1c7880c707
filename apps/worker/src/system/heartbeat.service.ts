import { Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { RedisClient, WORKER_HEARTBEAT_PREFIX } from '../../../../libs/platform/src/index.js';
import { WorkerIdentity } from './worker-identity.js';

const INTERVAL_MS = 5_000;
const TTL_SECONDS = 15;

/** Keeps a short-lived key per live worker, so /readyz can say how many are consuming. */
@Injectable()
export class HeartbeatService implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly redis: RedisClient,
    private readonly identity: WorkerIdentity,
  ) {}

  private get key(): string {
    return `${WORKER_HEARTBEAT_PREFIX}${this.identity.id}`;
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.beat();
    this.timer = setInterval(() => void this.beat().catch(() => undefined), INTERVAL_MS);
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.redis.del(this.key).catch(() => undefined);
  }

  private async beat(): Promise<void> {
    await this.redis.set(this.key, new Date().toISOString(), 'EX', TTL_SECONDS);
  }
}
