import { HttpStatus } from '@nestjs/common';
import type { FieldProblem } from '#vim/descriptors';
import { canApply, OP_STATES, OpStateError, type OpEvent, type OpState } from '#vim/lcm';
import type { InstantiationState, LcmOperation, LcmOpOccEntity } from '#vim/persistence';
import { PROBLEM, type ProblemDetails, ProblemException } from '../common/problem.js';
import { opPath } from './lcm.views.js';

/** One operation per instance: the answer names the one in the way, so the client can follow it. */
export function activeOperation(instanceId: string, active: LcmOpOccEntity | null): ProblemException {
  if (!active) return ProblemException.conflict(`VNF instance '${instanceId}' has another operation in progress`);
  return ProblemException.conflict(
    `VNF instance '${instanceId}' has an operation in progress: ${active.operation} ${active.id} (${active.operationState}); one operation at a time`,
    { activeOperationId: active.id, activeOperation: opPath(active.id) },
  );
}

export function wrongInstantiationState(instanceId: string, state: InstantiationState, operation: LcmOperation, needed: InstantiationState): ProblemException {
  return ProblemException.conflict(`VNF instance '${instanceId}' is ${state}; ${operation} needs it ${needed}`, { instantiationState: state });
}

export function wrongOpState(op: LcmOpOccEntity, event: OpEvent): ProblemException {
  const state = op.operationState as OpState;
  const able = OP_STATES.filter((s) => canApply(s, event)).join(', ');
  return ProblemException.conflict(`operation '${op.id}': ${new OpStateError(state, event).message} (only ${able} can)`, { operationState: state });
}

export function notRollbackable(op: LcmOpOccEntity): ProblemException {
  return ProblemException.conflict(`operation '${op.id}' is a ${op.operation}, which cannot be rolled back; retry it or fail it`, {
    operation: op.operation,
  });
}

/** The operation was decided on (or failed again) between this request's read and its UPDATE. */
export function concurrentDecision(op: LcmOpOccEntity): ProblemException {
  return ProblemException.conflict(`operation '${op.id}' changed while this action was being taken (another action, or a new failure); look at it again`, {
    operationState: op.operationState,
  });
}

/** Heal names VMs by id; each must be one of the instance's. */
export function foreignVms(requested: readonly string[], owned: ReadonlySet<string>, instanceId: string): FieldProblem[] {
  return requested.flatMap((id, index) =>
    owned.has(id) ? [] : [{ path: `/vduInstanceIds/${index}`, message: `VM '${id}' is not one of VNF instance '${instanceId}'` }],
  );
}

/** What a failed operation records when the queue did not take its job. */
export function queueProblem(cause: unknown): ProblemDetails {
  const reason = cause instanceof Error ? cause.message : String(cause);
  return {
    type: PROBLEM.unavailable,
    title: 'Service Unavailable',
    status: HttpStatus.SERVICE_UNAVAILABLE,
    detail: `the operation could not be handed to the worker: ${reason}`,
  };
}

/** The answer: the queue's problem, what became of the operation, and where to look at it. */
export function queueUnavailable(opId: string, problem: ProblemDetails, outcome: string): ProblemException {
  return ProblemException.unavailable(`${problem.detail}; ${outcome}`, { operationId: opId, operation: opPath(opId) });
}
