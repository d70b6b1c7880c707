import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, query } from '../api/client.js';
import type { ChainOpOccPage, LcmOpOccPage, LcmOpOccView } from '../api/types.js';
import { CHAIN_STATES, LCM_STATES } from '../logic/op-states.js';
import { href } from '../router.js';
import { Empty, ErrorBox, Flash, JsonBlock, Loading, StateBadge, shortId, useCanChange, useFlash, when } from '../ui.js';

const LCM_OPERATIONS = ['INSTANTIATE', 'SCALE', 'SCALE_TO_LEVEL', 'HEAL', 'TERMINATE'];
const CHAIN_OPERATIONS = ['CREATE', 'UPDATE', 'DELETE', 'REPAIR'];

export function OperationsPage() {
  const [tab, setTab] = useState<'lcm' | 'chain'>('lcm');
  return (
    <section aria-labelledby="ops-title">
      <h2 id="ops-title">Operations</h2>
      {/* The tabs' keyboard pattern: one Tab stop (the selected tab); the arrow keys, Home and End move between them and select. */}
      <div
        className="tabs"
        role="tablist"
        aria-label="Operation kinds"
        onKeyDown={(e) => {
          const next = e.key === 'ArrowRight' || e.key === 'ArrowLeft' ? (tab === 'lcm' ? 'chain' : 'lcm') : e.key === 'Home' ? 'lcm' : e.key === 'End' ? 'chain' : null;
          if (!next) return;
          e.preventDefault();
          setTab(next);
          e.currentTarget.querySelector<HTMLElement>(`[data-testid="ops-tab-${next}"]`)?.focus();
        }}
      >
        <button type="button" role="tab" id="ops-tab-lcm" aria-controls="ops-panel" aria-selected={tab === 'lcm'} tabIndex={tab === 'lcm' ? 0 : -1} data-testid="ops-tab-lcm" onClick={() => setTab('lcm')}>
          Lifecycle
        </button>
        <button type="button" role="tab" id="ops-tab-chain" aria-controls="ops-panel" aria-selected={tab === 'chain'} tabIndex={tab === 'chain' ? 0 : -1} data-testid="ops-tab-chain" onClick={() => setTab('chain')}>
          Chains
        </button>
      </div>
      <div id="ops-panel" role="tabpanel" aria-labelledby={`ops-tab-${tab}`}>
        {tab === 'lcm' ? <LcmOps /> : <ChainOps />}
      </div>
    </section>
  );
}

