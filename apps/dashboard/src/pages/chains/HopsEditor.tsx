import { useEffect, useRef, useState, type DragEvent } from 'react';
import type { Hop, VnfInstanceView } from '../../api/types.js';
import { addHop, addInstanceToHop, hopNodeId, moveHop, moveHopDown, moveHopUp, removeHop, removeInstanceFromHop, setHopInstance, type InstanceInfo } from '../../logic/chain-graph.js';
import { extCpdsOf } from '../../logic/chain-form.js';
import { Empty, Loading } from '../../ui.js';
import { instanceName } from '../Instances.js';

/** The hops in order: add, share, reorder (buttons or drag and drop), remove; refusals at their hop. */
export function HopsEditor(props: {
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
