import { connect, type Socket } from 'node:net';
import { JsonStreamSplitter } from './json-stream.js';

interface Pending {
  resolve: (result: unknown) => void;
  reject: (error: Error) => void;
}

/** Where and why OVSDB refused a transaction (RFC 7047 4.1.3). */
export interface TransactionFailure {
  /** Index of the failed operation; operations.length when the commit itself failed. */
  index: number;
  error: string;
  details?: string;
}

export class OvsdbError extends Error {
  constructor(
    message: string,
    readonly failure?: TransactionFailure,
  ) {
    super(message);
  }
}

/**
 * The first error in a transact result. A failed commit (constraint or referential integrity
 * violation) adds an element after the operations' results, so its index is operations.length.
 */
export function transactionFailure(results: readonly unknown[]): TransactionFailure | undefined {
  const index = results.findIndex((r) => typeof (r as { error?: unknown } | null)?.error === 'string');
  if (index < 0) return undefined;
  const { error, details } = results[index] as { error: string; details?: unknown };
  return typeof details === 'string' ? { index, error, details } : { index, error };
}

/** `unix:/path` or `tcp:host:port`, as ovs-vsctl's --db takes them. */
export function parseRemote(remote: string): { path: string } | { host: string; port: number } {
  const unix = /^unix:(\/.+)$/.exec(remote);
  if (unix) return { path: unix[1] };
  const tcp = /^tcp:([^:]+|\[[0-9a-fA-F:]+\]):(\d{1,5})$/.exec(remote);
  if (tcp) return { host: tcp[1].replace(/^\[|\]$/g, ''), port: Number(tcp[2]) };
  throw new OvsdbError(`unsupported OVSDB remote '${remote}' (use unix:/path or tcp:host:port)`);
}

/** A minimal OVSDB JSON-RPC client (RFC 7047): requests by id, and answers to the server's echo. */
export class OvsdbClient {
  private nextId = 0;
  private readonly pending = new Map<number, Pending>();
  private readonly splitter = new JsonStreamSplitter();
  private isClosed = false;

  private constructor(private readonly socket: Socket) {
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => this.splitter.push(chunk).forEach((text) => this.onMessage(text)));
    socket.on('close', () => {
      this.isClosed = true;
      this.failAll(new OvsdbError('OVSDB connection closed'));
    });
    socket.on('error', (error) => this.failAll(new OvsdbError(`OVSDB connection failed: ${error.message}`)));
  }

  static connect(remote: string, timeoutMs = 5000): Promise<OvsdbClient> {
    const target = parseRemote(remote);
    return new Promise((resolve, reject) => {
      const socket = connect(target as never);
      const timer = setTimeout(() => socket.destroy(new Error(`no connection to ${remote} in ${timeoutMs} ms`)), timeoutMs);
      socket.once('connect', () => {
        clearTimeout(timer);
        resolve(new OvsdbClient(socket));
      });
      socket.once('error', (error) => {
        clearTimeout(timer);
        reject(new OvsdbError(`cannot reach OVSDB at ${remote}: ${error.message}`));
      });
    });
  }

  /** True once the connection has ended; every later request fails, so callers reconnect. */
  get closed(): boolean {
    return this.isClosed;
  }

  request<T = unknown>(method: string, params: unknown[]): Promise<T> {
    // A write to a destroyed socket may never emit 'error', which would leave the request pending.
    if (this.isClosed) return Promise.reject(new OvsdbError('OVSDB connection closed'));
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (r: unknown) => void, reject });
      this.socket.write(JSON.stringify({ method, params, id }));
    });
  }

  listDbs(): Promise<string[]> {
    return this.request<string[]>('list_dbs', []);
  }

  /** Runs operations atomically; a failed operation rejects with OVSDB's own error text. */
  async transact(database: string, ...operations: Record<string, unknown>[]): Promise<Record<string, unknown>[]> {
    const results = await this.request<Record<string, unknown>[]>('transact', [database, ...operations]);
    const failure = transactionFailure(results);
    if (failure) throw new OvsdbError(`OVSDB transaction failed: ${failure.error}${failure.details ? ` (${failure.details})` : ''}`, failure);
    return results;
  }

  close(): void {
    this.socket.end();
  }

  private onMessage(text: string): void {
    const message = JSON.parse(text) as { id: number | string | null; method?: string; params?: unknown; result?: unknown; error?: unknown };
    if (message.method === 'echo') {
      this.socket.write(JSON.stringify({ id: message.id, result: message.params, error: null }));
      return;
    }
    const pending = typeof message.id === 'number' ? this.pending.get(message.id) : undefined;
    if (!pending) return;
    this.pending.delete(message.id as number);
    if (message.error) pending.reject(new OvsdbError(`OVSDB error: ${JSON.stringify(message.error)}`));
    else pending.resolve(message.result);
  }

  private failAll(error: Error): void {
    for (const pending of this.pending.values()) pending.reject(error);
    this.pending.clear();
  }
}
