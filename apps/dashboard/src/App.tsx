import { useCallback, useEffect, useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { api, setUnauthorizedHandler, tokenStore } from './api/client.js';
import { useEventStream } from './api/events.js';
import type { SessionView } from './api/types.js';
import { href, useRoute, type RouteName } from './router.js';
import { SessionContext, Loading, ErrorBox, PageErrorBoundary } from './ui.js';
import { SignIn } from './pages/SignIn.js';
import { HostsPage } from './pages/Hosts.js';
import { DescriptorsPage } from './pages/Descriptors.js';
import { InstancesPage } from './pages/Instances.js';
import { ChainsPage } from './pages/Chains.js';
import { OperationsPage } from './pages/Operations.js';
import { Alerts } from './pages/Alerts.js';

const NAV: { name: RouteName; label: string }[] = [
  { name: 'hosts', label: 'Hosts' },
  { name: 'descriptors', label: 'Descriptors' },
  { name: 'instances', label: 'VNF instances' },
  { name: 'chains', label: 'Service chains' },
  { name: 'operations', label: 'Operations' },
];

export function App() {
  const [token, setToken] = useState<string | null>(() => tokenStore.get());
  const client = useQueryClient();
  const signOut = useCallback(() => {
    tokenStore.clear();
    setToken(null);
    client.clear();
  }, [client]);
  useEffect(() => {
    setUnauthorizedHandler(signOut);
    return () => setUnauthorizedHandler(undefined);
  }, [signOut]);
  const session = useQuery({
    // Not keyed by the token (it would sit in the query cache's keys): sign-out clears the cache, sign-in seeds it.
    queryKey: ['session'],
    queryFn: () => api<SessionView>('/api/v1/session'),
    enabled: token !== null,
    staleTime: Infinity,
  });

  if (!token)
    return (
      <SignIn
        onSignedIn={(t, view) => {
          client.setQueryData(['session'], view);
          setToken(t);
        }}
      />
    );
  if (session.isPending) return <Loading what="your session" />;
  if (session.isError)
    return (
      <main className="signin">
        <ErrorBox error={session.error} title="Could not read the session" onRetry={() => void session.refetch()} />
        <button type="button" onClick={signOut}>
          Sign out
        </button>
      </main>
    );
  return (
    <SessionContext.Provider value={{ token, view: session.data, signOut }}>
      <Shell />
    </SessionContext.Provider>
  );
}

function Shell() {
  const route = useRoute();
  return (
    <SessionContext.Consumer>
      {(session) => (
        <div className="shell">
          <Header />
          <nav className="nav" aria-label="Pages">
            {NAV.map((item) => (
              <a
                key={item.name}
                href={href(item.name)}
                data-testid={`nav-${item.name}`}
                aria-current={route.name === item.name ? 'page' : undefined}
                className={route.name === item.name ? 'active' : undefined}
              >
                {item.label}
              </a>
            ))}
          </nav>
          <Alerts />
          {/* A page that throws while rendering shows an error state (another page resets it). */}
          <PageErrorBoundary key={`${route.name}-${session?.view.role}`}>
            <main className="page">
              {route.name === 'hosts' && <HostsPage />}
              {route.name === 'descriptors' && <DescriptorsPage params={route.params} />}
              {route.name === 'instances' && <InstancesPage params={route.params} />}
              {route.name === 'chains' && <ChainsPage params={route.params} />}
              {route.name === 'operations' && <OperationsPage />}
            </main>
          </PageErrorBoundary>
        </div>
      )}
    </SessionContext.Consumer>
  );
}

function Header() {
  return (
    <SessionContext.Consumer>
      {(session) =>
        session && (
          <header className="header">
            <h1>VIM-lite</h1>
            <StreamStatusBadge token={session.token} />
            <div className="who" data-testid="session">
              <span>
                Tenant <strong data-testid="session-tenant">{session.view.tenantName}</strong>
              </span>
              <span>
                Role <strong data-testid="session-role">{session.view.role}</strong>
              </span>
              <span className="muted">{session.view.tokenName}</span>
              <button type="button" onClick={session.signOut} data-testid="sign-out">
                Sign out
              </button>
            </div>
          </header>
        )
      }
    </SessionContext.Consumer>
  );
}

function StreamStatusBadge({ token }: { token: string }) {
  const stream = useEventStream(token);
  const label = stream.status === 'open' ? 'live' : stream.status === 'connecting' ? 'connecting…' : 'not live';
  return (
    <span className={`stream stream-${stream.status}`} data-testid="stream-status" title={stream.detail ?? ''} data-status={stream.status}>
      ● {label}
    </span>
  );
}
