import {
  canApply, isFinal, type LcmEvent, lcmEvent, nextOpState, type OpAction, type OpEvent, type VmStateEvent, vmStateEvent,
} from '#vim/lcm';
import { OpContext, type PipelineServices } from './op-context.js';
import { ROLLBACK_STEP, stepsOf, undoOf } from './operations.js';
import { cancelledProblem, notRollbackableProblem, rollbackProblem, stepProblem } from './problem.js';
import type { OpChanges, OpRecord, OpSnapshot, OpTimings, StepWrites } from './records.js';
import { meteredDrivers, StepMeter } from './timing.js';

/**
 * The job that runs one step. `run` is the stateEnteredTime (ms) of the state the step belongs
 * to: a job of an earlier run (before a failure and the operator's retry) finds another value
 * and does nothing, so a job that comes back after a crash cannot fork the pipeline.
 */
export interface StepJob {
  opId: string;
  run: number;
  step: string;
}

export interface LcmEventSink {
  publish(event: LcmEvent | VmStateEvent): Promise<void>;
}

export interface PipelineDeps extends PipelineServices {
  events: LcmEventSink;
  warn?: (message: string) => void;
}

/** The step job an operation waits for: none once it is final or waits for the operator. */
export function dueJob(op: Pick<OpRecord, 'id' | 'state' | 'stateEnteredTime' | 'currentStep' | 'operation' | 'params'>): StepJob | undefined {
  const run = op.stateEnteredTime.getTime();
  if (op.state === 'ROLLING_BACK') return { opId: op.id, run, step: ROLLBACK_STEP };
  if (op.state === 'PROCESSING') return { opId: op.id, run, step: op.currentStep ?? stepsOf(op)[0]!.name };
  return undefined;
}

/** A retry resumes at the failed step; after a failed undo, whose progress is unknown, from the first (every step can run again). */
function resumeStep(op: OpRecord): string {
  const steps = stepsOf(op);
  return steps.find((s) => s.name === op.currentStep)?.name ?? steps[0]!.name;
}

/**
 * Drives lifecycle operations one step at a time. Every change is recorded (state, step, error,
 * timings) and published before the next step is handed back to be scheduled; the caller
 * schedules it as a job whose id derives from the StepJob, so scheduling twice adds one job.
 */
export class LcmPipeline {
  private readonly carried = new CarriedSnapshots();

  constructor(private readonly deps: PipelineDeps) {}

  /**
   * The operator's action (or the API's start): applied when the operation is in a state it
   * applies to. `requestedAt`: a FAILED_TEMP entered after the request is a later failure, which
   * waits for a decision of its own. Answers the step due; `applied` when this call made it due
   * (then with what the step can start from), not when the action found the operation running.
   */
  async begin(opId: string, action: OpAction, requestedAt: Date): Promise<{ job: StepJob; applied?: OpSnapshot } | undefined> {
    const snapshot = await this.deps.store.snapshot(opId);
    if (!snapshot) return undefined;
    const { op } = snapshot;
    if (op.cancelPending && canApply(op.state, 'cancel')) {
      await this.cancel(op);
      return undefined;
    }
    // Each action is the state machine's event of the same name.
    const event: OpEvent = action;
    const later = op.state === 'FAILED_TEMP' && op.stateEnteredTime > requestedAt;
    if (!canApply(op.state, event) || later) {
      const job = dueJob(op);
      return job && { job };
    }
    const changed = await this.change(op, actionChanges(op, event));
    const job = dueJob(changed);
    return job && { job, applied: { ...snapshot, op: changed } };
  }

  /**
   * Runs the step if it is the one due; answers the job due next. `snapshot`: what begin just
   * applied the action to (nothing else can have changed since), saving a read.
   */
  async run(job: StepJob, snapshot?: OpSnapshot): Promise<StepJob | undefined> {
    snapshot ??= this.carried.take(job) ?? (await this.deps.store.snapshot(job.opId));
    const due = snapshot && dueJob(snapshot.op);
    if (!snapshot || !due || due.run !== job.run) return undefined;
    // The step was recorded done but its successor never scheduled (a crash in between): schedule it.
    if (due.step !== job.step) return due;
    if (snapshot.op.cancelPending) return dueJob(await this.cancel(snapshot.op));
    return dueJob(snapshot.op.state === 'ROLLING_BACK' ? await this.undo(snapshot) : await this.forward(snapshot, job.step));
  }

