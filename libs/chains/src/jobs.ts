import type { Ethertype } from './model.js';

/**
 * What the API and the worker say to each other about chains, on the `chains` queue. The API
 * records the chain and its operation (STARTING) in Postgres, then enqueues `apply-chain`; the
 * worker owns every later change of the chain's state and of the operation, and announces it.
 */
export const APPLY_CHAIN_JOB = 'apply-chain';
/** Re-render and reinstall where the rendering or the switch changed; `vnfInstanceId` narrows it to the chains through one instance. */
export const REFRESH_CHAINS_JOB = 'refresh-chains';
/** `ofproto/trace` of one packet on the chain's bridge; the API waits for the job's result. */
export const TRACE_CHAIN_JOB = 'trace-chain';

export interface ApplyChainJob {
  chainId: string;
  opId: string;
}

export interface RefreshChainsJob {
  /** Only the chains through this VNF instance; every chain when absent (the periodic check). */
  vnfInstanceId?: string;
  /** Why, for the log and the REPAIR operation's params (`instance healed`, `periodic check`). */
  reason: string;
}

/** A packet as the trace endpoint takes it: where it enters is the chain's ingress unless `inPort` says otherwise. */
export interface ChainTraceRequest {
  ethertype: Ethertype;
  source: string;
  destination: string;
  protocol: number;
  sourcePort?: number;
  destinationPort?: number;
}

export interface TraceChainJob {
  tenantId: string;
  chainId: string;
  packet: ChainTraceRequest;
  /**
   * Trace the packet as it leaves hop `from`'s egress port (a live instance of it) instead of from
   * the ingress. Either way the worker walks on, hop by hop, to the egress or a drop.
   */
  from?: number;
}

export const applyChainJobId = (opId: string): string => `chain-op-${opId}`;

/**
 * Published by the worker (and the API for what it changes itself) on the channel the lifecycle
 * events use, so the one event stream carries both; `kind` tells them apart.
 */
export interface ChainEvent {
  kind: 'chain';
  tenantId: string;
  chainId: string;
  chainName: string;
  opId: string;
  operation: string;
  operationState: string;
  chainState: string;
  stateReason?: string | null;
  /** RFC 7807 problem when the operation failed. */
  error?: Record<string, unknown> | null;
  at: string;
}

/** What a ChainEvent says, as plain fields (the API's entities and the worker's records both have them). */
export type ChainEventFields = Omit<ChainEvent, 'kind' | 'at'>;

/** The one way to build a ChainEvent, for the API and the worker alike. */
export function chainEvent(fields: ChainEventFields, at: Date = new Date()): ChainEvent {
  return {
    kind: 'chain',
    tenantId: fields.tenantId,
    chainId: fields.chainId,
    chainName: fields.chainName,
    opId: fields.opId,
    operation: fields.operation,
    operationState: fields.operationState,
    chainState: fields.chainState,
    stateReason: fields.stateReason ?? null,
    error: fields.error ?? null,
    at: at.toISOString(),
  };
}
