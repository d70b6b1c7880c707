import { useEffect, useMemo, useRef, useState, type DragEvent, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ApiError, withProblems, type FieldProblem } from '../api/client.js';
import type {
  ChainPoint, ChainTraceResult, Classifier, Hop, ServiceChainPage, ServiceChainView, VnfInstancePage, VnfInstanceView,
} from '../api/types.js';
import {
  addHop, addInstanceToHop, buildChainGraph, hopNodeId, moveHop, moveHopDown, moveHopUp, problemsByNode, removeHop, removeInstanceFromHop,
  setHopInstance, tracePath, type InstanceInfo,
} from '../logic/chain-graph.js';
import { chainPatch, createRequest, emptyDraft, fromView, numberOrText, portRange, traceRequest, type Draft, type TraceDraft } from '../logic/chain-form.js';
import { href, navigate } from '../router.js';
import { Empty, ErrorBox, Flash, JsonBlock, Loading, StateBadge, useCanChange, useFlash, when } from '../ui.js';
import { ChainGraphView } from './ChainGraph.js';
import { instanceName } from './Instances.js';

export function ChainsPage({ params }: { params: string[] }) {
  const selected = params[0];
  return (
    <section aria-labelledby="chains-title">
      <h2 id="chains-title">Service chains</h2>
      <ChainList selected={selected} />
      {selected === 'new' ? <ChainEditor key="new" /> : selected ? <ExistingChain key={selected} id={selected} /> : null}
    </section>
  );
}

