import { InjectQueue } from '@nestjs/bullmq';
import { type BeforeApplicationShutdown, Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Queue } from 'bullmq';
import type { DataSource } from 'typeorm';
import { AppConfig } from '#vim/config';
import type { OpState } from '#vim/lcm';
import { QUEUES, RedisClient, WORKER_BEAT_MS, WORKER_LEASE_MS } from '#vim/platform';
import { LcmDrivers } from '../pipeline/lcm-drivers.js';
import type { Operation } from '../pipeline/records.js';
import { dueQueueJob, type OpenOp, type QueueJob } from './due-queue-job.js';
import { LeftoverSweep, type SweepReport } from './leftovers.js';
import { type OpenOps, OpReconciler, type QueueJobState, type ReconcileQueue, type ReconcileReport } from './op-reconciler.js';
import { PostgresLeftoverFacts } from './postgres-leftover-facts.js';
import { LocalRunningJobs, RedisRunningJobs } from './running-jobs.js';

const OPEN_OPS = `SELECT id, operation, "operationState" AS state, "stateEnteredTime", "currentStep", "operationParams" AS params
  FROM lcm_op_occs WHERE "operationState" IN ('STARTING', 'PROCESSING', 'ROLLING_BACK')`;

type OpenOpRow = Omit<OpenOp, 'operation' | 'state'> & { operation: string; state: string };

const openOp = (row: OpenOpRow): OpenOp => ({ ...row, operation: row.operation as Operation, state: row.state as OpState });

class PostgresOpenOps implements OpenOps {
  constructor(private readonly db: DataSource) {}

  async list(): Promise<OpenOp[]> {
    return ((await this.db.query(OPEN_OPS)) as OpenOpRow[]).map(openOp);
  }

  async get(opId: string): Promise<OpenOp | undefined> {
    const [row] = (await this.db.query(`${OPEN_OPS} AND id = $1`, [opId])) as OpenOpRow[];
    return row && openOp(row);
  }
}

class BullReconcileQueue implements ReconcileQueue {
  constructor(private readonly queue: Queue) {}

  state(jobId: string): Promise<QueueJobState> {
    return this.queue.getJobState(jobId) as Promise<QueueJobState>;
  }

  async add(job: QueueJob): Promise<void> {
    await this.queue.add(job.name, job.data, job.opts);
  }

  async retry(jobId: string): Promise<void> {
    await (await this.queue.getJob(jobId))?.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true });
  }

  async remove(jobId: string): Promise<void> {
    await this.queue.remove(jobId);
  }
}

export interface ReconcilePass {
  ops: ReconcileReport;
  leftovers?: SweepReport;
}

/**
 * Runs the reconciler (then the sweep for leftovers, LeftoverSweep) at start-up, every RECONCILE_INTERVAL_SECONDS (0: never) and soon after this
 * worker's Redis connection comes back, and publishes the lcm jobs this worker runs (the registry
 * the reconciler asks before re-creating a job). Timers, not a BullMQ schedule: the schedule would
 * live in the Redis whose loss this repairs.
 */
