import { describe, expect, test } from '@jest/globals';
import { chainEvent } from './jobs.js';

describe('chainEvent', () => {
  test('builds the one ChainEvent shape from plain fields, for the API and the worker alike', () => {
    const event = chainEvent(
      { tenantId: 't', chainId: 'c', chainName: 'web', opId: 'o', operation: 'UPDATE', operationState: 'FAILED', chainState: 'ACTIVE', stateReason: 'x', error: { status: 422 } },
      new Date('2026-12-07T23:00:00Z'),
    );
    expect(event).toEqual({
      kind: 'chain', tenantId: 't', chainId: 'c', chainName: 'web', opId: 'o', operation: 'UPDATE', operationState: 'FAILED', chainState: 'ACTIVE',
      stateReason: 'x', error: { status: 422 }, at: '2026-12-07T23:00:00.000Z',
    });
  });

  test('an absent reason and error are null, as the stream has always carried them', () => {
    const event = chainEvent({ tenantId: 't', chainId: 'c', chainName: 'web', opId: 'o', operation: 'CREATE', operationState: 'STARTING', chainState: 'PENDING' });
    expect(event.stateReason).toBeNull();
    expect(event.error).toBeNull();
  });
});