function Filters(props: { states: readonly string[]; operations: readonly string[]; state: string; operation: string; onState: (s: string) => void; onOperation: (o: string) => void; idLabel: string; id: string; onId: (s: string) => void }) {
  return (
    <div className="row filters" role="search" aria-label="Filters">
      <label htmlFor="f-state">State</label>
      <select id="f-state" data-testid="ops-filter-state" value={props.state} onChange={(e) => props.onState(e.target.value)}>
        <option value="">any</option>
        {props.states.map((s) => (
          <option key={s}>{s}</option>
        ))}
      </select>
      <label htmlFor="f-op">Operation</label>
      <select id="f-op" data-testid="ops-filter-operation" value={props.operation} onChange={(e) => props.onOperation(e.target.value)}>
        <option value="">any</option>
        {props.operations.map((s) => (
          <option key={s}>{s}</option>
        ))}
      </select>
      <label htmlFor="f-id">{props.idLabel}</label>
      <input id="f-id" data-testid="ops-filter-id" value={props.id} onChange={(e) => props.onId(e.target.value.trim())} placeholder="UUID" />
    </div>
  );
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function LcmOps() {
  const [state, setState] = useState('');
  const [operation, setOperation] = useState('');
  const [instance, setInstance] = useState('');
  const params = { operationState: state, operation, vnfInstanceId: UUID.test(instance) ? instance : undefined, limit: 100 };
  const ops = useQuery({ queryKey: ['lcm-ops', params], queryFn: () => api<LcmOpOccPage>(`/api/v1/vnf_lcm_op_occs${query(params)}`) });
  return (
    <>
      <Filters states={LCM_STATES} operations={LCM_OPERATIONS} state={state} operation={operation} onState={setState} onOperation={setOperation} idLabel="Instance" id={instance} onId={setInstance} />
      {ops.isPending ? (
        <Loading what="operations" />
      ) : ops.isError ? (
        <ErrorBox error={ops.error} title="Operations could not be read" onRetry={() => void ops.refetch()} />
      ) : ops.data.items.length === 0 ? (
        <Empty testId="ops-empty">No lifecycle operations match.</Empty>
      ) : (
        <>
          <p className="muted">
            {ops.data.items.length} of {ops.data.total}
          </p>
          <ul className="ops" data-testid="lcm-ops">
            {ops.data.items.map((op) => (
              <LcmOpRow key={op.id} op={op} />
            ))}
          </ul>
        </>
      )}
    </>
  );
}

function LcmOpRow({ op }: { op: LcmOpOccView }) {
  const canChange = useCanChange();
  const client = useQueryClient();
  const [flash, setFlash] = useFlash();
  const act = useMutation({
    mutationFn: (action: string) => api<LcmOpOccView>(`/api/v1/vnf_lcm_op_occs/${op.id}/${action}`, { method: 'POST' }),
    onSuccess: (_, action) => {
      setFlash(`${action} accepted`);
      void client.invalidateQueries({ queryKey: ['lcm-ops'] });
      void client.invalidateQueries({ queryKey: ['lcm-op', op.id] });
    },
  });
  const actions = (['retry', 'rollback', 'fail', 'cancel'] as const).filter((a) => op._links?.[a]);
  const failed = op.operationState === 'FAILED' || op.operationState === 'FAILED_TEMP';
  return (
    <li className={`op${failed ? ' failed' : ''}`} data-testid={`lcm-op-${op.id}`} data-state={op.operationState}>
      <div className="row">
        <strong>{op.operation}</strong>
        <StateBadge state={op.operationState} />
        <a href={href('instances', op.vnfInstanceId)}>instance {shortId(op.vnfInstanceId)}</a>
        <span className="muted">
          started {when(op.startTime)} · state since {when(op.stateEnteredTime)}
          {op.isAutomaticInvocation ? ' · automatic' : ''}
          {op.currentStep ? ` · step ${op.currentStep}` : ''}
        </span>
        {canChange &&
          actions.map((a) => (
            <button
              type="button"
              key={a}
              data-testid={`op-${a}`}
              className={a === 'fail' || a === 'rollback' ? 'danger' : undefined}
              disabled={act.isPending}
              onClick={() => {
                if (a === 'retry' || window.confirm(`${a} operation ${shortId(op.id)}?`)) act.mutate(a);
              }}
            >
              {a}
            </button>
          ))}
      </div>
      <Flash message={flash} />
      {act.isError && <ErrorBox error={act.error} title="Not done" />}
      {op.error && (
        <details open={failed} data-testid="op-error">
          <summary>Error: {String(op.error.title ?? '')} {String(op.error.detail ?? '')}</summary>
          <JsonBlock value={op.error} />
        </details>
      )}
      <details>
        <summary>Parameters and timings</summary>
        <JsonBlock value={{ operationParams: op.operationParams, timings: op.timings }} />
      </details>
    </li>
  );
}

function ChainOps() {
  const [state, setState] = useState('');
  const [operation, setOperation] = useState('');
  const [chain, setChain] = useState('');
  const params = { operationState: state, operation, chainId: UUID.test(chain) ? chain : undefined, limit: 100 };
  const ops = useQuery({ queryKey: ['chain-ops', params], queryFn: () => api<ChainOpOccPage>(`/api/v1/chain_op_occs${query(params)}`) });
  return (
    <>
      <Filters states={CHAIN_STATES} operations={CHAIN_OPERATIONS} state={state} operation={operation} onState={setState} onOperation={setOperation} idLabel="Chain" id={chain} onId={setChain} />
      {ops.isPending ? (
        <Loading what="chain operations" />
      ) : ops.isError ? (
        <ErrorBox error={ops.error} title="Chain operations could not be read" onRetry={() => void ops.refetch()} />
      ) : ops.data.items.length === 0 ? (
        <Empty testId="chain-ops-empty">No chain operations match.</Empty>
      ) : (
        <ul className="ops" data-testid="chain-ops">
          {ops.data.items.map((op) => (
            <li key={op.id} className={`op${op.operationState === 'FAILED' ? ' failed' : ''}`} data-testid={`chain-op-${op.id}`} data-state={op.operationState}>
              <div className="row">
                <strong>{op.operation}</strong>
                <StateBadge state={op.operationState} />
                <a href={href('chains', op.chainId)}>{op.chainName}</a>
                <span className="muted">
                  started {when(op.startTime)} · state since {when(op.stateEnteredTime)}
                  {op.isAutomaticInvocation ? ' · automatic (repair)' : ''}
                </span>
              </div>
              {op.error && (
                <details open data-testid="op-error">
                  <summary>Error: {String(op.error.title ?? '')} {String(op.error.detail ?? '')}</summary>
                  <JsonBlock value={op.error} />
                </details>
              )}
              <details>
                <summary>Parameters</summary>
                <JsonBlock value={op.operationParams} />
              </details>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
