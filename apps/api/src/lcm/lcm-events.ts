import type { ChainEvent } from '#vim/chains';
import { type HostStateEvent, type LcmEvent, lcmEvent, type OpState, type VmStateEvent } from '#vim/lcm';
import type { LcmOpOccEntity } from '#vim/persistence';

/** Which events one stream wants: always one tenant's, optionally one instance's. */
export interface EventFilter {
  tenantId: string;
  vnfInstanceId?: string;
}

/** One connected client of the event stream. */
export interface StreamClient {
  filter: EventFilter;
  write(chunk: string): void;
  end(): void;
}

/**
 * A published message as an event, or undefined. The channel is plain Redis pub/sub, so a
 * malformed message from any publisher must be dropped rather than break every stream.
 */
export function parseLcmEvent(message: string): LcmEvent | undefined {
  const value = parseObject(message);
  if (!value) return undefined;
  const { opId, tenantId, vnfInstanceId } = value;
  return [opId, tenantId, vnfInstanceId].every((field) => typeof field === 'string') ? (value as unknown as LcmEvent) : undefined;
}

function parseObject(message: string): Record<string, unknown> | undefined {
  let value: unknown;
  try {
    value = JSON.parse(message);
  } catch {
    return undefined;
  }
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/**
 * What the channel carries: lifecycle operations' changes, VMs' power state changes
 * (`kind: 'vm-state'`), service chains' operations and states (`kind: 'chain'`) and hosts going
 * UP or DOWN (`kind: 'host-state'`).
 */
export type StreamEvent = LcmEvent | VmStateEvent | ChainEvent | HostStateEvent;

/** The SSE event name of each kind. */
const eventName = (event: StreamEvent): string => ('kind' in event ? event.kind : 'lcm');

const KIND_FIELDS: Readonly<Record<string, readonly string[]>> = {
  'vm-state': ['tenantId', 'vnfInstanceId', 'vduInstanceId', 'powerState'],
  chain: ['tenantId', 'chainId', 'opId', 'operationState', 'chainState'],
  'host-state': ['hostId', 'hostName', 'state'],
};

/** A published message as an operation's, a VM's or a chain's event, or undefined (dropped, like a malformed one). */
export function parseStreamEvent(message: string): StreamEvent | undefined {
  const op = parseLcmEvent(message);
  if (op) return op;
  const value = parseObject(message);
  const fields = typeof value?.kind === 'string' ? KIND_FIELDS[value.kind] : undefined;
  if (!value || !fields) return undefined;
  return fields.every((field) => typeof value[field] === 'string') ? (value as unknown as StreamEvent) : undefined;
}

/** The event the worker would publish for this state of the operation. */
export function opEvent(op: LcmOpOccEntity, at = new Date()): LcmEvent {
  return lcmEvent({ ...op, operationState: op.operationState as OpState }, at);
}

/**
 * A stream of one instance's events leaves the chains' and the hosts' out (they name no instance);
 * hosts belong to no tenant, so every other stream gets theirs.
 */
export function eventMatches(event: StreamEvent, filter: EventFilter): boolean {
  if ('kind' in event && event.kind === 'host-state') return filter.vnfInstanceId === undefined;
  const tenantId = (event as Exclude<StreamEvent, HostStateEvent>).tenantId;
  return tenantId === filter.tenantId && (filter.vnfInstanceId === undefined || ('vnfInstanceId' in event && event.vnfInstanceId === filter.vnfInstanceId));
}

/** JSON.stringify never emits a raw line break, so the event always fits one `data:` line. */
export const sseFrame = (event: StreamEvent): string => `event: ${eventName(event)}\ndata: ${JSON.stringify(event)}\n\n`;

/** A comment line: clients ignore it, proxies and load balancers see traffic on an idle stream. */
export const SSE_HEARTBEAT = ': heartbeat\n\n';

/**
 * Fans the one subscription of a process out to its clients, each getting only what its
 * filter allows, and keeps idle streams alive with a heartbeat while anyone listens.
 */
export class EventFanout {
  private readonly clients = new Set<StreamClient>();
  private heartbeat: NodeJS.Timeout | undefined;

  constructor(private readonly heartbeatMs: number) {}

  get size(): number {
    return this.clients.size;
  }

  /** Returns the function that removes the client again (safe to call twice). */
  add(client: StreamClient): () => void {
    this.clients.add(client);
    this.heartbeat ??= setInterval(() => this.broadcast(SSE_HEARTBEAT), this.heartbeatMs).unref();
    return () => this.remove(client);
  }

  publish(message: string): void {
    const event = parseStreamEvent(message);
    if (!event) return;
    const frame = sseFrame(event);
    for (const client of this.clients) if (eventMatches(event, client.filter)) client.write(frame);
  }

  /** Ends every stream: an open one would keep the HTTP server from closing. */
  closeAll(): void {
    for (const client of [...this.clients]) {
      this.remove(client);
      client.end();
    }
  }

  private broadcast(chunk: string): void {
    for (const client of this.clients) client.write(chunk);
  }

  private remove(client: StreamClient): void {
    this.clients.delete(client);
    if (this.clients.size > 0 || !this.heartbeat) return;
    clearInterval(this.heartbeat);
    this.heartbeat = undefined;
  }
}
