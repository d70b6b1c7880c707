import { dueQueueJob, type OpenOp, type QueueJob } from './due-queue-job.js';

/** A job's state in BullMQ, 'unknown' when the queue has no job of that id. */
export type QueueJobState = 'active' | 'waiting' | 'delayed' | 'prioritized' | 'waiting-children' | 'completed' | 'failed' | 'unknown';

/** States in which the job will run (or runs) without help. */
const ON_ITS_WAY: ReadonlySet<QueueJobState> = new Set(['active', 'waiting', 'delayed', 'prioritized', 'waiting-children']);

/** The lcm queue, as far as the reconciler touches it. */
export interface ReconcileQueue {
  state(jobId: string): Promise<QueueJobState>;
  add(job: QueueJob): Promise<void>;
  /** A failed job back to waiting, its attempts counted afresh. */
  retry(jobId: string): Promise<void>;
  remove(jobId: string): Promise<void>;
}

/** Postgres, the truth about which operations are open and where each one is. */
export interface OpenOps {
  /** STARTING, PROCESSING and ROLLING_BACK operations. */
  list(): Promise<OpenOp[]>;
  get(opId: string): Promise<OpenOp | undefined>;
}

/**
 * Which jobs some live worker is running right now. After Redis lost its data the queue knows
 * nothing of them, and a second run of a step beside the first could undo its work.
 */
export interface RunningJobs {
  /** False while the registry may still miss a live worker's jobs (Redis came back less than a lease ago). */
  complete(): Promise<boolean>;
  running(jobIds: readonly string[]): Promise<ReadonlySet<string>>;
}

export interface ResumedOp {
  opId: string;
  jobId: string;
  /** What the queue had: nothing, the job failed (its retries spent, e.g. on a Postgres outage), or done while still due. */
  found: 'unknown' | 'failed' | 'completed';
}

export interface ReconcileReport {
  open: number;
  resumed: ResumedOp[];
  /** Jobs missing while the running-jobs registry was incomplete: looked at again on the next pass. */
  deferred: number;
  errors: { opId: string; message: string }[];
}

interface Candidate {
  op: OpenOp;
  job: QueueJob;
}

/**
 * Finds open operations whose due job the queue no longer has (Redis lost it, or its retries ran
 * out on an outage) and puts that job back, with the id the pipeline would have given it, so a
 * pass that meets the pipeline adding the same job adds it once. An operation is re-read before
 * its job is touched: one that moved on meanwhile is left alone.
 */
export class OpReconciler {
  constructor(
    private readonly ops: OpenOps,
    private readonly queue: ReconcileQueue,
    private readonly runningJobs: RunningJobs,
  ) {}

  async pass(): Promise<ReconcileReport> {
    const open = await this.ops.list();
    const report: ReconcileReport = { open: open.length, resumed: [], deferred: 0, errors: [] };
    const candidates = await this.stranded(open, report);
    if (candidates.length === 0) return report;
    if (!(await this.runningJobs.complete())) {
      report.deferred = candidates.length;
      return report;
    }
    const running = await this.runningJobs.running(candidates.map((c) => c.job.id));
    for (const candidate of candidates.filter((c) => !running.has(c.job.id))) {
      await this.resume(candidate, report).catch((error: unknown) => report.errors.push({ opId: candidate.op.id, message: String(error) }));
    }
    return report;
  }

  private async stranded(open: readonly OpenOp[], report: ReconcileReport): Promise<Candidate[]> {
    const candidates: Candidate[] = [];
    for (const op of open) {
      const job = dueQueueJob(op);
      if (!job) continue;
      try {
        if (!ON_ITS_WAY.has(await this.queue.state(job.id))) candidates.push({ op, job });
      } catch (error) {
        report.errors.push({ opId: op.id, message: String(error) });
      }
    }
    return candidates;
  }

  private async resume({ op, job }: Candidate, report: ReconcileReport): Promise<void> {
    const now = await this.ops.get(op.id);
    if (!now || dueQueueJob(now)?.id !== job.id) return;
    const found = await this.queue.state(job.id);
    if (ON_ITS_WAY.has(found)) return;
    if (found === 'failed') await this.queue.retry(job.id);
    else {
      // A finished job keeps its id for a day: it must go before the same id can be added again.
      if (found === 'completed') await this.queue.remove(job.id);
      await this.queue.add(job);
    }
    report.resumed.push({ opId: op.id, jobId: job.id, found: found as ResumedOp['found'] });
  }
}
