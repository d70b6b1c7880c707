import { describe, expect, test } from '@jest/globals';
import { CANCELLABLE_OP_STATES, canApply, isFinal, isRollbackable, nextOpState, OP_STATES, type OpEvent, OpStateError } from './op-state.js';

describe('operation state machine', () => {
  test('the happy path and the automatic rollback', () => {
    expect(nextOpState(nextOpState('STARTING', 'start'), 'complete')).toBe('COMPLETED');
    expect(nextOpState(nextOpState('PROCESSING', 'stepFailed'), 'rolledBack')).toBe('ROLLED_BACK');
  });

  test('FAILED_TEMP waits for the operator: retry, rollback or fail', () => {
    expect(nextOpState('PROCESSING', 'stepFailedNoRollback')).toBe('FAILED_TEMP');
    expect(nextOpState('ROLLING_BACK', 'rollbackFailed')).toBe('FAILED_TEMP');
    expect(nextOpState('FAILED_TEMP', 'retry')).toBe('PROCESSING');
    expect(nextOpState('FAILED_TEMP', 'rollback')).toBe('ROLLING_BACK');
    expect(nextOpState('FAILED_TEMP', 'fail')).toBe('FAILED');
  });

  test('operator actions outside FAILED_TEMP are refused with the state and the action named', () => {
    for (const event of ['retry', 'rollback', 'fail'] as OpEvent[]) {
      for (const state of OP_STATES.filter((s) => s !== 'FAILED_TEMP')) {
        expect(canApply(state, event)).toBe(false);
        expect(() => nextOpState(state, event)).toThrow(new OpStateError(state, event));
      }
    }
    expect(() => nextOpState('COMPLETED', 'retry')).toThrow('an operation in state COMPLETED cannot retry');
  });

  test('a cancel stops what still runs and leaves it FAILED_TEMP; anything else refuses it', () => {
    expect(CANCELLABLE_OP_STATES).toEqual(['STARTING', 'PROCESSING', 'ROLLING_BACK']);
    for (const state of CANCELLABLE_OP_STATES) expect(nextOpState(state, 'cancel')).toBe('FAILED_TEMP');
    for (const state of ['COMPLETED', 'FAILED_TEMP', 'ROLLED_BACK', 'FAILED'] as const) {
      expect(() => nextOpState(state, 'cancel')).toThrow(new OpStateError(state, 'cancel'));
    }
  });

  test('COMPLETED, ROLLED_BACK and FAILED are final; the others are not', () => {
    expect(OP_STATES.filter(isFinal)).toEqual(['COMPLETED', 'ROLLED_BACK', 'FAILED']);
  });

  test('only an instantiation can be rolled back', () => {
    expect(['INSTANTIATE', 'TERMINATE', 'HEAL', 'SCALE'].filter(isRollbackable)).toEqual(['INSTANTIATE']);
  });
});
