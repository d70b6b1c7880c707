import type { JobsOptions } from 'bullmq';
import { RUN_OP_JOB, type RunOpJob, runOpJobId } from '#vim/lcm';
import { dueJob } from '../pipeline/pipeline.js';
import type { OpRecord } from '../pipeline/records.js';
import { OP_STEP_JOB, stepJobOptions } from '../step-jobs.js';

/** What an open operation needs of its row to name the job it waits for. */
export type OpenOp = Pick<OpRecord, 'id' | 'operation' | 'state' | 'stateEnteredTime' | 'currentStep' | 'params'>;

/** A job as the lcm queue takes it, with the id that makes adding it twice add it once. */
export interface QueueJob {
  name: string;
  id: string;
  data: unknown;
  opts: JobsOptions & { jobId: string };
}

/**
 * The job an operation waits for, exactly as the API or the worker would have added it: RUN_OP_JOB
 * 'start' while STARTING (the API's attempt 0), the step job due while PROCESSING or ROLLING_BACK;
 * none in FAILED_TEMP (it waits for the operator) or once final.
 */
export function dueQueueJob(op: OpenOp): QueueJob | undefined {
  if (op.state === 'STARTING') {
    const jobId = runOpJobId(op.id, 'start', 0);
    const data: RunOpJob = { opId: op.id, action: 'start' };
    return { name: RUN_OP_JOB, id: jobId, data, opts: { jobId, removeOnComplete: true, removeOnFail: 1000 } };
  }
  const step = dueJob(op);
  if (!step) return undefined;
  const opts = stepJobOptions(step);
  return { name: OP_STEP_JOB, id: opts.jobId, data: step, opts };
}
