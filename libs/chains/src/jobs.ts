import type { Ethertype } from './model.js';
import type { ChainTrace } from './trace.js';

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

/** A packet as the trace endpoint takes it; it enters at the chain's ingress (its port, and VLAN for a tagged network). */
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
}

/** The walk of a trace-chain job, and which rules of the chain it was made against. */
export interface ChainTraceResult extends ChainTrace {
  chainId: string;
  generation: number;
  /** The cookie of the installed generation's flows, `0x…`. */
  cookie: string;
}

/**
 * Why a trace-chain job could not trace, as the API maps it to HTTP:
 * - `not-found`: no such chain for the tenant (404);
 * - `cannot-trace`: the chain as it stands gives the walk no start, e.g. a network ingress without
 *   a port, or an ingress instance with no port (409);
 * - `invalid-packet`: ofproto/trace's flow cannot be made of the packet (400).
 * Anything else (a switch that cannot be reached or read) fails the job.
 */
export type ChainTraceErrorKind = 'not-found' | 'cannot-trace' | 'invalid-packet';

export interface ChainTraceError {
  error: ChainTraceErrorKind;
  detail: string;
}

/** What a trace-chain job returns: the walk, or why there is none. */
export type ChainTraceAnswer = ChainTraceResult | ChainTraceError;

export const isChainTraceError = (answer: ChainTraceAnswer): answer is ChainTraceError => 'error' in answer;

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
