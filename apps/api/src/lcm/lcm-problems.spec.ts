import { describe, expect, test } from '@jest/globals';
import { LcmOperation, LcmOperationState, type LcmOpOccEntity } from '#vim/persistence';
import { activeOperation, concurrentDecision, foreignVms, queueProblem, queueUnavailable, wrongOpState } from './lcm-problems.js';

const op = { id: 'b3c1f1de-0000-4000-8000-000000000001', operation: LcmOperation.INSTANTIATE, operationState: LcmOperationState.STARTING } as LcmOpOccEntity;

describe('LCM problems', () => {
  test('a conflict with the active operation names it', () => {
    expect(activeOperation('vnf-1', op).problem).toMatchObject({
      status: 409,
      activeOperationId: op.id,
      activeOperation: `/api/v1/vnf_lcm_op_occs/${op.id}`,
      detail: expect.stringContaining(op.id),
    });
    expect(activeOperation('vnf-1', null).problem.status).toBe(409);
  });

  test('an operator action in the wrong state names the state', () => {
    expect(wrongOpState(op, 'retry').problem).toMatchObject({ status: 409, operationState: 'STARTING', detail: expect.stringContaining('in state STARTING cannot retry') });
    expect(concurrentDecision({ ...op, operationState: LcmOperationState.FAILED_TEMP } as LcmOpOccEntity).problem).toMatchObject({ status: 409, operationState: 'FAILED_TEMP' });
  });

  test('foreignVms points at each VM that is not the instance’s', () => {
    expect(foreignVms(['a', 'x', 'b', 'y'], new Set(['a', 'b']), 'vnf-1')).toEqual([
      { path: '/vduInstanceIds/1', message: "VM 'x' is not one of VNF instance 'vnf-1'" },
      { path: '/vduInstanceIds/3', message: "VM 'y' is not one of VNF instance 'vnf-1'" },
    ]);
    expect(foreignVms([], new Set(), 'vnf-1')).toEqual([]);
  });

  test('an unqueued operation: a 503 naming the operation and when to come back', () => {
    const problem = queueProblem(new Error('Connection is closed.'));
    expect(problem).toMatchObject({ status: 503, detail: expect.stringContaining('Connection is closed.') });
    expect(queueUnavailable(op.id, problem, 'the operation is FAILED').problem).toMatchObject({
      status: 503,
      operationId: op.id,
      retryAfter: 5,
      detail: expect.stringMatching(/Connection is closed\..*the operation is FAILED$/),
    });
  });
});
