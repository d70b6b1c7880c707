import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ApiError, withProblems, type FieldProblem } from '../../api/client.js';
import type { ChainTraceResult, ServiceChainView, VnfInstancePage } from '../../api/types.js';
import { buildChainGraph, problemsByNode, tracePath, type InstanceInfo } from '../../logic/chain-graph.js';
import { chainPatch, createRequest, emptyDraft, fromView, type Draft } from '../../logic/chain-form.js';
import { navigate } from '../../router.js';
import { ErrorBox, Flash, JsonBlock, Loading, StateBadge, useCanChange, useFlash, when } from '../../ui.js';
import { ChainGraphView } from '../ChainGraph.js';
import { instanceName } from '../Instances.js';
import { ClassifierForm } from './ClassifierForm.js';
import { HopsEditor } from './HopsEditor.js';
import { PointForm } from './PointForm.js';
import { TraceForm } from './TraceForm.js';

/** A saved chain, read again every 10 s. */
export function ExistingChain({ id }: { id: string }) {
  const chain = useQuery({ queryKey: ['chain', id], queryFn: () => api<ServiceChainView>(`/api/v1/service_chains/${id}`), refetchInterval: 10_000 });
  if (chain.isPending) return <Loading what="the chain" />;
  if (chain.isError) return <ErrorBox error={chain.error} title="The chain could not be read" onRetry={() => void chain.refetch()} />;
  return <ChainEditor chain={chain.data} />;
}

