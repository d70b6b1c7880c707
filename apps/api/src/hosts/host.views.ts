import { HostReachability, type HostEntity } from '../../../../libs/persistence/src/index.js';
import type { CellCapacity } from '../../../../libs/placement-store/src/index.js';

type HostState = 'UP' | 'DOWN' | 'DISABLED';

/** What users see: DISABLED by an operator wins over what discovery found. */
const hostState = (host: HostEntity): HostState =>
  !host.enabled ? 'DISABLED' : host.reachability === HostReachability.UP ? 'UP' : 'DOWN';

export const hostPath = (id: string): string => `/api/v1/hosts/${id}`;

/** The full record, for admins. */
export function toHostView(host: HostEntity, capacity: CellCapacity[] = []) {
  return {
    id: host.id,
    name: host.name,
    state: hostState(host),
    libvirtUri: host.libvirtUri,
    ovsdbRemote: host.ovsdbRemote,
    physnets: host.physnets,
    reservedCpus: host.reservedCpus,
    pmdQueueCapacity: host.pmdQueueCapacity,
    vhostSocketDir: host.vhostSocketDir,
    imageDir: host.imageDir,
    disabledCpuFeatures: host.disabledCpuFeatures,
    virtType: host.virtType,
    dpdkInitialized: host.dpdkInitialized,
    netdevBridges: host.netdevBridges,
    /** Can vhost-user ports carry packets here (OvS-DPDK able to make packet-buffer pools)? null: not checked. */
    vhostUser: { ready: host.vhostUserReady, reason: host.vhostUserProblem },
    lastDiscoveredAt: host.lastDiscoveredAt?.toISOString() ?? null,
    lastDiscoveryError: host.lastDiscoveryError,
    capacity,
    createdAt: host.createdAt.toISOString(),
    updatedAt: host.updatedAt.toISOString(),
    _links: { self: { href: hostPath(host.id) } },
  };
}

/** What tenants may see: no URIs, addresses or errors; the state and free capacity in counts. */
export function toHostSummary(host: HostEntity, capacity: CellCapacity[] = []) {
  return { id: host.id, name: host.name, state: hostState(host), capacity };
}
