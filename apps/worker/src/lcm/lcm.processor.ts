import { InjectQueue, Processor, WorkerHost } from '@nestjs/bullmq';
import { type BeforeApplicationShutdown, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Job, Queue } from 'bullmq';
import { RUN_OP_JOB, type RunOpJob } from '#vim/lcm';
import { QUEUES } from '#vim/platform';
import { LcmDrivers } from './pipeline/lcm-drivers.js';
import { LcmPipeline, type StepJob } from './pipeline/pipeline.js';
import { LcmReconcilerService } from './reconcile/lcm-reconciler.service.js';
import { OP_STEP_JOB, stepJobOptions } from './step-jobs.js';

/** Operations waiting on libvirt, OVSDB and placement, not on this process's CPU. */
const CONCURRENCY = 8;

/**
 * `run-op` (from the API) and `op-step` (from here): each runs a step through the pipeline, which
 * records its progress, and the step it hands back is scheduled. Short locks: when a worker dies,
 * another takes its step over within seconds; every step can run again, so a job may be taken
 * over more than BullMQ's default once before it counts as failed.
 */
@Processor(QUEUES.lcm, { lockDuration: 10_000, stalledInterval: 5_000, maxStalledCount: 3 })
export class LcmProcessor extends WorkerHost implements OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly logger = new Logger('lcm');

  constructor(
    private readonly pipeline: LcmPipeline,
    private readonly drivers: LcmDrivers,
    @InjectQueue(QUEUES.lcm) private readonly queue: Queue,
    private readonly reconciler: LcmReconcilerService,
  ) {
    super();
  }

  onApplicationBootstrap(): void {
    this.worker.concurrency = CONCURRENCY;
  }

  /**
   * No new step once shutdown begins, whatever other modules still have to close first (the chains
   * worker may take a while): a step taken meanwhile would run on a worker that is going away.
   */
  async beforeApplicationShutdown(): Promise<void> {
    await this.worker.close();
  }

  /** The drivers go after the worker: no step may be left holding a closed connection. */
  async onApplicationShutdown(): Promise<void> {
    await this.worker.close();
    await this.drivers.close();
  }

  /**
   * Each job is registered as running while it runs (the reconciler re-creates no job that runs).
   * A job that is already running here was added again after Redis lost it: the first run goes on.
   */
  async process(job: Job): Promise<{ next: string | null }> {
    const id = job.id ?? '';
    if (this.reconciler.local.has(id)) return { next: null };
    return this.reconciler.local.track(id, () => this.runJob(job));
  }

  private async runJob(job: Job): Promise<{ next: string | null }> {
    if (job.name === RUN_OP_JOB) {
      const { opId, action } = job.data as RunOpJob;
      const begun = await this.pipeline.begin(opId, action, new Date(job.timestamp));
      if (!begun) return { next: null };
      // The action's job is the job of the step it made due: one of its own would only add a queue
      // hop. A due step it did not make (a crash after the action) may be running elsewhere: only
      // its own job, added once whatever the number of adds, may run it.
      return this.schedule(begun.applied ? await this.pipeline.run(begun.job, begun.applied) : begun.job);
    }
    if (job.name === OP_STEP_JOB) return this.schedule(await this.pipeline.run(job.data as StepJob));
    throw new Error(`unknown job '${job.name}' on queue ${QUEUES.lcm}`);
  }

  private async schedule(next: StepJob | undefined): Promise<{ next: string | null }> {
    if (!next) return { next: null };
    await this.queue.add(OP_STEP_JOB, next, stepJobOptions(next));
    this.logger.debug(`operation ${next.opId}: step '${next.step}' scheduled`);
    return { next: next.step };
  }
}
