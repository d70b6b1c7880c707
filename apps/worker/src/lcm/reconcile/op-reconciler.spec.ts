import { describe, expect, test } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import type { OpenOp, QueueJob } from './due-queue-job.js';
import { type OpenOps, OpReconciler, type QueueJobState, type ReconcileQueue, type RunningJobs } from './op-reconciler.js';

const T0 = new Date('2030-01-01T00:00:00.000Z');
const PARAMS = { flavourId: 'default', extCpBindings: {} };

const op = (state: OpenOp['state'], currentStep: string | null, over: Partial<OpenOp> = {}): OpenOp => ({
  id: randomUUID(), operation: 'INSTANTIATE', state, stateEnteredTime: T0, currentStep, params: PARAMS, ...over,
});

/** BullMQ as the reconciler sees it: job states by id, and what it was asked to do. */
class FakeQueue implements ReconcileQueue {
  readonly states = new Map<string, QueueJobState>();
  readonly added: QueueJob[] = [];
  readonly calls: string[] = [];
  failOn?: string;

  async state(jobId: string): Promise<QueueJobState> {
    if (jobId === this.failOn) throw new Error('Redis said no');
    return this.states.get(jobId) ?? 'unknown';
  }

  async add(job: QueueJob): Promise<void> {
    this.calls.push(`add ${job.id}`);
    if (!this.states.has(job.id)) this.added.push(job);
    this.states.set(job.id, 'waiting');
  }

  async retry(jobId: string): Promise<void> {
    this.calls.push(`retry ${jobId}`);
    this.states.set(jobId, 'waiting');
  }

  async remove(jobId: string): Promise<void> {
    this.calls.push(`remove ${jobId}`);
    this.states.delete(jobId);
  }
}

class Fixture {
  readonly rows = new Map<string, OpenOp>();
  readonly queue = new FakeQueue();
  readonly running = new Set<string>();
  registryComplete = true;
  /** Called between the list and the re-read: what another worker did meanwhile. */
  meanwhile: () => void = () => undefined;

  readonly ops: OpenOps = {
    list: async () => {
      const open = [...this.rows.values()].filter((o) => ['STARTING', 'PROCESSING', 'ROLLING_BACK'].includes(o.state));
      this.meanwhile();
      return open;
    },
    get: async (id) => this.rows.get(id),
  };

  readonly runningJobs: RunningJobs = {
    complete: async () => this.registryComplete,
    running: async (ids) => new Set(ids.filter((id) => this.running.has(id))),
  };

  readonly reconciler = new OpReconciler(this.ops, this.queue, this.runningJobs);

  add(o: OpenOp): OpenOp {
    this.rows.set(o.id, o);
    return o;
  }
}

const stepId = (o: OpenOp, step: string) => `op-${o.id}-${o.stateEnteredTime.getTime()}-${step}`;

describe('OpReconciler', () => {
  test('re-creates the lost job of each open operation, with the id and data the pipeline would have given it', async () => {
    const f = new Fixture();
    const launching = f.add(op('PROCESSING', 'launch'));
    const rollingBack = f.add(op('ROLLING_BACK', 'rollback'));
    const starting = f.add(op('STARTING', null));
    const terminating = f.add(op('PROCESSING', null, { operation: 'TERMINATE', params: { terminationType: 'FORCEFUL' } }));

    const report = await f.reconciler.pass();

    expect(report.resumed.map((r) => [r.jobId, r.found])).toEqual([
      [stepId(launching, 'launch'), 'unknown'],
      [stepId(rollingBack, 'rollback'), 'unknown'],
      [`op-${starting.id}-start-0`, 'unknown'],
      [stepId(terminating, 'shutdown'), 'unknown'],
    ]);
    expect(f.queue.added.map((j) => [j.name, j.data])).toEqual([
      ['op-step', { opId: launching.id, run: T0.getTime(), step: 'launch' }],
      ['op-step', { opId: rollingBack.id, run: T0.getTime(), step: 'rollback' }],
      ['run-op', { opId: starting.id, action: 'start' }],
      ['op-step', { opId: terminating.id, run: T0.getTime(), step: 'shutdown' }],
    ]);
    expect(f.queue.added[0]!.opts).toMatchObject({ jobId: stepId(launching, 'launch'), attempts: 5 });
  });

  test('leaves alone jobs on their way, operations waiting for the operator or final, and jobs a live worker runs', async () => {
    const f = new Fixture();
    for (const state of ['waiting', 'active', 'delayed', 'prioritized', 'waiting-children'] as const) {
      const o = f.add(op('PROCESSING', 'plug-ports'));
      f.queue.states.set(stepId(o, 'plug-ports'), state);
    }
    f.add(op('FAILED_TEMP', 'launch'));
    f.add(op('COMPLETED', null));
    const runningAfterRedisLoss = f.add(op('PROCESSING', 'launch'));
    f.running.add(stepId(runningAfterRedisLoss, 'launch'));

    const report = await f.reconciler.pass();
    expect(report).toMatchObject({ open: 6, resumed: [], deferred: 0, errors: [] });
    expect(f.queue.calls).toEqual([]);
  });

  test('a job whose retries ran out (an outage) is retried; one done while its step is still due is replaced', async () => {
    const f = new Fixture();
    const failed = f.add(op('PROCESSING', 'plug-ports'));
    f.queue.states.set(stepId(failed, 'plug-ports'), 'failed');
    const failedStart = f.add(op('STARTING', null));
    f.queue.states.set(`op-${failedStart.id}-start-0`, 'failed');
    const done = f.add(op('PROCESSING', 'launch'));
    f.queue.states.set(stepId(done, 'launch'), 'completed');

    const report = await f.reconciler.pass();
    expect(report.resumed.map((r) => r.found)).toEqual(['failed', 'failed', 'completed']);
    expect(f.queue.calls).toEqual([
      `retry ${stepId(failed, 'plug-ports')}`,
      `retry op-${failedStart.id}-start-0`,
      `remove ${stepId(done, 'launch')}`,
      `add ${stepId(done, 'launch')}`,
    ]);
  });

  test('while Redis started less than a lease ago, missing jobs are only counted: a live worker may not have said what it runs', async () => {
    const f = new Fixture();
    f.add(op('PROCESSING', 'launch'));
    f.registryComplete = false;
    expect(await f.reconciler.pass()).toMatchObject({ resumed: [], deferred: 1 });
    expect(f.queue.calls).toEqual([]);
    f.registryComplete = true;
    expect((await f.reconciler.pass()).resumed).toHaveLength(1);
  });

  test('an operation that moved on after it was listed is left to the pipeline', async () => {
    const f = new Fixture();
    const o = f.add(op('PROCESSING', 'plug-ports'));
    f.meanwhile = () => f.rows.set(o.id, { ...o, currentStep: 'launch' });
    expect((await f.reconciler.pass()).resumed).toEqual([]);
    expect(f.queue.calls).toEqual([]);
  });

  test('a failure on one operation is reported and the others are still resumed', async () => {
    const f = new Fixture();
    const broken = f.add(op('PROCESSING', 'launch'));
    const fine = f.add(op('PROCESSING', 'launch'));
    f.queue.failOn = stepId(broken, 'launch');
    const report = await f.reconciler.pass();
    expect(report.errors).toEqual([{ opId: broken.id, message: 'Error: Redis said no' }]);
    expect(report.resumed.map((r) => r.opId)).toEqual([fine.id]);
  });
});
