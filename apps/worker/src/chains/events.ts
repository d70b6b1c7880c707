import { type ChainEvent, chainEvent as buildChainEvent } from '#vim/chains';
import type { ChainEventSink, ChainOpRecord, ChainRecord } from './records.js';

/** The event for an operation and its chain as they now are. `chainState` 'DELETED' once the row is gone. */
export function chainEvent(op: ChainOpRecord, chain: Pick<ChainRecord, 'state' | 'stateReason'> | { state: 'DELETED'; stateReason: null }, at = new Date()): ChainEvent {
  return buildChainEvent(
    {
      tenantId: op.tenantId, chainId: op.chainId, chainName: op.chainName, opId: op.id, operation: op.operation, operationState: op.operationState,
      chainState: chain.state, stateReason: chain.stateReason, error: op.error,
    },
    at,
  );
}

/** Watchers are a courtesy: Postgres has every change, so a failed publish is logged, not thrown. */
export async function announce(sink: ChainEventSink, event: ChainEvent, warn: (message: string) => void): Promise<void> {
  await sink.publish(event).catch((error: unknown) => warn(`chain event for ${event.chainId} not published: ${String(error)}`));
}
