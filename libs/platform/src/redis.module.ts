import { Global, Inject, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import { Redis } from 'ioredis';
import { AppConfig } from '#vim/config';
import { WorkerRegistry } from './worker-registry.js';

/** Plain Redis client for health checks and heartbeats (BullMQ keeps its own connections). */
@Injectable()
export class RedisClient extends Redis implements OnApplicationShutdown {
  constructor(@Inject(AppConfig) config: AppConfig) {
    super(config.REDIS_URL, { lazyConnect: false, maxRetriesPerRequest: 2 });
  }

  /** QUIT when Redis answers; a Redis that hangs must not hold the process open. */
  async onApplicationShutdown(): Promise<void> {
    if (this.status !== 'ready') return this.disconnect();
    const timeout = new Promise<void>((resolve) => setTimeout(resolve, 1000).unref());
    await Promise.race([this.quit().catch(() => undefined), timeout]);
    this.disconnect();
  }
}

/** This deployment's registry of live workers (its queue prefix), over the plain client. */
const workerRegistry = {
  provide: WorkerRegistry,
  useFactory: (redis: RedisClient, config: AppConfig) => new WorkerRegistry(redis, config.QUEUE_PREFIX),
  inject: [RedisClient, AppConfig],
};

@Global()
@Module({ providers: [RedisClient, workerRegistry], exports: [RedisClient, WorkerRegistry] })
export class RedisModule {}
