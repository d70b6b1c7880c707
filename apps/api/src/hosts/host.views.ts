import { ApiExtraModels, ApiProperty, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';
import { HostReachability, VIRT_TYPES, type HostEntity, type VirtType } from '#vim/persistence';
import type { CellCapacity } from '#vim/placement-store';

type HostState = 'UP' | 'DOWN' | 'DISABLED';

/** What users see: DISABLED by an operator wins over what discovery found. */
const hostState = (host: HostEntity): HostState =>
  !host.enabled ? 'DISABLED' : host.reachability === HostReachability.UP ? 'UP' : 'DOWN';

export const hostPath = (id: string): string => `/api/v1/hosts/${id}`;

// Schemas for the OpenAPI document; the functions below build exactly these shapes.

export class CellCapacityView implements CellCapacity {
  @ApiProperty() cellId: number;
  @ApiProperty({ type: 'integer', description: 'dedicated CPUs not claimed' }) freeCpus: number;
  @ApiProperty({ type: 'integer', description: "dedicated CPUs in all: the cell's CPUs less the host's reserved CPUs and its PMD cores" }) totalCpus: number;
  @ApiProperty({ type: 'integer', description: 'small-page memory not claimed, in MiB' }) freeMemoryMb: number;
  @ApiProperty({ type: 'integer', description: "small-page memory in all, in MiB: the cell's memory less its hugepage pools" }) totalMemoryMb: number;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'integer' }, example: { '2048KiB': 512 }, description: 'free hugepages per page size' })
  freeHugepages: Record<string, number>;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'integer' }, example: { '2048KiB': 1024 }, description: 'hugepages per page size in all (same keys as freeHugepages)' })
  totalHugepages: Record<string, number>;
  @ApiProperty({ type: 'integer', description: 'PMD queue slots not claimed' }) freePmdQueues: number;
  @ApiProperty({ type: 'integer', description: "PMD queue slots in all: the cell's PMD cores times the host's pmdQueueCapacity" }) totalPmdQueues: number;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'integer' }, example: { 'sriov-a': 8 }, description: 'free VFs per physnet (0 when all are claimed)' })
  freeVfs: Record<string, number>;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'integer' }, example: { 'sriov-a': 16 }, description: 'VFs per physnet in all (same keys as freeVfs)' })
  totalVfs: Record<string, number>;
}

export class VhostUserReadinessView {
  @ApiPropertyOptional({
    type: Boolean,
    nullable: true,
    description:
      'whether vhost-user ports can carry packets: OvS-DPDK initialised and able to create packet-buffer pools (mempools); ' +
      'null: not checked (ovs-vswitchd on another machine than the worker, or never discovered); placement treats null as ready',
  })
  ready: boolean | null;
  @ApiPropertyOptional({
    type: String,
    nullable: true,
    example: 'ovs-vswitchd (pid 4242) has DPDK loaded without its mempool ring driver (librte_mempool_ring), … install librte-mempool-ring23, then restart ovs-vswitchd',
    description: 'what discovery found when ready is false or null',
  })
  reason: string | null;
}

/** What tenants see of a host. */
export class HostSummaryView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: ['UP', 'DOWN', 'DISABLED'] }) state: HostState;
  @ApiProperty({ type: [CellCapacityView] }) capacity: CellCapacity[];
}

/** The full record, for platform administrators. */
export class HostView extends HostSummaryView {
  @ApiProperty() libvirtUri: string;
  @ApiProperty() ovsdbRemote: string;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' } }) physnets: Record<string, string>;
  @ApiProperty({ type: [Number] }) reservedCpus: number[];
  @ApiProperty() pmdQueueCapacity: number;
  @ApiProperty() vhostSocketDir: string;
  @ApiProperty() imageDir: string;
  @ApiProperty({ type: [String] }) disabledCpuFeatures: string[];
  @ApiProperty({ enum: VIRT_TYPES }) virtType: VirtType;
  @ApiPropertyOptional({ type: Boolean, nullable: true }) dpdkInitialized: boolean | null;
  @ApiProperty({ type: [String] }) netdevBridges: string[];
  @ApiProperty({ type: VhostUserReadinessView }) vhostUser: VhostUserReadinessView;
  @ApiPropertyOptional({ type: String, nullable: true }) lastDiscoveredAt: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) lastDiscoveryError: string | null;
  @ApiProperty() createdAt: string;
  @ApiProperty() updatedAt: string;
  @ApiProperty({ example: { self: { href: '/api/v1/hosts/…' } } }) _links: { self: { href: string } };
}

/** A host as the caller's role sees it: HostView for platform administrators, HostSummaryView for other roles. */
export const HOST_FOR_ROLE_SCHEMA = { anyOf: [{ $ref: getSchemaPath(HostView) }, { $ref: getSchemaPath(HostSummaryView) }] };

@ApiExtraModels(HostSummaryView)
export class HostPage {
  @ApiProperty({
    type: 'array',
    items: HOST_FOR_ROLE_SCHEMA,
    description: 'HostView for platform administrators, HostSummaryView (id, name, state, capacity) for other roles',
  })
  items: (HostView | HostSummaryView)[];
  @ApiProperty() total: number;
  @ApiProperty() limit: number;
  @ApiProperty() offset: number;
}

/** The full record, for admins. */
export function toHostView(host: HostEntity, capacity: CellCapacity[] = []): HostView {
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
export function toHostSummary(host: HostEntity, capacity: CellCapacity[] = []): HostSummaryView {
  return { id: host.id, name: host.name, state: hostState(host), capacity };
}
