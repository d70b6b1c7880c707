import { InjectQueue, Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Job, Queue } from 'bullmq';
import { APPLY_CHAIN_JOB, type ApplyChainJob, REFRESH_CHAINS_JOB, type RefreshChainsJob, TRACE_CHAIN_JOB, type TraceChainJob } from '#vim/chains';
import { AppConfig } from '#vim/config';
import { QUEUES } from '#vim/platform';
import { ChainApplier } from './apply/chain-applier.js';
import { ChainDriversToken } from './chains.tokens.js';
import type { ChainDrivers } from './records.js';
import { ChainRefresher } from './refresh/chain-refresher.js';
import { ChainTraceRunner } from './trace/chain-trace-runner.js';

/** Switch work (OVSDB reads, ovs-ofctl, ovs-appctl), not this process's CPU; per-chain locks keep one chain's jobs in turn. */
const CONCURRENCY = 4;
export const CHAIN_CHECK_SCHEDULER = 'chain-check';

/**
 * The chains queue: apply-chain (the API's operations), refresh-chains (lifecycle triggers and the
 * periodic check, a BullMQ job scheduler every CHAIN_CHECK_INTERVAL_MS) and trace-chain (the API
 * waits for its return value).
 */
@Processor(QUEUES.chains, { lockDuration: 30_000, stalledInterval: 15_000 })
export class ChainsProcessor extends WorkerHost implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('chains');

  constructor(
    private readonly applier: ChainApplier,
    private readonly refresher: ChainRefresher,
    private readonly tracer: ChainTraceRunner,
    @Inject(ChainDriversToken) private readonly drivers: ChainDrivers,
    @InjectQueue(QUEUES.chains) private readonly queue: Queue,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {
    super();
  }

  async onApplicationBootstrap(): Promise<void> {
    this.worker.concurrency = CONCURRENCY;
    const every = this.config.CHAIN_CHECK_INTERVAL_MS;
    // One scheduler for every worker (upsert): one check per interval, whichever worker takes it.
    if (every === 0) await this.queue.removeJobScheduler(CHAIN_CHECK_SCHEDULER);
    else {
      await this.queue.upsertJobScheduler(CHAIN_CHECK_SCHEDULER, { every }, {
        name: REFRESH_CHAINS_JOB,
        data: { reason: 'periodic check' } satisfies RefreshChainsJob,
        opts: { removeOnComplete: true, removeOnFail: 100 },
      });
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.worker.close();
    await this.drivers.close();
  }

  async process(job: Job): Promise<unknown> {
    if (job.name === APPLY_CHAIN_JOB) {
      const op = await this.applier.apply((job.data as ApplyChainJob).opId);
      return { operationState: op?.operationState ?? null };
    }
    if (job.name === REFRESH_CHAINS_JOB) {
      const summary = await this.refresher.refresh(job.data as RefreshChainsJob);
      this.logger.debug(`refresh-chains (${(job.data as RefreshChainsJob).reason}): ${JSON.stringify(summary)}`);
      return summary;
    }
    if (job.name === TRACE_CHAIN_JOB) return this.tracer.trace(job.data as TraceChainJob);
    throw new Error(`unknown job '${job.name}' on queue ${QUEUES.chains}`);
  }
}
