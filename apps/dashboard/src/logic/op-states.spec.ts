import { describe, expect, test } from '@jest/globals';
import { CHAIN_STATES, isFinal, isRunning, LCM_STATES } from './op-states.js';

describe('operation states', () => {
  test('final and running', () => {
    expect(LCM_STATES.filter(isFinal)).toEqual(['COMPLETED', 'FAILED', 'ROLLED_BACK']);
    expect(CHAIN_STATES.filter(isFinal)).toEqual(['COMPLETED', 'FAILED']);
    expect(LCM_STATES.filter(isRunning)).toEqual(['STARTING', 'PROCESSING', 'ROLLING_BACK']);
  });
});