  private async forward(snapshot: OpSnapshot, name: string): Promise<OpRecord> {
    const { op } = snapshot;
    const steps = stepsOf(op);
    const at = steps.findIndex((s) => s.name === name);
    const meter = new StepMeter();
    const ctx = this.context(snapshot, meter);
    try {
      if (at < 0) throw new Error(`${op.operation} has no step '${name}'`);
      await steps[at]!.run(ctx);
    } catch (error) {
      return this.stepFailed(ctx, name, error, meter.timings(op.timings, name));
    }
    const timings = meter.timings(op.timings, name);
    const next = steps[at + 1];
    const powerEvents = this.powerChanges(snapshot, ctx.recorded);
    const progress = next ? { currentStep: next.name, timings } : { state: nextOpState(op.state, 'complete'), currentStep: null, timings };
    const saved = await this.change(op, progress, ctx.recorded);
    for (const event of powerEvents) this.send(event);
    if (!next) return saved;
    // A cancel that arrived while the step ran stops the operation here, before the next step.
    if (saved.cancelPending) return this.cancel(saved);
    this.carried.keep(ctx.nextSnapshot(saved));
    return saved;
  }

  /**
   * The VMs whose recorded power state the step changed (a launch: a new VM running, a healed one
   * back from PAUSED), as the events the power state sync sends for the changes it finds, so a
   * watcher that saw a VM pause also sees it come back. Read before the step's writes are saved.
   */
  private powerChanges({ instance, vms }: OpSnapshot, writes: StepWrites): VmStateEvent[] {
    return vms.flatMap((vm) => {
      const change = writes.vms.get(vm.id);
      if (change?.powerState == null || change.powerState === vm.powerState) return [];
      const { powerState, powerStateReason = null } = change;
      return [vmStateEvent({ tenantId: instance.tenantId, vnfInstanceId: vm.vnfInstanceId, vduInstanceId: vm.id, vduId: vm.vduId, powerState, powerStateReason, previousPowerState: vm.powerState })];
    });
  }

  /** What the step did to the VMs that went well is recorded with the failure. */
  private stepFailed(ctx: OpContext, step: string, error: unknown, timings: OpTimings): Promise<OpRecord> {
    const { op } = ctx;
    const problem = stepProblem(step, error);
    this.deps.warn?.(`operation ${op.id} (${op.operation}) failed at step '${step}': ${problem.detail}`);
    const undoable = undoOf(op) !== undefined;
    const state = nextOpState(op.state, undoable ? 'stepFailed' : 'stepFailedNoRollback');
    return this.change(op, { state, currentStep: undoable ? ROLLBACK_STEP : step, error: problem, timings }, ctx.recorded);
  }

  private async undo(snapshot: OpSnapshot): Promise<OpRecord> {
    const { op } = snapshot;
    const undo = undoOf(op);
    const failed = nextOpState(op.state, 'rollbackFailed');
    if (!undo) return this.change(op, { state: failed, error: notRollbackableProblem(op.operation, op.error) });
    const meter = new StepMeter();
    try {
      await undo(this.context(snapshot, meter));
    } catch (error) {
      const problem = rollbackProblem(error, op.error);
      this.deps.warn?.(`operation ${op.id} (${op.operation}) could not be rolled back: ${problem.detail}`);
      return this.change(op, { state: failed, error: problem, timings: meter.timings(op.timings, ROLLBACK_STEP) });
    }
    return this.change(op, { state: nextOpState(op.state, 'rolledBack'), timings: meter.timings(op.timings, ROLLBACK_STEP) });
  }

