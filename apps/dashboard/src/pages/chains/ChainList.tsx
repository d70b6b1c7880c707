import { useQuery } from '@tanstack/react-query';
import { api } from '../../api/client.js';
import type { ServiceChainPage } from '../../api/types.js';
import { href } from '../../router.js';
import { Empty, ErrorBox, Loading, StateBadge, useCanChange, when } from '../../ui.js';

/** The tenant's chains, the selected one marked; New chain for those who may change. */
export function ChainList({ selected }: { selected?: string }) {
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
