import { Component, createContext, useContext, useEffect, useState, type ErrorInfo, type ReactNode } from 'react';
import { useQueryClient, type Query } from '@tanstack/react-query';
import { ApiError, errorText } from './api/client.js';
import type { SessionView } from './api/types.js';
import { canChange } from './logic/roles.js';

export interface Session {
  token: string;
  view: SessionView;
  signOut: () => void;
}

export const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside a signed-in app');
  return session;
}

/** Whether the signed-in role may change things (operator and above). */
export const useCanChange = (): boolean => canChange(useSession().view.role);

export function Loading({ what }: { what: string }) {
  return (
    <p className="state loading" role="status" aria-live="polite" data-testid="loading">
      Loading {what}…
    </p>
  );
}

export function Empty({ children, testId }: { children: ReactNode; testId?: string }) {
  return (
    <p className="state empty" data-testid={testId ?? 'empty'}>
      {children}
    </p>
  );
}

/**
 * An error, its problems, and "Try again" when there is something to retry: that reads again every
 * query on screen that failed, the box's own among them (when the API was away, a page has several
 * boxes; any one of them brings the page back); onRetry when none did.
 */
export function ErrorBox({ error, title, onRetry }: { error: unknown; title?: string; onRetry?: () => void }) {
  const client = useQueryClient();
  const retry = () => {
    const failed = (q: Query) => q.state.status === 'error';
    // A read already under way is left to finish (a click that restarted it would never let a slow one end).
    if (client.getQueryCache().findAll({ type: 'active', predicate: failed }).length) void client.refetchQueries({ type: 'active', predicate: failed }, { cancelRefetch: false });
    else onRetry?.();
  };
  const problems = error instanceof ApiError ? error.errors : [];
  return (
    <div className="state error" role="alert" data-testid="error">
      <strong>{title ?? 'Something went wrong'}:</strong> {errorText(error)}
      {problems.length > 0 && (
        <ul>
          {problems.map((p, i) => (
            <li key={i}>
              <code>{p.path || '(root)'}</code> {p.message}
            </li>
          ))}
        </ul>
      )}
      {onRetry && (
        <button type="button" onClick={retry}>
          Try again
        </button>
      )}
    </div>
  );
}

export function StateBadge({ state }: { state: string | null | undefined }) {
  const value = state ?? 'UNKNOWN';
  return <span className={`badge badge-${value.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`}>{value}</span>;
}

export const shortId = (id: string | null | undefined): string => (id ? id.slice(0, 8) : '—');

export function when(iso: string | null | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString();
}

/** A message shown for a few seconds after an action. */
export function useFlash(): [string | null, (message: string) => void] {
  const [message, setMessage] = useState<string | null>(null);
  useEffect(() => {
    if (!message) return undefined;
    const timer = setTimeout(() => setMessage(null), 5000);
    return () => clearTimeout(timer);
  }, [message]);
  return [message, setMessage];
}

export function Flash({ message }: { message: string | null }) {
  return (
    <p className="flash" role="status" aria-live="polite" data-testid="flash">
      {message ?? ''}
    </p>
  );
}

export function JsonBlock({ value }: { value: unknown }) {
  return <pre className="json">{JSON.stringify(value, null, 2)}</pre>;
}

/** What a page threw while rendering: an error state with a reload button instead of a blank app. */
export class PageErrorBoundary extends Component<{ children: ReactNode }, { error: unknown }> {
  override state: { error: unknown } = { error: null };

  static getDerivedStateFromError(error: unknown): { error: unknown } {
    return { error };
  }

  override componentDidCatch(error: unknown, info: ErrorInfo): void {
    console.error('The page failed', error, info.componentStack);
  }

  override render(): ReactNode {
    if (this.state.error === null) return this.props.children;
    return (
      <main className="page">
        <div className="state error" role="alert" data-testid="page-error">
          <strong>This page failed:</strong> {errorText(this.state.error)}{' '}
          <button type="button" onClick={() => window.location.reload()}>
            Reload
          </button>
        </div>
      </main>
    );
  }
}
