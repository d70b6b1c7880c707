import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { type Queue, QueueEvents } from 'bullmq';
import { APPLY_CHAIN_JOB, type ApplyChainJob, applyChainJobId, type ChainTraceRequest, TRACE_CHAIN_JOB, type TraceChainJob } from '#vim/chains';
import { AppConfig } from '#vim/config';
import { QUEUES } from '#vim/platform';
import { deadline, enqueue } from '../common/deadline.js';

/** How long a trace request waits for a worker to run ofproto/trace. */
export const TRACE_TIMEOUT_MS = 15_000;

/** Hands chain operations and traces to the worker; Postgres holds the chains, the queue only the work. */
@Injectable()
export class ChainJobs implements OnApplicationShutdown {
  private events: QueueEvents | undefined;

  constructor(
    @InjectQueue(QUEUES.chains) private readonly queue: Queue,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  async apply(chainId: string, opId: string): Promise<void> {
    const data: ApplyChainJob = { chainId, opId };
    await enqueue(this.queue, APPLY_CHAIN_JOB, data, { jobId: applyChainJobId(opId), removeOnComplete: true, removeOnFail: 1000 });
  }

  /**
   * Runs the trace on a worker and waits for its answer. The finished job is kept a minute, so a
   * result that comes before the wait has begun is still found.
   */
  async trace(tenantId: string, chainId: string, packet: ChainTraceRequest): Promise<unknown> {
    const data: TraceChainJob = { tenantId, chainId, packet };
    const events = await this.queueEvents();
    const job = await deadline(
      this.queue.add(TRACE_CHAIN_JOB, data, { removeOnComplete: { age: 60 }, removeOnFail: { age: 60 } }),
      TRACE_TIMEOUT_MS,
      'the chains queue did not take the trace',
    );
    return job.waitUntilFinished(events, TRACE_TIMEOUT_MS);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.events?.close();
  }

  private async queueEvents(): Promise<QueueEvents> {
    if (!this.events) {
      this.events = new QueueEvents(QUEUES.chains, { connection: { url: this.config.REDIS_URL, maxRetriesPerRequest: null }, prefix: this.config.QUEUE_PREFIX });
      await this.events.waitUntilReady();
    }
    return this.events;
  }
}
