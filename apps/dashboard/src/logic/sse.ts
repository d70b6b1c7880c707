/** One server-sent event: its name (`message` when the frame names none) and its data lines joined. */
export interface SseFrame {
  event: string;
  data: string;
  id?: string;
}

/**
 * Server-sent events from text chunks as a fetch body delivers them: a frame may span chunks and a
 * chunk may hold several frames; comment lines (`: heartbeat`) are skipped; CRLF, CR and LF all end
 * lines (https://html.spec.whatwg.org/multipage/server-sent-events.html#parsing-an-event-stream).
 */
export class SseParser {
  private buffer = '';
  private event = '';
  private data: string[] = [];
  private id: string | undefined;

  push(chunk: string): SseFrame[] {
    this.buffer += chunk;
    const frames: SseFrame[] = [];
    for (;;) {
      const match = /\r\n|\r|\n/.exec(this.buffer);
      if (!match) break;
      // A lone CR at the end of the buffer may be the first half of CRLF: wait for more.
      if (match[0] === '\r' && match.index === this.buffer.length - 1) break;
      const line = this.buffer.slice(0, match.index);
      this.buffer = this.buffer.slice(match.index + match[0].length);
      const frame = this.line(line);
      if (frame) frames.push(frame);
    }
    return frames;
  }

  private line(line: string): SseFrame | undefined {
    if (line === '') {
      if (this.data.length === 0) {
        this.event = '';
        return undefined;
      }
      const frame: SseFrame = { event: this.event || 'message', data: this.data.join('\n'), ...(this.id !== undefined && { id: this.id }) };
      this.event = '';
      this.data = [];
      return frame;
    }
    if (line.startsWith(':')) return undefined;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'event') this.event = value;
    else if (field === 'data') this.data.push(value);
    else if (field === 'id') this.id = value;
    return undefined;
  }
}

/** The stream's events as the dashboard reads them. */
export type StreamEvent =
  | { kind: 'lcm'; opId: string; vnfInstanceId: string; operation: string; operationState: string; currentStep: string | null; error?: Record<string, unknown> | null; at: string }
  | { kind: 'vm-state'; vnfInstanceId: string; vduInstanceId: string; vduId: string; powerState: string; powerStateReason: string | null; previousPowerState: string | null; at: string }
  | { kind: 'chain'; chainId: string; chainName: string; opId: string; operation: string; operationState: string; chainState: string; stateReason?: string | null; at: string }
  | { kind: 'host-state'; hostId: string; hostName: string; state: 'UP' | 'DOWN'; previousState: string; at: string };

const KINDS = new Set(['lcm', 'vm-state', 'chain', 'host-state']);

/** A frame as a typed event, or undefined for other names and unreadable data. */
export function toStreamEvent(frame: SseFrame): StreamEvent | undefined {
  if (!KINDS.has(frame.event)) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(frame.data);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  return { ...(value as Record<string, unknown>), kind: frame.event } as StreamEvent;
}

/** Which cached queries an event makes stale (TanStack Query keys, by prefix). */
export function staleQueries(event: StreamEvent): string[][] {
  switch (event.kind) {
    case 'lcm':
      return [['lcm-ops'], ['lcm-op', event.opId], ['instances'], ['instance', event.vnfInstanceId], ['hosts']];
    case 'vm-state':
      return [['instances'], ['instance', event.vnfInstanceId], ['chains'], ['hosts']];
    case 'chain':
      return [['chains'], ['chain', event.chainId], ['chain-ops']];
    case 'host-state':
      return [['hosts'], ['host', event.hostId]];
  }
}