function ChainList({ selected }: { selected?: string }) {
  const canChange = useCanChange();
  const chains = useQuery({ queryKey: ['chains'], queryFn: () => api<ServiceChainPage>('/api/v1/service_chains?limit=200') });
  return (
    <>
      {canChange && (
        <p>
          <a className="button" href={href('chains', 'new')} data-testid="chain-new">
            New chain
          </a>
        </p>
      )}
      {chains.isPending ? (
        <Loading what="chains" />
      ) : chains.isError ? (
        <ErrorBox error={chains.error} title="Chains could not be read" onRetry={() => void chains.refetch()} />
      ) : chains.data.items.length === 0 ? (
        <Empty testId="chains-empty">No service chains yet.</Empty>
      ) : (
        <table className="table" data-testid="chain-table">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">State</th>
              <th scope="col">Hops</th>
              <th scope="col">Packets in</th>
              <th scope="col">Last operation</th>
              <th scope="col">Updated</th>
            </tr>
          </thead>
          <tbody>
            {chains.data.items.map((c) => (
              <tr key={c.id} data-testid={`chain-row-${c.name}`} className={c.id === selected ? 'selected' : undefined}>
                <td>
                  <a href={href('chains', c.id)}>{c.name}</a>
                </td>
                <td>
                  <StateBadge state={c.state} />
                </td>
                <td>{c.hops.length}</td>
                <td>{c.counters?.ingress.packets ?? '—'}</td>
                <td>{c.lastOperation ? `${c.lastOperation.operation} ${c.lastOperation.operationState}` : '—'}</td>
                <td>{when(c.updatedAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

function ExistingChain({ id }: { id: string }) {
  const chain = useQuery({ queryKey: ['chain', id], queryFn: () => api<ServiceChainView>(`/api/v1/service_chains/${id}`), refetchInterval: 10_000 });
  if (chain.isPending) return <Loading what="the chain" />;
  if (chain.isError) return <ErrorBox error={chain.error} title="The chain could not be read" onRetry={() => void chain.refetch()} />;
  return <ChainEditor chain={chain.data} />;
}

const extCpdsOf = (i: VnfInstanceView): string[] => {
  const bound = Object.keys(i.instantiatedVnfInfo?.extCpBindings ?? {});
  if (bound.length) return bound;
  const ports = i.instantiatedVnfInfo?.vnfcResourceInfo.flatMap((vm) => vm.ports.map((p) => String(p.extCpdId ?? ''))) ?? [];
  return [...new Set(ports.filter(Boolean))];
};

function ChainEditor({ chain }: { chain?: ServiceChainView }) {
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

function PointForm(props: { which: 'ingress' | 'egress'; point: ChainPoint; onChange: (p: ChainPoint) => void; readOnly: boolean; instances: VnfInstanceView[]; problems?: string[] }) {
  const { which, point, onChange, readOnly } = props;
  const kind = point.vnfInstanceId !== undefined ? 'instance' : 'network';
  const id = (f: string) => `${which}-${f}`;
  const instance = props.instances.find((i) => i.id === point.vnfInstanceId);
  return (
    <fieldset className={props.problems ? 'has-error' : undefined} data-testid={`chain-${which}`}>
      <legend>{which === 'ingress' ? 'Ingress' : 'Egress'}</legend>
      <div className="row">
        <label htmlFor={id('kind')}>Kind</label>
        <select
          id={id('kind')}
          data-testid={`chain-${which}-kind`}
          value={kind}
          disabled={readOnly}
          onChange={(e) => onChange(e.target.value === 'instance' ? { vnfInstanceId: props.instances[0]?.id ?? '', cpdId: '' } : { host: '', bridge: 'br-int' })}
        >
          <option value="network">network</option>
          <option value="instance">instance connection point</option>
        </select>
      </div>
      {kind === 'network' ? (
        <div className="row">
          <label htmlFor={id('host')}>Host</label>
          <input id={id('host')} data-testid={`chain-${which}-host`} value={point.host ?? ''} disabled={readOnly} onChange={(e) => onChange({ ...point, host: e.target.value })} />
          <label htmlFor={id('bridge')}>Bridge</label>
          <input id={id('bridge')} data-testid={`chain-${which}-bridge`} value={point.bridge ?? ''} disabled={readOnly} onChange={(e) => onChange({ ...point, bridge: e.target.value })} />
          <label htmlFor={id('vlan')}>VLAN</label>
          <input
            id={id('vlan')}
            data-testid={`chain-${which}-vlan`}
            className="narrow"
            inputMode="numeric"
            value={point.vlan ?? ''}
            disabled={readOnly}
            onChange={(e) => onChange({ ...point, vlan: numberOrText(e.target.value) })}
          />
          <label htmlFor={id('port')}>OvS port</label>
          <input id={id('port')} data-testid={`chain-${which}-port`} value={point.port ?? ''} disabled={readOnly} onChange={(e) => onChange({ ...point, port: e.target.value })} />
        </div>
      ) : (
        <div className="row">
          <label htmlFor={id('instance')}>Instance</label>
          <select id={id('instance')} data-testid={`chain-${which}-instance`} value={point.vnfInstanceId ?? ''} disabled={readOnly} onChange={(e) => onChange({ vnfInstanceId: e.target.value, cpdId: '' })}>
            {props.instances.map((i) => (
              <option key={i.id} value={i.id}>
                {instanceName(i)}
              </option>
            ))}
          </select>
          <label htmlFor={id('cpd')}>ext-cpd</label>
          <select id={id('cpd')} data-testid={`chain-${which}-cpd`} value={point.cpdId ?? ''} disabled={readOnly} onChange={(e) => onChange({ ...point, cpdId: e.target.value })}>
            <option value="">choose</option>
            {(instance ? extCpdsOf(instance) : []).map((c) => (
              <option key={c} value={c}>
                {c}
              </option>
            ))}
          </select>
        </div>
      )}
      {props.problems?.map((p, k) => (
        <p key={k} className="field-error" role="alert">
          {p}
        </p>
      ))}
    </fieldset>
  );
}

function ClassifierForm({ value, onChange, readOnly }: { value: Classifier; onChange: (c: Classifier) => void; readOnly: boolean }) {
  return (
    <fieldset data-testid="chain-classifier">
      <legend>Classifier</legend>
      <div className="row">
        <label htmlFor="cls-ethertype">Ethertype</label>
        <select id="cls-ethertype" data-testid="classifier-ethertype" value={value.ethertype} disabled={readOnly} onChange={(e) => onChange({ ...value, ethertype: e.target.value as 'ipv4' | 'ipv6' })}>
          <option value="ipv4">IPv4</option>
          <option value="ipv6">IPv6</option>
        </select>
        <label htmlFor="cls-src">Source prefix</label>
        <input id="cls-src" data-testid="classifier-source" value={value.sourcePrefix ?? ''} placeholder="10.0.0.0/8" disabled={readOnly} onChange={(e) => onChange({ ...value, sourcePrefix: e.target.value || undefined })} />
        <label htmlFor="cls-dst">Destination prefix</label>
        <input id="cls-dst" data-testid="classifier-destination" value={value.destinationPrefix ?? ''} disabled={readOnly} onChange={(e) => onChange({ ...value, destinationPrefix: e.target.value || undefined })} />
        <label htmlFor="cls-proto">Protocol</label>
        <input id="cls-proto" data-testid="classifier-protocol" className="narrow" inputMode="numeric" value={value.protocol ?? ''} placeholder="any" disabled={readOnly} onChange={(e) => onChange({ ...value, protocol: numberOrText(e.target.value) })} />
      </div>
      <div className="row">
        <span>Source ports</span>
        <label htmlFor="cls-sp-from" className="sr-only">
          Source ports from
        </label>
        <input id="cls-sp-from" className="narrow" inputMode="numeric" value={value.sourcePorts?.from ?? ''} disabled={readOnly} onChange={(e) => onChange({ ...value, sourcePorts: portRange(value.sourcePorts, 'from', e.target.value) })} />
        <span>to</span>
        <label htmlFor="cls-sp-to" className="sr-only">
          Source ports to
        </label>
        <input id="cls-sp-to" className="narrow" inputMode="numeric" value={value.sourcePorts?.to ?? ''} disabled={readOnly} onChange={(e) => onChange({ ...value, sourcePorts: portRange(value.sourcePorts, 'to', e.target.value) })} />
        <span>Destination ports</span>
        <label htmlFor="cls-dp-from" className="sr-only">
          Destination ports from
        </label>
        <input id="cls-dp-from" data-testid="classifier-dport-from" className="narrow" inputMode="numeric" value={value.destinationPorts?.from ?? ''} disabled={readOnly} onChange={(e) => onChange({ ...value, destinationPorts: portRange(value.destinationPorts, 'from', e.target.value) })} />
        <span>to</span>
        <label htmlFor="cls-dp-to" className="sr-only">
          Destination ports to
        </label>
        <input id="cls-dp-to" data-testid="classifier-dport-to" className="narrow" inputMode="numeric" value={value.destinationPorts?.to ?? ''} disabled={readOnly} onChange={(e) => onChange({ ...value, destinationPorts: portRange(value.destinationPorts, 'to', e.target.value) })} />
      </div>
    </fieldset>
  );
}

function HopsEditor(props: {
  hops: Hop[];
  onChange: (hops: Hop[]) => void;
  readOnly: boolean;
  instances: VnfInstanceView[];
  infos: Map<string, InstanceInfo>;
  problems: Map<string, string[]>;
  loading: boolean;
}) {
  const { hops, onChange, readOnly, instances } = props;
  const [pick, setPick] = useState('');
  const [dragFrom, setDragFrom] = useState<number | null>(null);
  const picked = instances.find((i) => i.id === pick) ?? instances[0];
  const cpds = picked ? extCpdsOf(picked) : [];
  const [ingressCpd, setIngressCpd] = useState('');
  const [egressCpd, setEgressCpd] = useState('');
  useEffect(() => {
    setIngressCpd(cpds[0] ?? '');
    setEgressCpd(cpds[1] ?? cpds[0] ?? '');
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [picked?.id]);
  // After ↑ or ↓, focus goes with the hop that moved (to the same button, or the other one where the hop can move no further).
  const listRef = useRef<HTMLOListElement>(null);
  const [moved, setMoved] = useState<{ index: number; dir: 'up' | 'down' } | null>(null);
  useEffect(() => {
    if (!moved) return;
    const button = (dir: string) => listRef.current?.querySelector<HTMLButtonElement>(`[data-testid="hop-${moved.index}-${dir}"]:not(:disabled)`);
    (button(moved.dir) ?? button(moved.dir === 'up' ? 'down' : 'up'))?.focus();
    setMoved(null);
  }, [moved, hops]);
  const move = (index: number, dir: 'up' | 'down') => {
    onChange(dir === 'up' ? moveHopUp(hops, index) : moveHopDown(hops, index));
    setMoved({ index: dir === 'up' ? index - 1 : index + 1, dir });
  };
  const onDrop = (event: DragEvent, to: number) => {
    event.preventDefault();
    if (dragFrom !== null) onChange(moveHop(hops, dragFrom, to));
    setDragFrom(null);
  };
  const cpdsOf = (id: string): string[] => {
    const i = instances.find((x) => x.id === id);
    return i ? extCpdsOf(i) : [];
  };
  return (
    <fieldset data-testid="chain-hops">
      <legend>Hops, in order</legend>
      {!readOnly && (
        <div className="row" data-testid="hop-picker">
          {props.loading ? (
            <Loading what="instances" />
          ) : instances.length === 0 ? (
            <span className="muted">No INSTANTIATED instances to chain.</span>
          ) : (
            <>
              <label htmlFor="hop-instance">Instance</label>
              <select id="hop-instance" data-testid="hop-instance" value={picked?.id ?? ''} onChange={(e) => setPick(e.target.value)}>
                {instances.map((i) => (
                  <option key={i.id} value={i.id}>
                    {instanceName(i)}
                  </option>
                ))}
              </select>
              <label htmlFor="hop-ingress-cpd">in by</label>
              <select id="hop-ingress-cpd" data-testid="hop-ingress-cpd" value={ingressCpd} onChange={(e) => setIngressCpd(e.target.value)}>
                {cpds.map((c) => (
                  <option key={c}>{c}</option>
                ))}
              </select>
              <label htmlFor="hop-egress-cpd">out by</label>
              <select id="hop-egress-cpd" data-testid="hop-egress-cpd" value={egressCpd} onChange={(e) => setEgressCpd(e.target.value)}>
                {cpds.map((c) => (
                  <option key={c}>{c}</option>
                ))}
              </select>
              <button type="button" data-testid="hop-add" disabled={!picked || !ingressCpd || !egressCpd} onClick={() => picked && onChange(addHop(hops, { vnfInstanceId: picked.id, ingressCpd, egressCpd }))}>
                Add as a new hop
              </button>
            </>
          )}
        </div>
      )}
      {hops.length === 0 ? (
        <Empty testId="hops-empty">No hops yet{readOnly ? '' : ': pick instances above'}.</Empty>
      ) : (
        <ol className="hops" data-testid="hop-list" ref={listRef}>
          {hops.map((hop, index) => {
            const problems = props.problems.get(hopNodeId(index)) ?? [];
            // Keyed by its instances (a hop that moves keeps its element); the same instances twice get #1, #2.
            const ids = hop.instances.map((x) => x.vnfInstanceId).join(',');
            const seen = hops.slice(0, index).filter((h) => h.instances.map((x) => x.vnfInstanceId).join(',') === ids).length;
            return (
              <li
                key={`${ids}#${seen}`}
                className={`hop${problems.length ? ' has-error' : ''}${dragFrom === index ? ' dragging' : ''}`}
                data-testid={`hop-${index}`}
                draggable={!readOnly}
                onDragStart={(e) => {
                  setDragFrom(index);
                  e.dataTransfer.effectAllowed = 'move';
                  e.dataTransfer.setData('text/plain', String(index));
                }}
                onDragOver={(e) => e.preventDefault()}
                onDrop={(e) => onDrop(e, index)}
                onDragEnd={() => setDragFrom(null)}
              >
                <span className="hop-number">{index + 1}</span>
                <ul className="hop-instances">
                  {hop.instances.map((inst, position) => (
                    <li key={inst.vnfInstanceId}>
                      <strong>{props.infos.get(inst.vnfInstanceId)?.name ?? inst.vnfInstanceId}</strong>
                      {readOnly ? (
                        <span className="muted">
                          {' '}
                          {inst.ingressCpd} → {inst.egressCpd}
                        </span>
                      ) : (
                        <>
                          <label className="sr-only" htmlFor={`hop-${index}-${position}-in`}>
                            Hop {index + 1} in by
                          </label>
                          <select id={`hop-${index}-${position}-in`} value={inst.ingressCpd} onChange={(e) => onChange(setHopInstance(hops, index, position, { ingressCpd: e.target.value }))}>
                            {[...new Set([inst.ingressCpd, ...cpdsOf(inst.vnfInstanceId)])].map((c) => (
                              <option key={c}>{c}</option>
                            ))}
                          </select>
                          →
                          <label className="sr-only" htmlFor={`hop-${index}-${position}-out`}>
                            Hop {index + 1} out by
                          </label>
                          <select id={`hop-${index}-${position}-out`} value={inst.egressCpd} onChange={(e) => onChange(setHopInstance(hops, index, position, { egressCpd: e.target.value }))}>
                            {[...new Set([inst.egressCpd, ...cpdsOf(inst.vnfInstanceId)])].map((c) => (
                              <option key={c}>{c}</option>
                            ))}
                          </select>
                          {hop.instances.length > 1 && (
                            <button type="button" className="link" aria-label={`Remove ${props.infos.get(inst.vnfInstanceId)?.name ?? 'instance'} from hop ${index + 1}`} onClick={() => onChange(removeInstanceFromHop(hops, index, inst.vnfInstanceId))}>
                              remove
                            </button>
                          )}
                        </>
                      )}
                    </li>
                  ))}
                </ul>
                {!readOnly && (
                  <span className="hop-controls">
                    <button type="button" data-testid={`hop-${index}-up`} aria-label={`Move hop ${index + 1} up`} disabled={index === 0} onClick={() => move(index, 'up')}>
                      ↑
                    </button>
                    <button type="button" data-testid={`hop-${index}-down`} aria-label={`Move hop ${index + 1} down`} disabled={index === hops.length - 1} onClick={() => move(index, 'down')}>
                      ↓
                    </button>
                    {picked && !hop.instances.some((x) => x.vnfInstanceId === picked.id) && (
                      <button type="button" data-testid={`hop-${index}-share`} onClick={() => onChange(addInstanceToHop(hops, index, { vnfInstanceId: picked.id, ingressCpd, egressCpd }))}>
                        + {instanceName(picked)} here
                      </button>
                    )}
                    <button type="button" className="danger" data-testid={`hop-${index}-remove`} aria-label={`Remove hop ${index + 1}`} onClick={() => onChange(removeHop(hops, index))}>
                      ✕
                    </button>
                  </span>
                )}
                {problems.map((p, k) => (
                  <p key={k} className="field-error" role="alert" data-testid={`hop-${index}-error`}>
                    {p}
                  </p>
                ))}
              </li>
            );
          })}
        </ol>
      )}
    </fieldset>
  );
}

function TraceForm({ chainId, classifier, onResult }: { chainId: string; classifier: Classifier; onResult: (r: ChainTraceResult | null) => void }) {
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
