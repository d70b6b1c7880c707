/**
 * The lifecycle of one operation occurrence (ETSI SOL003 VnfLcmOpOcc.operationState), as a pure
 * transition table. The worker drives STARTING -> PROCESSING -> COMPLETED; a failed step rolls
 * back automatically (ROLLING_BACK -> ROLLED_BACK), and an operation that cannot be rolled back
 * (terminate) or whose rollback failed waits in FAILED_TEMP for the operator: retry, rollback or
 * fail (FAILED is final). A cancel stops an operation that is still running at its next step
 * boundary and leaves it FAILED_TEMP, for the same decision.
 */
export const OP_STATES = ['STARTING', 'PROCESSING', 'COMPLETED', 'FAILED_TEMP', 'ROLLING_BACK', 'ROLLED_BACK', 'FAILED'] as const;
export type OpState = (typeof OP_STATES)[number];

export type OpEvent =
  /** The worker took the operation. */
  | 'start'
  /** Every step done. */
  | 'complete'
  /** A step failed and the operation can be undone: undo it now. */
  | 'stepFailed'
  /** A step failed and the operation cannot be undone (terminate): wait for the operator. */
  | 'stepFailedNoRollback'
  /** Every undo step done. */
  | 'rolledBack'
  /** An undo step failed: wait for the operator. */
  | 'rollbackFailed'
  /** Operator: run the failed operation again from its failed step. */
  | 'retry'
  /** Operator: undo the failed operation. */
  | 'rollback'
  /**
   * Operator: give up; nothing is undone and the operation is final (what a failed instantiation
   * left is rolled back later by the worker's reconciler, as an operation of its own).
   */
  | 'fail'
  /**
   * The worker, for the operator's cancel (SOL003 cancel): the running step is left to finish,
   * then the operation waits for a decision like any other failure.
   */
  | 'cancel';

const TRANSITIONS: Record<OpState, Partial<Record<OpEvent, OpState>>> = {
  STARTING: { start: 'PROCESSING', cancel: 'FAILED_TEMP' },
  PROCESSING: { complete: 'COMPLETED', stepFailed: 'ROLLING_BACK', stepFailedNoRollback: 'FAILED_TEMP', cancel: 'FAILED_TEMP' },
  ROLLING_BACK: { rolledBack: 'ROLLED_BACK', rollbackFailed: 'FAILED_TEMP', cancel: 'FAILED_TEMP' },
  FAILED_TEMP: { retry: 'PROCESSING', rollback: 'ROLLING_BACK', fail: 'FAILED' },
  COMPLETED: {},
  ROLLED_BACK: {},
  FAILED: {},
};

/** States in which an operation still holds its instance (one such operation per instance). */
export const ACTIVE_OP_STATES: readonly OpState[] = ['STARTING', 'PROCESSING', 'FAILED_TEMP', 'ROLLING_BACK'];

/** States a cancel can be asked in: those in which the worker still has steps to run. */
export const CANCELLABLE_OP_STATES: readonly OpState[] = OP_STATES.filter((state) => canApply(state, 'cancel'));

export class OpStateError extends Error {
  constructor(
    readonly state: OpState,
    readonly event: OpEvent,
  ) {
    super(`an operation in state ${state} cannot ${event}`);
    this.name = 'OpStateError';
  }
}

/** The state after `event`, or OpStateError when `event` is not allowed in `state`. */
export function nextOpState(state: OpState, event: OpEvent): OpState {
  const next = TRANSITIONS[state][event];
  if (next === undefined) throw new OpStateError(state, event);
  return next;
}

export function canApply(state: OpState, event: OpEvent): boolean {
  return TRANSITIONS[state][event] !== undefined;
}

export function isFinal(state: OpState): boolean {
  return Object.keys(TRANSITIONS[state]).length === 0;
}

/** Only an instantiation can be undone (SOL003); a failed terminate or heal is retried or failed. */
export function isRollbackable(operation: string): boolean {
  return operation === 'INSTANTIATE';
}
