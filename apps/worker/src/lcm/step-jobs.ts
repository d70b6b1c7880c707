import type { JobsOptions } from 'bullmq';
import type { StepJob } from './pipeline/pipeline.js';

/** One step of one operation, on QUEUES.lcm next to RUN_OP_JOB; only the worker adds it. */
export const OP_STEP_JOB = 'op-step';

/**
 * Derived from the step and its run, so the same step of the same run is one job however often
 * it is added (BullMQ keeps the first). Finished jobs are kept a day for that reason: a job that
 * comes back after a crash must still find its successor's id taken.
 */
export function stepJobOptions(job: StepJob): JobsOptions & { jobId: string } {
  return {
    jobId: `op-${job.opId}-${job.run}-${job.step}`,
    // Failures of a step become the operation's state; what is left to retry is a lost database or Redis.
    attempts: 5,
    backoff: { type: 'exponential', delay: 1000 },
    removeOnComplete: { age: 24 * 3600 },
    removeOnFail: { age: 7 * 24 * 3600 },
  };
}
