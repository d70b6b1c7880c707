import { useState, type ChangeEvent, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ApiError, errorText } from '../api/client.js';
import type { VnfdDetail, VnfdPage, VnfdSummary } from '../api/types.js';
import { textFormat } from '../logic/pointer.js';
import { href, navigate } from '../router.js';
import { Empty, ErrorBox, Flash, Loading, StateBadge, useCanChange, useFlash, when } from '../ui.js';
import { NumberedText } from './NumberedText.js';

export function DescriptorsPage({ params }: { params: string[] }) {
  const canChange = useCanChange();
  const [flash, setFlash] = useFlash();
  const list = useQuery({ queryKey: ['vnfds'], queryFn: () => api<VnfdPage>('/api/v1/vnfds?limit=200') });
  const selected = params[0];
  return (
    <section aria-labelledby="vnfds-title">
      <h2 id="vnfds-title">Descriptors</h2>
      <Flash message={flash} />
      {canChange && <Upload onDone={(s) => setFlash(`Onboarded ${s.productName} ${s.version}`)} />}
      <h3>Onboarded</h3>
      {list.isPending ? (
        <Loading what="descriptors" />
      ) : list.isError ? (
        <ErrorBox error={list.error} title="Descriptors could not be read" onRetry={() => void list.refetch()} />
      ) : list.data.items.length === 0 ? (
        <Empty testId="vnfds-empty">No descriptors yet.{canChange ? ' Upload one above.' : ''}</Empty>
      ) : (
        <table className="table" data-testid="vnfd-table">
          <thead>
            <tr>
              <th scope="col">Product</th>
              <th scope="col">vnfd id</th>
              <th scope="col">Version</th>
              <th scope="col">Provider</th>
              <th scope="col">State</th>
              <th scope="col">Created</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {list.data.items.map((d) => (
              <VnfdRow key={d.id} vnfd={d} canChange={canChange} onFlash={setFlash} />
            ))}
          </tbody>
        </table>
      )}
      {selected && <DescriptorDetail id={selected} />}
    </section>
  );
}

function VnfdRow({ vnfd, canChange, onFlash }: { vnfd: VnfdSummary; canChange: boolean; onFlash: (m: string) => void }) {
  const client = useQueryClient();
  const setState = useMutation({
    mutationFn: (operationalState: 'ENABLED' | 'DISABLED') => api<VnfdSummary>(`/api/v1/vnfds/${vnfd.id}`, { method: 'PATCH', body: { operationalState } }),
    onSuccess: (s) => {
      onFlash(`${s.productName} is ${s.operationalState}`);
      void client.invalidateQueries({ queryKey: ['vnfds'] });
      void client.invalidateQueries({ queryKey: ['vnfd', vnfd.id] });
    },
  });
  const remove = useMutation({
    mutationFn: () => api<void>(`/api/v1/vnfds/${vnfd.id}`, { method: 'DELETE' }),
    onSuccess: () => {
      onFlash(`Deleted ${vnfd.productName} ${vnfd.version}`);
      void client.invalidateQueries({ queryKey: ['vnfds'] });
    },
  });
  const enabled = vnfd.operationalState === 'ENABLED';
  const error = setState.error ?? remove.error;
  return (
    <>
      <tr data-testid={`vnfd-row-${vnfd.vnfdId}`}>
        <td>
          <a href={href('descriptors', vnfd.id)}>{vnfd.productName}</a>
        </td>
        <td>
          <code>{vnfd.vnfdId}</code>
        </td>
        <td>{vnfd.version}</td>
        <td>{vnfd.provider ?? '—'}</td>
        <td>
          <StateBadge state={vnfd.operationalState} />
        </td>
        <td>{when(vnfd.createdAt)}</td>
        <td className="actions">
          {canChange && (
            <>
              <button type="button" data-testid="vnfd-toggle" disabled={setState.isPending} onClick={() => setState.mutate(enabled ? 'DISABLED' : 'ENABLED')}>
                {enabled ? 'Disable' : 'Enable'}
              </button>
              <button
                type="button"
                className="danger"
                data-testid="vnfd-delete"
                disabled={remove.isPending}
                onClick={() => {
                  if (window.confirm(`Delete ${vnfd.productName} ${vnfd.version}?`)) remove.mutate();
                }}
              >
                Delete
              </button>
            </>
          )}
          <a href={href('instances', 'new', vnfd.id)}>
            Instances
          </a>
        </td>
      </tr>
      {error && (
        <tr>
          <td colSpan={7}>
            <ErrorBox error={error} title="Not done" />
          </td>
        </tr>
      )}
    </>
  );
}