  /**
   * The operator's cancel, acted on between steps: the step due is not run, and the operation
   * waits in FAILED_TEMP at it (a retry resumes there; after a cancelled rollback, from the first step).
   */
  private cancel(op: OpRecord): Promise<OpRecord> {
    this.deps.warn?.(`operation ${op.id} (${op.operation}) cancelled by the operator in ${op.state} at step '${op.currentStep ?? '-'}'`);
    return this.change(op, { state: nextOpState(op.state, 'cancel'), error: cancelledProblem(op.currentStep, op.error) });
  }

  private context(snapshot: OpSnapshot, meter: StepMeter): OpContext {
    const drivers = meteredDrivers(this.deps.drivers, meter.time);
    return new OpContext(snapshot, { store: this.deps.store, drivers, placer: this.deps.placer });
  }

  /**
   * Records the changes (a new state gets a new, strictly later stateEnteredTime), with what the
   * step that led to them recorded, and publishes them.
   */
  private async change(op: OpRecord, changes: OpChanges, writes?: StepWrites): Promise<OpRecord> {
    const entered = changes.state !== undefined && changes.state !== op.state;
    const stamp = entered ? { stateEnteredTime: new Date(Math.max(Date.now(), op.stateEnteredTime.getTime() + 1)) } : {};
    // Nothing runs any more once the operation waits for the operator or is final: a cancel asked meanwhile is answered.
    const settled = changes.state !== undefined && (changes.state === 'FAILED_TEMP' || isFinal(changes.state)) ? { cancelPending: false } : {};
    const saved = await this.deps.store.updateOp(op.id, { ...changes, ...stamp, ...settled }, writes);
    this.publish(saved);
    return saved;
  }

  /**
   * Events are a courtesy to watchers; Postgres has the truth, so a Redis hiccup fails nothing and
   * the next step is not held up waiting for the publish. Events of one worker leave in order.
   */
  private publish(op: OpRecord): void {
    this.send(lcmEvent({ ...op, operationState: op.state, isCancelPending: op.cancelPending }));
  }

  private send(event: LcmEvent | VmStateEvent): void {
    const subject = 'opId' in event ? event.opId : event.vduInstanceId;
    this.deps.events.publish(event).catch((error: unknown) => this.deps.warn?.(`LCM event for ${subject} not published: ${String(error)}`));
  }
}

function actionChanges(op: OpRecord, event: OpEvent): OpChanges {
  const state = nextOpState(op.state, event);
  if (event === 'retry') return { state, currentStep: resumeStep(op), error: null };
  // An operation that cannot be undone keeps its failed step: a retry after the refusal resumes there.
  if (event === 'rollback') return { state, currentStep: undoOf(op) ? ROLLBACK_STEP : op.currentStep };
  return { state, currentStep: stepsOf(op)[0]!.name };
}

/**
 * Snapshots handed from a step to the next when this worker runs both: the store is read once per
 * step otherwise, and on this machine a read costs more than a step's own work. Kept briefly, well
 * under the lcm queue's lock (10 s), so a job that comes back after a stall reads afresh.
 */
class CarriedSnapshots {
  private static readonly TTL_MS = 2000;
  private readonly byOp = new Map<string, { snapshot: OpSnapshot; at: number }>();

  keep(snapshot: OpSnapshot | undefined): void {
    if (!snapshot) return;
    const now = Date.now();
    // Oldest first: entries whose next step ran elsewhere expire here.
    for (const [opId, kept] of this.byOp) {
      if (now - kept.at < CarriedSnapshots.TTL_MS) break;
      this.byOp.delete(opId);
    }
    this.byOp.delete(snapshot.op.id);
    this.byOp.set(snapshot.op.id, { snapshot, at: now });
  }

  /** The snapshot for this job, if it is the step it was kept for (same run, same step, still fresh). */
  take(job: StepJob): OpSnapshot | undefined {
    const kept = this.byOp.get(job.opId);
    if (!kept) return undefined;
    this.byOp.delete(job.opId);
    const { op } = kept.snapshot;
    const fresh = Date.now() - kept.at < CarriedSnapshots.TTL_MS;
    return fresh && op.stateEnteredTime.getTime() === job.run && op.currentStep === job.step ? kept.snapshot : undefined;
  }
}
