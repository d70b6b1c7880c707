import { Injectable } from '@nestjs/common';
import { type ChainEvent, chainEvent as buildChainEvent } from '#vim/chains';
import type { ChainOpOccEntity, ServiceChainEntity } from '#vim/persistence';
import { LcmEventStream } from '../lcm/lcm-event-stream.service.js';

export function chainEvent(row: ServiceChainEntity, op: ChainOpOccEntity, at = new Date()): ChainEvent {
  return buildChainEvent(
    {
      tenantId: row.tenantId, chainId: row.id, chainName: row.name, opId: op.id, operation: op.operation, operationState: op.operationState,
      chainState: row.state, stateReason: row.stateReason, error: op.error,
    },
    at,
  );
}

/** The API's own chain changes, on the stream the worker's go to. */
@Injectable()
export class ChainEvents {
  constructor(private readonly stream: LcmEventStream) {}

  announce(row: ServiceChainEntity, op: ChainOpOccEntity): void {
    this.stream.publish(chainEvent(row, op), `chain operation ${op.id}`);
  }
}
