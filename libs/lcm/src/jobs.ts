import type { OpState } from './op-state.js';

/**
 * What the API puts on the `lcm` queue. The API records the operation (STARTING, or an operator
 * action on a FAILED_TEMP one) in Postgres first, then enqueues `run-op`; the worker moves the
 * operation through its steps, one job per step, and owns every later state change.
 */
export const RUN_OP_JOB = 'run-op';

export type OpAction = 'start' | 'retry' | 'rollback';

export interface RunOpJob {
  opId: string;
  action: OpAction;
}

/** The job id makes a second enqueue of the same action join the first instead of running twice. */
export function runOpJobId(opId: string, action: OpAction, attempt: number): string {
  return `op-${opId}-${action}-${attempt}`;
}

/**
 * Published by the worker on `lcmEventChannel(prefix)` at every state or step change; the API
 * streams them to the dashboard as server-sent events (only to the operation's tenant).
 */
export interface LcmEvent {
  opId: string;
  vnfInstanceId: string;
  tenantId: string;
  operation: string;
  operationState: OpState;
  currentStep: string | null;
  /** RFC 7807 problem when the operation failed. */
  error?: Record<string, unknown> | null;
  /** The operator asked for a cancel that the worker has not acted on yet. */
  isCancelPending: boolean;
  at: string;
}

/** The event for an operation as it now is; the API and the worker announce the changes each makes. */
export function lcmEvent(
  op: {
    id: string; vnfInstanceId: string; tenantId: string; operation: string; operationState: OpState; currentStep: string | null;
    error?: Record<string, unknown> | null; isCancelPending?: boolean;
  },
  at = new Date(),
): LcmEvent {
  return {
    opId: op.id,
    vnfInstanceId: op.vnfInstanceId,
    tenantId: op.tenantId,
    operation: op.operation,
    operationState: op.operationState,
    currentStep: op.currentStep,
    error: op.error,
    isCancelPending: op.isCancelPending ?? false,
    at: at.toISOString(),
  };
}

export function lcmEventChannel(queuePrefix: string): string {
  return `${queuePrefix}:lcm-events`;
}
