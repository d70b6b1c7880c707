/** One problem of a refusal: an RFC 6901 pointer into what was sent, and why. */
export interface FieldProblem {
  path: string;
  message: string;
}

/** An answer that was not 2xx: the problem document (RFC 7807) when there is one. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail: string,
    readonly errors: FieldProblem[],
    readonly type?: string,
    readonly body?: unknown,
  ) {
    super(detail || title || `HTTP ${status}`);
    this.name = 'ApiError';
  }
}

/** The error with only these of its problems (the others are shown at their fields); not an ApiError: as it is. */
export function withProblems(error: unknown, problems: FieldProblem[]): unknown {
  return error instanceof ApiError ? new ApiError(error.status, error.title, error.detail, problems, error.type, error.body) : error;
}

const TOKEN_KEY = 'vim-dashboard-token';

/** The token lives for the browser session only. */
export const tokenStore = {
  get: (): string | null => sessionStorage.getItem(TOKEN_KEY),
  set: (token: string): void => sessionStorage.setItem(TOKEN_KEY, token),
  clear: (): void => sessionStorage.removeItem(TOKEN_KEY),
};

let onUnauthorized: (() => void) | undefined;
/** Called on a 401 (the token was revoked or expired): the app signs out. */
export const setUnauthorizedHandler = (handler: (() => void) | undefined): void => {
  onUnauthorized = handler;
};

/** What api() does on a 401: the app signs out (the event stream calls it too). */
export const signalUnauthorized = (): void => onUnauthorized?.();

function toProblems(value: unknown): FieldProblem[] {
  if (!Array.isArray(value)) return [];
  return value
    .filter((e): e is Record<string, unknown> => typeof e === 'object' && e !== null)
    .map((e) => ({ path: typeof e.path === 'string' ? e.path : '', message: typeof e.message === 'string' ? e.message : JSON.stringify(e) }));
}

export async function toApiError(res: Response): Promise<ApiError> {
  const text = await res.text().catch(() => '');
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  const problem = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === 'string' ? v : '');
  return new ApiError(res.status, str(problem.title) || res.statusText, str(problem.detail) || str(problem.message) || text.slice(0, 300), toProblems(problem.errors), str(problem.type) || undefined, body);
}

export interface RequestOptions {
  method?: string;
  body?: unknown;
  /** Sent as is with this content type (a descriptor's YAML). */
  rawBody?: string;
  contentType?: string;
  token?: string;
  signal?: AbortSignal;
}

/** A JSON call of the API with the session's token. */
export async function api<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const token = options.token ?? tokenStore.get();
  const headers: Record<string, string> = { accept: 'application/json, application/problem+json' };
  if (token) headers.authorization = `Bearer ${token}`;
  let body: string | undefined;
  if (options.rawBody !== undefined) {
    body = options.rawBody;
    headers['content-type'] = options.contentType ?? 'application/json';
  } else if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers['content-type'] = 'application/json';
  }
  let res: Response;
  try {
    res = await fetch(path, { method: options.method ?? (body === undefined ? 'GET' : 'POST'), headers, body, signal: options.signal });
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw error;
    throw new ApiError(0, 'Network error', `the API did not answer: ${(error as Error).message}`, []);
  }
  if (!res.ok) {
    const error = await toApiError(res);
    if (res.status === 401 && options.token === undefined) signalUnauthorized();
    throw error;
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

/** A query string of the defined values. */
export function query(params: Record<string, string | number | undefined | null>): string {
  const entries = Object.entries(params).filter(([, v]) => v !== undefined && v !== null && v !== '');
  return entries.length ? `?${new URLSearchParams(entries.map(([k, v]) => [k, String(v)])).toString()}` : '';
}

/** A readable line for any error a query or mutation may have. */
export const errorText = (error: unknown): string =>
  error instanceof ApiError ? `${error.status ? `${error.status} ` : ''}${error.title}${error.detail ? `: ${error.detail}` : ''}` : String((error as Error)?.message ?? error);