function Upload({ onDone }: { onDone: (s: VnfdSummary) => void }) {
  const client = useQueryClient();
  const [text, setText] = useState('');
  const [sent, setSent] = useState<string | null>(null);
  const upload = useMutation({
    mutationFn: (body: string) => api<VnfdSummary>('/api/v1/vnfds', { method: 'POST', rawBody: body, contentType: textFormat(body) === 'json' ? 'application/json' : 'application/yaml' }),
    onSuccess: (summary) => {
      onDone(summary);
      setText('');
      setSent(null);
      void client.invalidateQueries({ queryKey: ['vnfds'] });
    },
  });
  const readFile = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    if (file) setText(await file.text());
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setSent(text);
    upload.mutate(text);
  };
  const error = upload.error;
  const problems = error instanceof ApiError ? error.errors : [];
  return (
    <form className="panel" onSubmit={submit} aria-label="Upload a descriptor" data-testid="vnfd-upload-form">
      <h3>Upload a VNFD</h3>
      <div className="row">
        <label htmlFor="vnfd-file">File (YAML or JSON)</label>
        <input id="vnfd-file" data-testid="vnfd-file" type="file" accept=".yaml,.yml,.json,application/json,application/yaml,text/yaml" onChange={(e) => void readFile(e)} />
      </div>
      <label htmlFor="vnfd-text">Or paste it</label>
      <textarea id="vnfd-text" data-testid="vnfd-text" rows={12} spellCheck={false} value={text} onChange={(e) => setText(e.target.value)} placeholder={'vnfd:\n  id: my-vnf\n  …'} />
      <div className="row">
        <button type="submit" data-testid="vnfd-submit" disabled={!text.trim() || upload.isPending}>
          {upload.isPending ? 'Uploading…' : 'Upload'}
        </button>
        <span className="muted">Sent as {textFormat(text) === 'json' ? 'JSON' : 'YAML'}</span>
      </div>
      {error && (
        <div className="upload-errors" data-testid="vnfd-errors">
          <p className="state error" role="alert">
            {errorText(error)}
            {problems.length > 0 && ` — ${problems.length} problem${problems.length > 1 ? 's' : ''}, marked at their lines below`}
          </p>
          {sent !== null && problems.length > 0 && <NumberedText text={sent} problems={problems} testId="vnfd-error-text" />}
        </div>
      )}
    </form>
  );
}

function DescriptorDetail({ id }: { id: string }) {
  const detail = useQuery({ queryKey: ['vnfd', id], queryFn: () => api<VnfdDetail>(`/api/v1/vnfds/${id}`) });
  if (detail.isPending) return <Loading what="the descriptor" />;
  if (detail.isError) return <ErrorBox error={detail.error} title="The descriptor could not be read" onRetry={() => void detail.refetch()} />;
  const d = detail.data;
  return (
    <section className="panel" aria-label={`Descriptor ${d.productName}`} data-testid="vnfd-detail">
      <header className="row">
        <h3>
          {d.productName} {d.version}
        </h3>
        <StateBadge state={d.operationalState} />
        <StateBadge state={d.usageState} />
        <button type="button" onClick={() => navigate('descriptors')}>
          Close
        </button>
      </header>
      <p className="muted">
        {d.description ?? ''} Format {d.document.format}; updated {when(d.updatedAt)}.
      </p>
      <NumberedText text={d.document.text} testId="vnfd-document" />
    </section>
  );
}
