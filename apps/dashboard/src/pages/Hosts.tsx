import { useHosts } from '../api/hosts.js';
import type { HostSummaryView, HostView } from '../api/types.js';
import { barText, cellBars, type CapacityBar } from '../logic/capacity.js';
import { Empty, ErrorBox, Loading, StateBadge, when } from '../ui.js';

export function HostsPage() {
  const hosts = useHosts();
  return (
    <section aria-labelledby="hosts-title">
      <h2 id="hosts-title">Hosts</h2>
      <p className="muted">Free and used capacity per NUMA cell; refreshed every 5 s and on every lifecycle event.</p>
      {hosts.isPending ? (
        <Loading what="hosts" />
      ) : hosts.isError ? (
        <ErrorBox error={hosts.error} title="Hosts could not be read" onRetry={() => void hosts.refetch()} />
      ) : hosts.data.items.length === 0 ? (
        <Empty testId="hosts-empty">No hosts are registered.</Empty>
      ) : (
        <div className="cards">
          {hosts.data.items.map((host) => (
            <HostCard key={host.id} host={host} />
          ))}
        </div>
      )}
    </section>
  );
}

function HostCard({ host }: { host: HostSummaryView | HostView }) {
  // Platform administrators get the full record.
  const full = 'libvirtUri' in host ? (host as HostView) : undefined;
  const cells = cellBars(host.capacity ?? []);
  return (
    <article className={`card host host-${host.state.toLowerCase()}`} data-testid={`host-${host.name}`} aria-label={`Host ${host.name}`}>
      <header>
        <h3>{host.name}</h3>
        <StateBadge state={host.state} />
      </header>
      {full && (
        <p className="muted">
          {full.virtType} · discovered {when(full.lastDiscoveredAt)}
          {full.vhostUser?.ready === false && ` · vhost-user not ready: ${full.vhostUser.reason ?? ''}`}
        </p>
      )}
      {full?.lastDiscoveryError && <p className="state error">{full.lastDiscoveryError}</p>}
      {cells.length === 0 ? (
        <Empty>No capacity known yet (not discovered).</Empty>
      ) : (
        <div className="cells">
          {cells.map((cell) => (
            <div className="cell" key={cell.cellId} data-testid={`host-${host.name}-cell-${cell.cellId}`}>
              <h4>NUMA cell {cell.cellId}</h4>
              {cell.bars.map((b) => (
                <Bar key={b.key} bar={b} testId={`cap-${host.name}-${cell.cellId}-${b.key}`} />
              ))}
            </div>
          ))}
        </div>
      )}
    </article>
  );
}

function Bar({ bar, testId }: { bar: CapacityBar; testId: string }) {
  const text = barText(bar);
  return (
    <div className="bar" data-testid={testId} data-free={bar.free} data-used={bar.used ?? ''} data-total={bar.total ?? ''}>
      <span className="bar-label">{bar.label}</span>
      {bar.percent === null ? (
        <span className="bar-track unknown" aria-hidden="true" />
      ) : (
        <span
          className="bar-track"
          role="meter"
          aria-label={bar.label}
          aria-valuemin={0}
          aria-valuemax={bar.total ?? 0}
          aria-valuenow={bar.used ?? 0}
          aria-valuetext={text}
        >
          <span className={`bar-fill${bar.percent >= 90 ? ' high' : ''}`} style={{ width: `${bar.percent}%` }} />
        </span>
      )}
      <span className="bar-text">{text}</span>
    </div>
  );
}
