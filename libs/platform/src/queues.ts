import { BullModule } from '@nestjs/bullmq';
import { AppConfig } from '../../config/src/index.js';

/** Queue names shared by the api (producers) and the worker (processors). */
export const QUEUES = {
  /** Diagnostics: a `ping` job proves a worker is consuming and can reach Postgres. */
  system: 'system',
} as const;

/** BullMQ on the configured Redis; Redis only carries work, Postgres holds the truth. */
export const QueueRootModule = BullModule.forRootAsync({
  inject: [AppConfig],
  useFactory: (config: AppConfig) => ({
    connection: { url: config.REDIS_URL, maxRetriesPerRequest: null },
    prefix: config.QUEUE_PREFIX,
  }),
});
