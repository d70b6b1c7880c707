import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { type OpAction, RUN_OP_JOB, type RunOpJob, runOpJobId } from '#vim/lcm';
import { QUEUES } from '#vim/platform';
import { enqueue } from '../common/deadline.js';

/** Hands operations to the worker; Postgres already holds them, the queue only carries the work. */
@Injectable()
export class LcmJobs {
  constructor(@InjectQueue(QUEUES.lcm) private readonly queue: Queue) {}

  /**
   * `attempt` tells apart the jobs of successive actions on one operation, so none joins an old
   * one. `requestedAt` becomes the job's timestamp, which the worker compares with the failure it
   * finds: an action decided before that failure does not apply to it.
   */
  async enqueue(opId: string, action: OpAction, attempt: number, requestedAt = new Date()): Promise<void> {
    const data: RunOpJob = { opId, action };
    const options = { jobId: runOpJobId(opId, action, attempt), timestamp: requestedAt.getTime(), removeOnComplete: true, removeOnFail: 1000 };
    await enqueue(this.queue, RUN_OP_JOB, data, options);
  }
}
