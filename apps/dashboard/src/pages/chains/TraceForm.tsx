import { useState } from 'react';
import { useMutation } from '@tanstack/react-query';
import { api } from '../../api/client.js';
import type { ChainTraceResult, Classifier } from '../../api/types.js';
import { traceRequest, type TraceDraft } from '../../logic/chain-form.js';
import { ErrorBox } from '../../ui.js';

/** A 5-tuple traced through the chain's rules (the API's trace). */
export function TraceForm({ chainId, classifier, onResult }: { chainId: string; classifier: Classifier; onResult: (r: ChainTraceResult | null) => void }) {
  const [form, setForm] = useState<TraceDraft>({
    ethertype: classifier.ethertype,
    source: classifier.ethertype === 'ipv6' ? '2001:db8::1' : '10.0.0.1',
    destination: classifier.ethertype === 'ipv6' ? '2001:db8::2' : '10.0.0.2',
    protocol: String(classifier.protocol ?? 17),
    sourcePort: '12345',
    destinationPort: String(classifier.destinationPorts?.from ?? 5201),
  });
  const trace = useMutation({
    mutationFn: () => {
      const body = traceRequest(form);
      return api<ChainTraceResult>(`/api/v1/service_chains/${chainId}/trace`, { method: 'POST', body });
    },
    onSuccess: onResult,
    onError: () => onResult(null),
  });
  const set = (k: keyof typeof form) => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [k]: e.target.value }));
  return (
    <form
      className="panel"
      aria-label="Trace a packet"
      data-testid="trace-form"
      onSubmit={(e) => {
        e.preventDefault();
        trace.mutate();
      }}
    >
      <h4>Trace a packet</h4>
      <div className="row">
        <label htmlFor="tr-eth">Ethertype</label>
        <select id="tr-eth" data-testid="trace-ethertype" value={form.ethertype} onChange={set('ethertype')}>
          <option value="ipv4">IPv4</option>
          <option value="ipv6">IPv6</option>
        </select>
        <label htmlFor="tr-src">Source</label>
        <input id="tr-src" data-testid="trace-source" value={form.source} onChange={set('source')} />
        <label htmlFor="tr-dst">Destination</label>
        <input id="tr-dst" data-testid="trace-destination" value={form.destination} onChange={set('destination')} />
        <label htmlFor="tr-proto">Protocol</label>
        <input id="tr-proto" data-testid="trace-protocol" className="narrow" inputMode="numeric" value={form.protocol} onChange={set('protocol')} />
        <label htmlFor="tr-sport">Source port</label>
        <input id="tr-sport" data-testid="trace-source-port" className="narrow" inputMode="numeric" value={form.sourcePort} onChange={set('sourcePort')} />
        <label htmlFor="tr-dport">Destination port</label>
        <input id="tr-dport" data-testid="trace-destination-port" className="narrow" inputMode="numeric" value={form.destinationPort} onChange={set('destinationPort')} />
        <button type="submit" data-testid="trace-submit" disabled={trace.isPending}>
          {trace.isPending ? 'Tracing…' : 'Trace'}
        </button>
      </div>
      {trace.isError && <ErrorBox error={trace.error} title="No trace" />}
    </form>
  );
}
