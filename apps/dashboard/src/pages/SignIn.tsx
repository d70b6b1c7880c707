import { useState, type FormEvent } from 'react';
import { api, errorText, tokenStore } from '../api/client.js';
import type { SessionView } from '../api/types.js';

/** Sign in with an API token; kept in sessionStorage only (gone with the browser session). */
export function SignIn({ onSignedIn }: { onSignedIn: (token: string, session: SessionView) => void }) {
  const [token, setToken] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const value = token.trim();
    if (!value) {
      setError('Enter an API token.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const session = await api<SessionView>('/api/v1/session', { token: value });
      tokenStore.set(value);
      onSignedIn(value, session);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <main className="signin">
      <h1>VIM-lite dashboard</h1>
      <form onSubmit={submit} aria-label="Sign in" data-testid="signin-form">
        <label htmlFor="signin-token">API token</label>
        <input
          id="signin-token"
          data-testid="signin-token"
          type="password"
          autoComplete="off"
          autoFocus
          value={token}
          onChange={(e) => setToken(e.target.value)}
          placeholder="vim_…"
        />
        <p className="hint">The token is kept for this browser session only.</p>
        <button type="submit" data-testid="signin-submit" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
        {error && (
          <p className="state error" role="alert" data-testid="signin-error">
            {error}
          </p>
        )}
      </form>
    </main>
  );
}