@Injectable()
export class LcmReconcilerService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  readonly local = new LocalRunningJobs();
  private readonly logger = new Logger('lcm-reconcile');
  private readonly registry: RedisRunningJobs;
  private readonly reconciler: OpReconciler;
  private readonly leftovers: LeftoverSweep;
  private readonly queue: BullReconcileQueue;
  /** Unattributed domains and ports are logged once each, not at every pass. */
  private readonly reported = new Set<string>();
  private readonly timers: NodeJS.Timeout[] = [];
  private soonTimer?: NodeJS.Timeout;
  private passing?: Promise<ReconcilePass | undefined>;
  private wasDown = false;
  private stopped = false;

  constructor(
    @InjectDataSource() db: DataSource,
    @InjectQueue(QUEUES.lcm) queue: Queue,
    private readonly redis: RedisClient,
    @Inject(AppConfig) private readonly config: AppConfig,
    drivers: LcmDrivers,
  ) {
    this.registry = new RedisRunningJobs(redis, config.QUEUE_PREFIX, this.local);
    this.queue = new BullReconcileQueue(queue);
    this.reconciler = new OpReconciler(new PostgresOpenOps(db), this.queue, this.registry);
    this.leftovers = new LeftoverSweep(new PostgresLeftoverFacts(db), drivers, (error) => this.logger.debug(`leftover sweep skipped a host: ${String(error)}`));
  }

  onApplicationBootstrap(): void {
    this.timers.push(setInterval(() => void this.registry.publish().catch(() => undefined), WORKER_BEAT_MS));
    const every = this.config.RECONCILE_INTERVAL_SECONDS * 1000;
    if (every === 0) return;
    this.timers.push(setInterval(() => void this.pass(), every));
    void this.pass();
    this.redis.on('close', this.onClose).on('ready', this.onReady);
  }

  /** Before the database and Redis close: a pass under way may finish (for a while), and no timer starts another. */
  async beforeApplicationShutdown(): Promise<void> {
    for (const timer of this.timers) clearInterval(timer);
    clearTimeout(this.soonTimer);
    this.stopped = true;
    this.redis.off('close', this.onClose).off('ready', this.onReady);
    // A pass that waits on a Redis that is gone must not hold the shutdown.
    const grace = new Promise<void>((resolve) => setTimeout(resolve, 5000).unref());
    await Promise.race([this.passing, grace]);
  }

  /** One pass at a time in this worker; a pass asked for meanwhile joins it. Failures are logged, the next pass tries again. */
  pass(): Promise<ReconcilePass | undefined> {
    if (this.stopped) return Promise.resolve(undefined);
    this.passing ??= this.runPass()
      .catch((error: unknown) => void this.logger.warn(`reconcile pass failed: ${String(error)}`))
      .finally(() => (this.passing = undefined));
    return this.passing;
  }

  /** Lost jobs first: an operation that resumes may still clear what the sweep would find. */
  private async runPass(): Promise<ReconcilePass> {
    const ops = this.log(await this.reconciler.pass());
    const leftovers = await this.leftovers.sweep().catch((error: unknown) => void this.logger.warn(`leftover sweep failed: ${String(error)}`));
    if (leftovers) await this.handle(leftovers);
    return { ops, leftovers: leftovers ?? undefined };
  }

  /** The automatic rollbacks' jobs are scheduled at once; unattributed things are only told about. */
  private async handle(report: SweepReport): Promise<void> {
    for (const op of report.cleanups) {
      this.logger.warn(`VNF instance of operation ${op.id}: NOT_INSTANTIATED with VM rows and claims left, no operation open; rolling its last instantiation back`);
      const job = dueQueueJob(op);
      if (job) await this.queue.add(job);
    }
    for (const { kind, name, host, vmId } of report.unattributed) {
      const key = `${kind} ${host} ${name}`;
      if (this.reported.has(key)) continue;
      this.reported.add(key);
      this.logger.warn(`${kind} ${name} on host ${host} looks like VM ${vmId}, which this database does not know: left alone (it may be another deployment's)`);
    }
  }

  private readonly onClose = () => {
    this.wasDown = true;
  };

  /** Back after an outage: Redis may have come back empty. */
  private readonly onReady = () => {
    if (!this.wasDown) return;
    this.wasDown = false;
    this.soon();
  };

  /** A pass once the running-jobs registry is complete again (a lease after Redis started), whatever the interval. */
  private soon(): void {
    if (this.soonTimer || this.stopped) return;
    this.soonTimer = setTimeout(() => {
      this.soonTimer = undefined;
      void this.pass();
    }, WORKER_LEASE_MS + 1500);
    this.soonTimer.unref();
  }

  private log(report: ReconcileReport): ReconcileReport {
    for (const { opId, jobId, found } of report.resumed) this.logger.warn(`operation ${opId}: job ${jobId} was ${found === 'unknown' ? 'lost' : found}; scheduled again`);
    for (const { opId, message } of report.errors) this.logger.warn(`operation ${opId} not reconciled: ${message}`);
    if (report.deferred > 0) {
      this.logger.log(`${report.deferred} operations without a job; Redis started less than a lease ago: looked at again shortly`);
      this.soon();
    }
    return report;
  }
}
