import { useEffect, useState } from 'react';
import { useQueryClient, type QueryClient } from '@tanstack/react-query';
import { SseParser, staleQueries, toStreamEvent, type StreamEvent } from '../logic/sse.js';
import { signalUnauthorized, toApiError } from './client.js';

export type StreamStatus = 'connecting' | 'open' | 'closed' | 'error';

type Listener = (event: StreamEvent) => void;
const listeners = new Set<Listener>();

/** Components that want the events themselves (an operation's steps, the latest alerts). */
export function onStreamEvent(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/**
 * GET /api/v1/vnf_lcm_op_occs/events read with fetch (EventSource cannot send the Authorization
 * header); each event invalidates the queries it makes stale. Reconnects with backoff.
 */
export async function readEvents(token: string, client: QueryClient, signal: AbortSignal, onStatus: (s: StreamStatus, detail?: string) => void): Promise<void> {
  onStatus('connecting');
  const res = await fetch('/api/v1/vnf_lcm_op_occs/events', { headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' }, signal });
  if (!res.ok || !res.body) {
    const error = await toApiError(res);
    throw Object.assign(new Error(error.message), { status: res.status });
  }
  onStatus('open');
  const parser = new SseParser();
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    for (const frame of parser.push(value)) {
      const event = toStreamEvent(frame);
      if (!event) continue;
      for (const key of staleQueries(event)) void client.invalidateQueries({ queryKey: key });
      for (const listener of listeners) listener(event);
    }
  }
}

/** Keeps the stream open while signed in; its status for the header. */
export function useEventStream(token: string | null): { status: StreamStatus; detail?: string } {
  const client = useQueryClient();
  const [state, setState] = useState<{ status: StreamStatus; detail?: string }>({ status: 'closed' });
  useEffect(() => {
    if (!token) return undefined;
    const controller = new AbortController();
    let delay = 1000;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let opened = false;
    const run = () => {
      readEvents(token, client, controller.signal, (status, detail) => {
        if (status === 'open') {
          delay = 1000;
          // Events may have been lost while away (an error or the stream ending): read everything again.
          if (opened) void client.invalidateQueries();
          opened = true;
        }
        setState({ status, detail });
      })
        .then(() => {
          if (controller.signal.aborted) return;
          setState({ status: 'closed', detail: 'the stream ended; reconnecting' });
          timer = setTimeout(run, delay);
        })
        .catch((error: unknown) => {
          if (controller.signal.aborted) return;
          const status = (error as { status?: number }).status;
          setState({ status: 'error', detail: String((error as Error).message ?? error) });
          // The token was revoked or expired: sign out, as the API client does.
          if (status === 401) signalUnauthorized();
          if (status === 401 || status === 403) return;
          delay = Math.min(delay * 2, 30_000);
          timer = setTimeout(run, delay);
        });
    };
    run();
    return () => {
      controller.abort();
      if (timer) clearTimeout(timer);
    };
  }, [token, client]);
  return state;
}