/** The chain builder: a new chain, or a saved one's graph, changes, trace and deletion. */
export function ChainEditor({ chain }: { chain?: ServiceChainView }) {
  const canChange = useCanChange();
  const client = useQueryClient();
  const [flash, setFlash] = useFlash();
  const [draft, setDraft] = useState<Draft>(() => (chain ? fromView(chain) : emptyDraft()));
  const [dirty, setDirty] = useState(false);
  // The chain as the API now has it, unless the user is editing.
  useEffect(() => {
    if (chain && !dirty) setDraft(fromView(chain));
  }, [chain, dirty]);
  const edit = (change: Partial<Draft>) => {
    setDirty(true);
    // A refusal names the hops by their number then: after an edit it would land on the wrong ones.
    save.reset();
    setDraft((d) => ({ ...d, ...change }));
  };
  const instances = useQuery({ queryKey: ['instances'], queryFn: () => api<VnfInstancePage>('/api/v1/vnf_instances?limit=200') });
  const instantiated = (instances.data?.items ?? []).filter((i) => i.instantiationState === 'INSTANTIATED');
  const infos = useMemo(() => new Map<string, InstanceInfo>((instances.data?.items ?? []).map((i) => [i.id, { id: i.id, name: instanceName(i), state: i.instantiationState }])), [instances.data]);

  const save = useMutation({
    mutationFn: async (): Promise<ServiceChainView> => {
      if (!chain) return api<ServiceChainView>('/api/v1/service_chains', { method: 'POST', body: createRequest(draft) });
      const change = chainPatch(fromView(chain), draft);
      return api<ServiceChainView>(`/api/v1/service_chains/${chain.id}`, { method: 'PATCH', body: change });
    },
    onSuccess: (saved) => {
      setDirty(false);
      setFlash(chain ? `Change to ${saved.name} accepted; it is being applied` : `Chain ${saved.name} created; it is being installed`);
      void client.invalidateQueries({ queryKey: ['chains'] });
      client.setQueryData(['chain', saved.id], saved);
      if (!chain) navigate('chains', saved.id);
    },
  });
  const remove = useMutation({
    mutationFn: () => api<ServiceChainView>(`/api/v1/service_chains/${chain!.id}`, { method: 'DELETE' }),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: ['chains'] });
      navigate('chains');
    },
  });

  const problems = useMemo<FieldProblem[]>(() => (save.error instanceof ApiError ? save.error.errors : []), [save.error]);
  const byNode = useMemo(() => problemsByNode(problems), [problems]);
  // A trace is of the chain as it was: a save or another client's change (a new generation, other hops) drops it.
  const traceOf = chain ? `${chain.generation}:${JSON.stringify(chain.hops)}` : '';
  const [lastTrace, setLastTrace] = useState<{ of: string; result: ChainTraceResult } | null>(null);
  const trace = lastTrace && lastTrace.of === traceOf ? lastTrace.result : null;
  const setTrace = (result: ChainTraceResult | null) => setLastTrace(result ? { of: traceOf, result } : null);
  const graph = useMemo(
    () => buildChainGraph({ ...draft, state: chain?.state, counters: dirty ? null : chain?.counters }, infos),
    [draft, chain, dirty, infos],
  );
  const traced = useMemo(() => (trace && !dirty ? tracePath(trace, graph) : undefined), [trace, graph, dirty]);
  const readOnly = !canChange;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };

  return (
    <section className="panel chain-editor" aria-label={chain ? `Chain ${chain.name}` : 'New chain'} data-testid="chain-editor">
      <header className="row">
        <h3>{chain ? chain.name : 'New chain'}</h3>
        {chain && <StateBadge state={chain.state} />}
        {chain?.stateReason && <span className="muted">{chain.stateReason}</span>}
        {chain && (
          <span className="muted">
            cookie {chain.cookie} · generation {chain.generation} · repairs {chain.repairs}
            {chain.counters && ` · counters at ${when(chain.counters.at)}`}
          </span>
        )}
        <button type="button" onClick={() => navigate('chains')}>
          Close
        </button>
      </header>
      <Flash message={flash} />
      {chain?.lastOperation && (
        <p className="muted" data-testid="chain-last-op">
          Last operation: {chain.lastOperation.operation} <StateBadge state={chain.lastOperation.operationState} />
        </p>
      )}
      <ChainGraphView graph={graph} problems={byNode} trace={traced} state={chain && { state: chain.state, reason: chain.stateReason, draft: dirty }} />
      {dirty && chain && <p className="muted">Unsaved changes: the graph shows the draft; counters return after saving.</p>}

      <form onSubmit={submit} aria-label="Chain builder" data-testid="chain-form">
        {!chain && (
          <div className="row">
            <label htmlFor="chain-name">Name</label>
            <input id="chain-name" data-testid="chain-name" value={draft.name} onChange={(e) => edit({ name: e.target.value })} required disabled={readOnly} />
            <label htmlFor="chain-description">Description</label>
            <input id="chain-description" value={draft.description} onChange={(e) => edit({ description: e.target.value })} disabled={readOnly} />
          </div>
        )}
        <div className="two">
          <PointForm which="ingress" point={draft.ingress} onChange={(p) => edit({ ingress: p })} readOnly={readOnly || !!chain} instances={instantiated} problems={byNode.get('ingress')} />
          <PointForm which="egress" point={draft.egress} onChange={(p) => edit({ egress: p })} readOnly={readOnly || !!chain} instances={instantiated} problems={byNode.get('egress')} />
        </div>
        <ClassifierForm value={draft.classifier} onChange={(c) => edit({ classifier: c })} readOnly={readOnly} />
        <fieldset>
          <legend>Options</legend>
          <div className="row">
            <label>
              <input type="checkbox" checked={draft.symmetric} onChange={(e) => edit({ symmetric: e.target.checked })} disabled={readOnly} data-testid="chain-symmetric" /> symmetric
            </label>
            <label htmlFor="chain-failmode">Fail mode</label>
            <select id="chain-failmode" value={draft.failMode} onChange={(e) => edit({ failMode: e.target.value as 'closed' | 'open' })} disabled={readOnly}>
              <option value="closed">closed (drop)</option>
              <option value="open">open (skip the hop)</option>
            </select>
            <label htmlFor="chain-priority">Priority</label>
            <input id="chain-priority" className="narrow" type="number" min={0} value={draft.priority} onChange={(e) => edit({ priority: Number(e.target.value) })} disabled={readOnly} />
          </div>
        </fieldset>
        <HopsEditor hops={draft.hops} onChange={(hops) => edit({ hops })} readOnly={readOnly} instances={instantiated} infos={infos} problems={byNode} loading={instances.isPending} />
        {byNode.get('chain') && (
          <ul className="state error" role="alert" data-testid="chain-errors">
            {byNode.get('chain')!.map((m, k) => (
              <li key={k}>{m}</li>
            ))}
          </ul>
        )}
        {save.isError && <ErrorBox error={withProblems(save.error, [])} title="Not saved" />}
        {canChange && (
          <div className="row">
            <button type="submit" data-testid="chain-save" disabled={save.isPending || (!!chain && !dirty) || draft.hops.length === 0}>
              {save.isPending ? 'Saving…' : chain ? 'Save changes' : 'Create chain'}
            </button>
            {chain && dirty && (
              <button
                type="button"
                onClick={() => {
                  setDirty(false);
                  save.reset();
                }}
              >
                Discard changes
              </button>
            )}
            {chain && (
              <button
                type="button"
                className="danger"
                data-testid="chain-delete"
                disabled={remove.isPending}
                onClick={() => {
                  if (window.confirm(`Delete chain ${chain.name}?`)) remove.mutate();
                }}
              >
                Delete chain
              </button>
            )}
          </div>
        )}
        {remove.isError && <ErrorBox error={remove.error} title="Not deleted" />}
      </form>
      {chain && <TraceForm chainId={chain.id} classifier={chain.classifier} onResult={setTrace} />}
      {trace && (
        <div className="panel" data-testid="trace-result" aria-live="polite">
          <p>
            {trace.entersChain ? 'The packet enters the chain' : 'The packet does not enter the chain'}
            {trace.dropped ? `; dropped${trace.dropReason ? `: ${trace.dropReason}` : ''}` : ''}
            {`; crosses ${trace.hops.filter((h) => !('egress' in h)).length} hop(s)`}
            {trace.hops.some((h) => 'egress' in h) ? ' and leaves by the egress' : ''}
            {trace.output.length ? ` (output ports ${trace.output.join(', ')})` : ''}.
          </p>
          <details>
            <summary>Rules hit ({trace.rules.length})</summary>
            <JsonBlock value={trace.rules} />
          </details>
        </div>
      )}
    </section>
  );
}
