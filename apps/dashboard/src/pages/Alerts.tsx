import { useEffect, useState } from 'react';
import { errorText } from '../api/client.js';
import { useHosts } from '../api/hosts.js';
import { onStreamEvent } from '../api/events.js';
import { href } from '../router.js';

interface Alert {
  id: string;
  text: string;
  link: string;
}

const BAD_POWER = new Set(['PAUSED', 'CRASHED', 'SHUTOFF', 'SHUTDOWN', 'MISSING', 'BLOCKED', 'PMSUSPENDED']);

/** What needs eyes at once: DOWN hosts (the host list, read again on every host-state event and every 5 s) and VMs that paused or crashed (the event stream). */
export function Alerts() {
  const [vmAlerts, setVmAlerts] = useState<Alert[]>([]);
  useEffect(
    () =>
      onStreamEvent((event) => {
        if (event.kind !== 'vm-state') return;
        setVmAlerts((list) => {
          const rest = list.filter((a) => a.id !== event.vduInstanceId);
          if (!BAD_POWER.has(event.powerState)) return rest;
          const reason = event.powerStateReason ? ` (${event.powerStateReason})` : '';
          return [{ id: event.vduInstanceId, text: `VM ${event.vduId} of instance ${event.vnfInstanceId.slice(0, 8)} is ${event.powerState}${reason}`, link: href('instances', event.vnfInstanceId) }, ...rest].slice(0, 5);
        });
      }),
    [],
  );
  const hosts = useHosts();
  const down = (hosts.data?.items ?? []).filter((h) => h.state === 'DOWN');
  // A host list that cannot be read hides DOWN hosts: say so rather than show nothing.
  const unread = hosts.isError;
  if (down.length === 0 && vmAlerts.length === 0 && !unread) return null;
  return (
    <section className="alerts" role="alert" aria-label="Alerts" data-testid="alerts">
      {unread && (
        <p className="muted" data-testid="alert-hosts-unread">
          The host list could not be read ({errorText(hosts.error)}); DOWN hosts are not shown.{' '}
          <button type="button" className="link" onClick={() => void hosts.refetch()}>
            Try again
          </button>
        </p>
      )}
      {down.map((h) => (
        <p key={h.id} data-testid="alert-host-down">
          Host <a href={href('hosts')}>{h.name}</a> is DOWN
        </p>
      ))}
      {vmAlerts.map((a) => (
        <p key={a.id} data-testid="alert-vm">
          <a href={a.link}>{a.text}</a>{' '}
          <button type="button" className="link" onClick={() => setVmAlerts((l) => l.filter((x) => x.id !== a.id))} aria-label="Dismiss">
            ×
          </button>
        </p>
      ))}
    </section>
  );
}
