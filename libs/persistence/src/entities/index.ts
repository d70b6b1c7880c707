import { ApiTokenEntity } from './api-token.entity.js';
import { AuditEventEntity } from './audit-event.entity.js';
import { ChainOpOccEntity } from './chain-op-occ.entity.js';
import { ChainHopEntity, ServiceChainEntity } from './service-chain.entity.js';
import { HostEntity } from './host.entity.js';
import { HostCpuEntity, HugepagePoolEntity, NumaCellEntity, PmdCoreEntity } from './host-topology.entity.js';
import { LcmOpOccEntity } from './lcm-op-occ.entity.js';
import { ResourceClaimEntity } from './resource-claim.entity.js';
import { SriovPfEntity, SriovVfEntity } from './sriov.entity.js';
import { TenantEntity } from './tenant.entity.js';
import { VnfDescriptorEntity } from './vnf-descriptor.entity.js';
import { VduInstanceEntity, VnfInstanceEntity } from './vnf-instance.entity.js';

export * from './api-token.entity.js';
export * from './audit-event.entity.js';
export * from './chain-op-occ.entity.js';
export * from './service-chain.entity.js';
export * from './host.entity.js';
export * from './host-topology.entity.js';
export * from './lcm-op-occ.entity.js';
export * from './resource-claim.entity.js';
export * from './sriov.entity.js';
export * from './tenant.entity.js';
export * from './vnf-descriptor.entity.js';
export * from './vnf-instance.entity.js';

export const ENTITIES = [
  TenantEntity,
  VnfDescriptorEntity,
  HostEntity,
  NumaCellEntity,
  HostCpuEntity,
  HugepagePoolEntity,
  PmdCoreEntity,
  SriovPfEntity,
  SriovVfEntity,
  VnfInstanceEntity,
  VduInstanceEntity,
  ResourceClaimEntity,
  ServiceChainEntity,
  ChainHopEntity,
  ChainOpOccEntity,
  LcmOpOccEntity,
  ApiTokenEntity,
  AuditEventEntity,
];
