import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ApiError, withProblems } from '../api/client.js';
import type { LcmOpOccPage, LcmOpOccView, VnfdDetail, VnfdPage, VnfInstancePage, VnfInstanceView, VnfcView } from '../api/types.js';
import { cpdOfPointer, defaultBinding, extCpdFields, flavoursOf, toInstantiateRequest, type BindingDraft } from '../logic/instantiate-form.js';
import { href, navigate } from '../router.js';
import { Empty, ErrorBox, Flash, Loading, StateBadge, shortId, useCanChange, useFlash, when } from '../ui.js';
import { OpProgress } from './OpProgress.js';

export const instanceName = (i: Pick<VnfInstanceView, 'id' | 'vnfInstanceName' | 'vnfProductName'>): string => i.vnfInstanceName || `${i.vnfProductName} ${shortId(i.id)}`;

export function InstancesPage({ params }: { params: string[] }) {
  const canChange = useCanChange();
  const [flash, setFlash] = useFlash();
  const [opId, setOpId] = useState<string | null>(null);
  const list = useQuery({ queryKey: ['instances'], queryFn: () => api<VnfInstancePage>('/api/v1/vnf_instances?limit=200') });
  // #/instances/<id> shows an instance; #/instances/new/<vnfd id> preselects the descriptor to instantiate (the descriptors page links there).
  const creating = params[0] === 'new';
  const selected = creating ? undefined : params[0];
  const chosenVnfd = creating ? params[1] : undefined;
  return (
    <section aria-labelledby="instances-title">
      <h2 id="instances-title">VNF instances</h2>
      <Flash message={flash} />
      {canChange && (
        <CreateInstance
          chosenVnfd={chosenVnfd}
          onStarted={(op, name) => {
            setOpId(op.id);
            setFlash(`${name}: ${op.operation} started`);
          }}
        />
      )}
      {opId && (
        <section className="panel" aria-label="Operation progress" data-testid="op-progress">
          <h3>Operation in progress</h3>
          <OpProgress opId={opId} />
        </section>
      )}
      <h3>Instances</h3>
      {list.isPending ? (
        <Loading what="instances" />
      ) : list.isError ? (
        <ErrorBox error={list.error} title="Instances could not be read" onRetry={() => void list.refetch()} />
      ) : list.data.items.length === 0 ? (
        <Empty testId="instances-empty">No VNF instances yet.</Empty>
      ) : (
        <table className="table" data-testid="instance-table">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Product</th>
              <th scope="col">State</th>
              <th scope="col">VMs</th>
              <th scope="col">Created</th>
            </tr>
          </thead>
          <tbody>
            {list.data.items.map((i) => (
              <tr key={i.id} data-testid={`instance-row-${i.id}`} className={i.id === selected ? 'selected' : undefined}>
                <td>
                  <a href={href('instances', i.id)} data-testid="instance-link">
                    {instanceName(i)}
                  </a>
                </td>
                <td>
                  {i.vnfProductName} {i.vnfdVersion}
                </td>
                <td>
                  <StateBadge state={i.instantiationState} />
                </td>
                <td>{i.instantiatedVnfInfo?.vnfcResourceInfo.length ?? 0}</td>
                <td>{when(i.createdAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {selected && <InstanceDetail id={selected} canChange={canChange} onOp={(op) => setOpId(op.id)} onFlash={setFlash} />}
    </section>
  );
}

function CreateInstance({ chosenVnfd, onStarted }: { chosenVnfd?: string; onStarted: (op: LcmOpOccView, name: string) => void }) {
  const client = useQueryClient();
  const vnfds = useQuery({ queryKey: ['vnfds'], queryFn: () => api<VnfdPage>('/api/v1/vnfds?limit=200') });
  const enabled = (vnfds.data?.items ?? []).filter((d) => d.operationalState === 'ENABLED');
  const [vnfdId, setVnfdId] = useState(chosenVnfd ?? '');
  const [name, setName] = useState('');
  useEffect(() => {
    if (chosenVnfd) setVnfdId(chosenVnfd);
  }, [chosenVnfd]);
  useEffect(() => {
    if (enabled.length && !enabled.some((d) => d.id === vnfdId)) setVnfdId(enabled[0].id);
  }, [enabled, vnfdId]);
  const create = useMutation({
    mutationFn: async (request: { vnfdId: string; name: string }) =>
      api<VnfInstanceView>('/api/v1/vnf_instances', { method: 'POST', body: { vnfdId: request.vnfdId, ...(request.name && { vnfInstanceName: request.name }) } }),
    onSuccess: () => void client.invalidateQueries({ queryKey: ['instances'] }),
  });
  const [created, setCreated] = useState<VnfInstanceView | null>(null);
  return (
    <section className="panel" aria-label="Create and instantiate" data-testid="instance-create">
      <h3>Create and instantiate</h3>
      {vnfds.isPending ? (
        <Loading what="descriptors" />
      ) : vnfds.isError ? (
        <ErrorBox error={vnfds.error} title="Descriptors could not be read" onRetry={() => void vnfds.refetch()} />
      ) : enabled.length === 0 ? (
        <Empty>
          No ENABLED descriptor to instantiate. <a href={href('descriptors')}>Upload one</a>.
        </Empty>
      ) : (
        <>
          <div className="row">
            <label htmlFor="create-vnfd">Descriptor</label>
            <select id="create-vnfd" data-testid="create-vnfd" value={vnfdId} onChange={(e) => setVnfdId(e.target.value)}>
              {enabled.map((d) => (
                <option key={d.id} value={d.id}>
                  {d.productName} {d.version} ({d.vnfdId})
                </option>
              ))}
            </select>
            <label htmlFor="create-name">Name</label>
            <input id="create-name" data-testid="create-name" value={name} onChange={(e) => setName(e.target.value)} placeholder="optional" />
          </div>
          {vnfdId && (
            <InstantiateForm
              key={vnfdId}
              vnfdId={vnfdId}
              submitLabel="Create and instantiate"
              instanceId={created && created.vnfdId === vnfdId && created.instantiationState === 'NOT_INSTANTIATED' ? created.id : undefined}
              before={async () => {
                if (created && created.vnfdId === vnfdId && created.instantiationState === 'NOT_INSTANTIATED') return created.id;
                const instance = await create.mutateAsync({ vnfdId, name });
                setCreated(instance);
                return instance.id;
              }}
              onStarted={(op) => {
                setCreated(null);
                setName('');
                onStarted(op, name || 'instance');
              }}
            />
          )}
          {create.isError && <ErrorBox error={create.error} title="Not created" />}
          {created && <p className="muted">Created {instanceName(created)}; its instantiation was refused: change the form and try again (it reuses the instance).</p>}
        </>
      )}
    </section>
  );
}

/** Flavour, level and one binding per ext-cpd, from the descriptor; problems shown at their fields. */
function InstantiateForm(props: { vnfdId: string; instanceId?: string; submitLabel: string; before?: () => Promise<string>; onStarted: (op: LcmOpOccView) => void }) {
  const client = useQueryClient();
  const vnfd = useQuery({ queryKey: ['vnfd', props.vnfdId], queryFn: () => api<VnfdDetail>(`/api/v1/vnfds/${props.vnfdId}`) });
  const flavours = useMemo(() => flavoursOf(vnfd.data?.model), [vnfd.data]);
  const fields = useMemo(() => extCpdFields(vnfd.data?.model), [vnfd.data]);
  const [flavourId, setFlavourId] = useState('');
  const [level, setLevel] = useState('');
  const [bindings, setBindings] = useState<Record<string, BindingDraft>>({});
  useEffect(() => {
    if (!flavours.length) return;
    setFlavourId((f) => f || flavours[0].id);
  }, [flavours]);
  useEffect(() => {
    setBindings((b) => Object.fromEntries(fields.map((f) => [f.cpdId, b[f.cpdId] ?? defaultBinding(f)])));
  }, [fields]);
  const flavour = flavours.find((f) => f.id === flavourId);
  const instantiate = useMutation({
    mutationFn: async () => {
      const id = props.instanceId ?? (await props.before?.());
      if (!id) throw new Error('no instance');
      return api<LcmOpOccView>(`/api/v1/vnf_instances/${id}/instantiate`, { method: 'POST', body: toInstantiateRequest(flavourId, level, bindings) });
    },
    onSuccess: (op) => {
      void client.invalidateQueries({ queryKey: ['instances'] });
      props.onStarted(op);
    },
  });
  if (vnfd.isPending) return <Loading what="the descriptor" />;
  if (vnfd.isError) return <ErrorBox error={vnfd.error} title="The descriptor could not be read" onRetry={() => void vnfd.refetch()} />;
  const problems = instantiate.error instanceof ApiError ? instantiate.error.errors : [];
  const problemsOf = (cpd: string) => problems.filter((p) => cpdOfPointer(p.path) === cpd);
  const other = problems.filter((p) => cpdOfPointer(p.path) === undefined);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    instantiate.mutate();
  };
  return (
    <form onSubmit={submit} aria-label="Instantiate" data-testid="instantiate-form" className="instantiate">
      <div className="row">
        <label htmlFor="inst-flavour">Flavour</label>
        <select id="inst-flavour" data-testid="instantiate-flavour" value={flavourId} onChange={(e) => setFlavourId(e.target.value)}>
          {flavours.map((f) => (
            <option key={f.id} value={f.id}>
              {f.id}
            </option>
          ))}
        </select>
        <label htmlFor="inst-level">Level</label>
        <select id="inst-level" data-testid="instantiate-level" value={level} onChange={(e) => setLevel(e.target.value)}>
          <option value="">default{flavour?.defaultLevel ? ` (${flavour.defaultLevel})` : ''}</option>
          {(flavour?.levels ?? []).map((l) => (
            <option key={l} value={l}>
              {l}
            </option>
          ))}
        </select>
      </div>
      <fieldset>
        <legend>Networks, one per ext-cpd</legend>
        {fields.length === 0 && <p className="muted">The descriptor has no ext-cpds.</p>}
        {fields.map((f) => {
          const b = bindings[f.cpdId] ?? defaultBinding(f);
          const set = (change: Partial<BindingDraft>) => setBindings((all) => ({ ...all, [f.cpdId]: { ...b, ...change } }));
          const mine = problemsOf(f.cpdId);
          return (
            <div className={mine.length ? 'row binding has-error' : 'row binding'} key={f.cpdId} data-testid={`binding-${f.cpdId}`}>
              <strong className="cpd">{f.cpdId}</strong>
              <span className="muted">{f.interfaceType ?? ''}</span>
              <label htmlFor={`b-kind-${f.cpdId}`}>Kind</label>
              <select id={`b-kind-${f.cpdId}`} data-testid={`binding-${f.cpdId}-kind`} value={b.kind} onChange={(e) => set({ kind: e.target.value as BindingDraft['kind'] })}>
                <option value="bridge">OvS bridge</option>
                <option value="physnet">SR-IOV physnet</option>
              </select>
              <label htmlFor={`b-name-${f.cpdId}`}>{b.kind === 'bridge' ? 'Bridge' : 'Physnet'}</label>
              <input id={`b-name-${f.cpdId}`} data-testid={`binding-${f.cpdId}-name`} value={b.name} onChange={(e) => set({ name: e.target.value })} />
              <label htmlFor={`b-vlan-${f.cpdId}`}>VLAN</label>
              <input id={`b-vlan-${f.cpdId}`} data-testid={`binding-${f.cpdId}-vlan`} className="narrow" inputMode="numeric" value={b.vlan} onChange={(e) => set({ vlan: e.target.value })} placeholder="none" />
              {mine.map((p, i) => (
                <span key={i} className="field-error" role="alert">
                  {p.message}
                </span>
              ))}
            </div>
          );
        })}
      </fieldset>
      <button type="submit" data-testid="instantiate-submit" disabled={!flavourId || instantiate.isPending}>
        {instantiate.isPending ? 'Starting…' : props.submitLabel}
      </button>
      {instantiate.isError && (
        <ErrorBox error={withProblems(instantiate.error, other)} title="Not instantiated" />
      )}
    </form>
  );
}

function InstanceDetail({ id, canChange, onOp, onFlash }: { id: string; canChange: boolean; onOp: (op: LcmOpOccView) => void; onFlash: (m: string) => void }) {
  const client = useQueryClient();
  const instance = useQuery({ queryKey: ['instance', id], queryFn: () => api<VnfInstanceView>(`/api/v1/vnf_instances/${id}`) });
  const ops = useQuery({ queryKey: ['lcm-ops', { vnfInstanceId: id }], queryFn: () => api<LcmOpOccPage>(`/api/v1/vnf_lcm_op_occs?vnfInstanceId=${id}&limit=5`) });
  const [terminationType, setTerminationType] = useState<'GRACEFUL' | 'FORCEFUL'>('GRACEFUL');
  const [healTarget, setHealTarget] = useState<'same-host' | 'any-host'>('same-host');
  const started = (op: LcmOpOccView) => {
    onOp(op);
    void client.invalidateQueries({ queryKey: ['instance', id] });
    void client.invalidateQueries({ queryKey: ['lcm-ops'] });
  };
  const terminate = useMutation({ mutationFn: () => api<LcmOpOccView>(`/api/v1/vnf_instances/${id}/terminate`, { method: 'POST', body: { terminationType } }), onSuccess: started });
  const heal = useMutation({ mutationFn: (vms?: string[]) => api<LcmOpOccView>(`/api/v1/vnf_instances/${id}/heal`, { method: 'POST', body: { target: healTarget, ...(vms && { vduInstanceIds: vms }) } }), onSuccess: started });
  const remove = useMutation({
    mutationFn: () => api<void>(`/api/v1/vnf_instances/${id}`, { method: 'DELETE' }),
    onSuccess: () => {
      onFlash('Instance deleted');
      void client.invalidateQueries({ queryKey: ['instances'] });
      navigate('instances');
    },
  });
  if (instance.isPending) return <Loading what="the instance" />;
  if (instance.isError) return <ErrorBox error={instance.error} title="The instance could not be read" onRetry={() => void instance.refetch()} />;
  const i = instance.data;
  const vms = i.instantiatedVnfInfo?.vnfcResourceInfo ?? [];
  const latest = ops.data?.items[0];
  return (
    <section className="panel" aria-label={`Instance ${instanceName(i)}`} data-testid="instance-detail">
      <header className="row">
        <h3>{instanceName(i)}</h3>
        <StateBadge state={i.instantiationState} />
        <button type="button" onClick={() => navigate('instances')}>
          Close
        </button>
      </header>
      <p className="muted">
        {i.vnfProductName} {i.vnfdVersion} · id <code>{i.id}</code>
        {i.instantiatedVnfInfo && ` · flavour ${i.instantiatedVnfInfo.flavourId ?? '—'}, level ${i.instantiatedVnfInfo.instantiationLevelId ?? 'default'}`}
      </p>
      {canChange && (
        <div className="row actions" data-testid="instance-actions">
          {i.instantiationState === 'INSTANTIATED' ? (
            <>
              <label htmlFor="term-type">Termination</label>
              <select id="term-type" value={terminationType} onChange={(e) => setTerminationType(e.target.value as 'GRACEFUL' | 'FORCEFUL')}>
                <option value="GRACEFUL">graceful</option>
                <option value="FORCEFUL">forceful</option>
              </select>
              <button
                type="button"
                className="danger"
                data-testid="instance-terminate"
                disabled={terminate.isPending}
                onClick={() => {
                  if (window.confirm(`Terminate ${instanceName(i)}?`)) terminate.mutate();
                }}
              >
                Terminate
              </button>
              <label htmlFor="heal-target">Heal on</label>
              <select id="heal-target" value={healTarget} onChange={(e) => setHealTarget(e.target.value as 'same-host' | 'any-host')}>
                <option value="same-host">the same host</option>
                <option value="any-host">any host</option>
              </select>
              <button type="button" data-testid="instance-heal" disabled={heal.isPending} onClick={() => heal.mutate(undefined)}>
                Heal all VMs
              </button>
            </>
          ) : (
            <button type="button" className="danger" data-testid="instance-delete" disabled={remove.isPending} onClick={() => remove.mutate()}>
              Delete
            </button>
          )}
        </div>
      )}
      {[terminate.error, heal.error, remove.error].filter(Boolean).map((e, k) => (
        <ErrorBox key={k} error={e} title="Not done" />
      ))}
      {canChange && i.instantiationState === 'NOT_INSTANTIATED' && (
        <details open>
          <summary>Instantiate</summary>
          <InstantiateForm vnfdId={i.vnfdId} instanceId={i.id} submitLabel="Instantiate" onStarted={started} />
        </details>
      )}
      <h4>VMs</h4>
      {vms.length === 0 ? (
        <Empty>No VMs{i.instantiationState === 'INSTANTIATED' ? '' : ' (not instantiated)'}.</Empty>
      ) : (
        <table className="table" data-testid="vm-table">
          <thead>
            <tr>
              <th scope="col">VDU</th>
              <th scope="col">State</th>
              <th scope="col">Power</th>
              <th scope="col">Host</th>
              <th scope="col">NUMA cell</th>
              <th scope="col">Pinned CPUs</th>
              <th scope="col">Ports and VFs</th>
              {canChange && <th scope="col">Heal</th>}
            </tr>
          </thead>
          <tbody>
            {vms.map((vm) => (
              <VmRow key={vm.id} vm={vm} canChange={canChange} onHeal={() => heal.mutate([vm.id])} />
            ))}
          </tbody>
        </table>
      )}
      <h4>Latest operation</h4>
      {ops.isPending ? <Loading what="operations" /> : ops.isError ? <ErrorBox error={ops.error} title="Operations could not be read" onRetry={() => void ops.refetch()} /> : latest ? <OpProgress opId={latest.id} /> : <Empty>No operations.</Empty>}
    </section>
  );
}

function VmRow({ vm, canChange, onHeal }: { vm: VnfcView; canChange: boolean; onHeal: () => void }) {
  const pinned = vm.pinnedCpus;
  const bad = vm.powerState && vm.powerState !== 'RUNNING';
  return (
    <tr data-testid={`vm-${vm.id}`} className={bad ? 'warn' : undefined}>
      <td>
        {vm.vduId}
        <div className="muted">{vm.domainName ?? ''}</div>
      </td>
      <td>
        <StateBadge state={vm.state} />
      </td>
      <td data-testid="vm-power">
        <StateBadge state={vm.powerState ?? 'UNKNOWN'} />
        {vm.powerStateReason && <div className="muted">{vm.powerStateReason}</div>}
      </td>
      <td>{vm.hostName ?? '—'}</td>
      <td>{vm.numaCell ?? '—'}</td>
      <td>{pinned.length ? pinned.join(', ') : <span className="muted">floating</span>}</td>
      <td>
        <ul className="ports">
          {vm.ports.map((p, k) => (
            <li key={k}>
              <code>{String(p.extCpdId ?? p.cpdId ?? '?')}</code> {String(p.kind ?? '')} {String(p.name ?? p.pciAddress ?? '')}
              {p.bridge ? ` on ${String(p.bridge)}` : ''}
              {p.vlan !== undefined && p.vlan !== null ? ` vlan ${String(p.vlan)}` : ''}
            </li>
          ))}
        </ul>
      </td>
      {canChange && (
        <td>
          <button type="button" onClick={onHeal} aria-label={`Heal VM ${vm.vduId}`}>
            Heal
          </button>
        </td>
      )}
    </tr>
  );
}
