import { useEffect, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { api } from '../api/client.js';
import { onStreamEvent } from '../api/events.js';
import type { LcmOpOccView } from '../api/types.js';
import { isFinal, isRunning } from '../logic/op-states.js';
import { ErrorBox, JsonBlock, Loading, StateBadge } from '../ui.js';

/** A lifecycle operation as it runs: every step done (with its time), the current one, its end. */
export function OpProgress({ opId }: { opId: string }) {
  const op = useQuery({
    queryKey: ['lcm-op', opId],
    queryFn: () => api<LcmOpOccView>(`/api/v1/vnf_lcm_op_occs/${opId}`),
    // The stream says when it changes; polling covers a stream that is down.
    refetchInterval: (q) => (q.state.data && isFinal(q.state.data.operationState) ? false : 3000),
  });
  const [seen, setSeen] = useState<string[]>([]);
  useEffect(
    () =>
      onStreamEvent((event) => {
        if (event.kind === 'lcm' && event.opId === opId && event.currentStep) {
          const step = event.currentStep;
          setSeen((list) => (list.includes(step) ? list : [...list, step]));
        }
      }),
    [opId],
  );
  if (op.isPending) return <Loading what="the operation" />;
  if (op.isError) return <ErrorBox error={op.error} title="The operation could not be read" onRetry={() => void op.refetch()} />;
  const o = op.data;
  const timed = Object.entries(o.timings?.steps ?? {});
  // The API's timings are a jsonb object, whose keys come back sorted by length (place, launch,
  // plug-ports), not in the order the steps ran; the stream shows that order. Timed steps it did
  // not show ran before this view listened, so they come first.
  const steps = [...timed.map(([name]) => name).filter((s) => !seen.includes(s)), ...seen];
  const running = isRunning(o.operationState);
  return (
    <div className="op-progress" data-testid={`op-${o.id}`} data-state={o.operationState} aria-live="polite">
      <p>
        {o.operation} <StateBadge state={o.operationState} /> <span className="muted">{o.id.slice(0, 8)}</span>
      </p>
      <ol className="steps" data-testid="op-steps">
        {steps.map((step) => {
          const ms = o.timings?.steps?.[step];
          const current = running && o.currentStep === step;
          return (
            <li key={step} className={current ? 'step current' : ms !== undefined ? 'step done' : 'step'} data-step={step}>
              {current ? '▶ ' : ms !== undefined ? '✓ ' : '· '}
              {step}
              {ms !== undefined && <span className="muted"> {ms} ms</span>}
            </li>
          );
        })}
        {running && o.currentStep && !steps.includes(o.currentStep) && <li className="step current">▶ {o.currentStep}</li>}
        {steps.length === 0 && !o.currentStep && <li className="muted">{running ? 'waiting for a worker…' : 'no steps recorded'}</li>}
      </ol>
      {o.error && (
        <details open>
          <summary>Error</summary>
          <JsonBlock value={o.error} />
        </details>
      )}
    </div>
  );
}
