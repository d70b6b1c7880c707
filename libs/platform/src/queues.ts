import { BullModule } from '@nestjs/bullmq';
import { AppConfig } from '#vim/config';

/** Queue names shared by the api (producers) and the worker (processors). */
export const QUEUES = {
  /** Diagnostics: a `ping` job proves a worker is consuming and can reach Postgres. */
  system: 'system',
  /** Host discovery: `discover` jobs, one per host at a time. */
  inventory: 'inventory',
  /** `place-batch` jobs: decide VMs' hosts and claim their resources; any number of workers. */
  placement: 'placement',
  /** VNF lifecycle operations (libs/lcm): one job per pipeline step, so a crash resumes at the step. */
  lcm: 'lcm',
  /** Service chains (libs/chains): apply-chain, refresh-chains and trace-chain jobs. */
  chains: 'chains',
} as const;

/**
 * A discovery job for one host. The job id makes a second request join the one already
 * waiting; finished jobs are removed so the next refresh can be queued.
 */
export function discoveryJob(hostId: string) {
  return {
    name: 'discover',
    data: { hostId },
    options: { jobId: `discover-${hostId}`, removeOnComplete: true, removeOnFail: 100 },
  };
}

/** BullMQ on the configured Redis; Redis only carries work, Postgres holds the truth. */
export const QueueRootModule = BullModule.forRootAsync({
  inject: [AppConfig],
  useFactory: (config: AppConfig) => ({
    connection: { url: config.REDIS_URL, maxRetriesPerRequest: null },
    prefix: config.QUEUE_PREFIX,
  }),
});
