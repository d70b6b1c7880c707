import { isRollbackable } from '#vim/lcm';
import { PROBLEM } from '#vim/problems';
import { healSteps } from './heal.js';
import { INSTANTIATE_STEPS, undoInstantiate } from './instantiate.js';
import type { OpContext } from './op-context.js';
import { StepError } from './problem.js';
import type { OpRecord } from './records.js';
import type { Step } from './step.js';
import { TERMINATE_STEPS } from './terminate.js';

/** Not a step of any operation: the undo of an INSTANTIATE, one job. */
export const ROLLBACK_STEP = 'rollback';

function unsupported(operation: string): Step[] {
  const problem = { type: PROBLEM.notSupported, title: 'Operation not supported', status: 501, detail: `the worker cannot run ${operation} operations yet` };
  return [{ name: 'check-request', run: async () => Promise.reject(new StepError({ ...problem, step: 'check-request' })) }];
}

/** The steps of an operation, in order. */
export function stepsOf(op: Pick<OpRecord, 'operation' | 'params'>): readonly Step[] {
  switch (op.operation) {
    case 'INSTANTIATE':
      return INSTANTIATE_STEPS;
    case 'TERMINATE':
      return TERMINATE_STEPS;
    case 'HEAL':
      return healSteps(op.params);
    default:
      return unsupported(op.operation);
  }
}

/**
 * How an operation is undone. Only an instantiation can be (SOL003 rolls back neither terminate
 * nor heal): a failed one is undone at once, the others wait in FAILED_TEMP for the operator.
 */
export function undoOf(op: Pick<OpRecord, 'operation'>): ((ctx: OpContext) => Promise<void>) | undefined {
  return isRollbackable(op.operation) ? undoInstantiate : undefined;
}
