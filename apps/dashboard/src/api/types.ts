// The API's shapes the dashboard uses, by name. INTERIM: until src/api/schema.ts (generated from
// the OpenAPI document by `npm run api:types`) lands, these mirror apps/api/src/**/*.views.ts;
// then each becomes an alias of the generated schema and nothing else changes.

export type Role = 'platform-admin' | 'admin' | 'operator' | 'viewer';

export interface SessionView {
  tokenId: string;
  tokenName: string;
  role: Role;
  tenantId: string;
  tenantName: string;
  expiresAt?: string | null;
}

export interface Page<T> {
  items: T[];
  total: number;
  limit: number;
  offset: number;
}

export interface CellCapacityView {
  cellId: number;
  freeCpus: number;
  freeMemoryMb: number;
  freeHugepages: Record<string, number>;
  freePmdQueues: number;
  freeVfs: Record<string, number>;
  totalCpus?: number;
  totalMemoryMb?: number;
  totalHugepages?: Record<string, number>;
  totalPmdQueues?: number;
  totalVfs?: Record<string, number>;
}

export interface HostSummaryView {
  id: string;
  name: string;
  state: 'UP' | 'DOWN' | 'DISABLED';
  capacity: CellCapacityView[];
  virtType?: string;
  lastDiscoveredAt?: string | null;
  lastDiscoveryError?: string | null;
}

export interface VnfdSummary {
  id: string;
  vnfdId: string;
  version: string;
  provider?: string | null;
  productName: string;
  softwareVersion?: string | null;
  description?: string | null;
  operationalState: 'ENABLED' | 'DISABLED';
  createdAt: string;
  updatedAt: string;
}

export interface VnfdDetail extends VnfdSummary {
  usageState: 'IN_USE' | 'NOT_IN_USE';
  model: Record<string, unknown>;
  document: { format: string; text: string };
}

export interface VnfcView {
  id: string;
  vduId: string;
  state: string;
  hostId?: string | null;
  hostName?: string | null;
  numaCell?: number | null;
  domainName?: string | null;
  powerState?: string | null;
  powerStateReason?: string | null;
  powerStateAt?: string | null;
  ports: Record<string, unknown>[];
}

export interface VnfInstanceView {
  id: string;
  vnfInstanceName?: string | null;
  vnfInstanceDescription?: string | null;
  vnfdId: string;
  vnfdVersion: string;
  vnfProvider?: string | null;
  vnfProductName: string;
  instantiationState: 'NOT_INSTANTIATED' | 'INSTANTIATED';
  instantiatedVnfInfo?: {
    flavourId?: string | null;
    instantiationLevelId?: string | null;
    extCpBindings: Record<string, unknown>;
    scaleStatus: { aspectId: string; scaleLevel: number }[];
    vnfcResourceInfo: VnfcView[];
  };
  createdAt: string;
  updatedAt: string;
  _links: Record<string, { href: string }>;
}

export interface LcmOpOccView {
  id: string;
  operationState: string;
  stateEnteredTime: string;
  startTime: string;
  vnfInstanceId: string;
  operation: string;
  isAutomaticInvocation: boolean;
  operationParams: Record<string, unknown>;
  isCancelPending: boolean;
  error?: Record<string, unknown> | null;
  currentStep?: string | null;
  timings: { steps?: Record<string, number>; libvirtMs?: number; ovsdbMs?: number };
  _links: Record<string, { href: string }>;
}

export interface ChainPoint {
  host?: string;
  bridge?: string;
  vlan?: number;
  port?: string;
  vnfInstanceId?: string;
  cpdId?: string;
}

export interface PortRange {
  from: number;
  to: number;
}

export interface Classifier {
  ethertype: 'ipv4' | 'ipv6';
  sourcePrefix?: string;
  destinationPrefix?: string;
  protocol?: number;
  sourcePorts?: PortRange;
  destinationPorts?: PortRange;
}

export interface HopInstance {
  vnfInstanceId: string;
  ingressCpd: string;
  egressCpd: string;
}

export interface Hop {
  instances: HopInstance[];
}

export interface HopInstanceCount {
  vnfInstanceId: string;
  live: boolean;
  packets: number;
  bytes: number;
}

export interface ChainCounters {
  ingress: { packets: number; bytes: number };
  hops: { instances: HopInstanceCount[] }[];
  at: string;
}

export interface ServiceChainView {
  id: string;
  name: string;
  description?: string | null;
  state: string;
  stateReason?: string | null;
  ingress: ChainPoint;
  egress: ChainPoint;
  classifier: Classifier;
  hops: Hop[];
  symmetric: boolean;
  failMode: string;
  priority: number;
  cookie: string;
  generation: number;
  counters?: ChainCounters | null;
  repairs: number;
  lastRepairAt?: string | null;
  lastOperation?: { id: string; operation: string; operationState: string } | null;
  createdAt: string;
  updatedAt: string;
}

export interface CreateChainRequest {
  name: string;
  description?: string;
  ingress: ChainPoint;
  egress: ChainPoint;
  classifier: Classifier;
  hops: Hop[];
  symmetric?: boolean;
  failMode?: 'closed' | 'open';
  priority?: number;
}

export type UpdateChainRequest = Partial<Omit<CreateChainRequest, 'name' | 'ingress' | 'egress'>>;

export interface ChainOpOccView {
  id: string;
  chainId: string;
  chainName: string;
  operation: string;
  operationState: string;
  isAutomaticInvocation: boolean;
  operationParams: Record<string, unknown>;
  error?: Record<string, unknown> | null;
  startTime: string;
  stateEnteredTime: string;
}

export interface ChainTraceRequest {
  ethertype: 'ipv4' | 'ipv6';
  source: string;
  destination: string;
  protocol: number;
  sourcePort?: number;
  destinationPort?: number;
}

export type ChainTraceHop = { hop: number; vnfInstanceId: string; ofport: number } | { egress: true; ofport: number };

export interface ChainTraceResult {
  chainId: string;
  generation: number;
  cookie: string;
  entersChain: boolean;
  hops: ChainTraceHop[];
  dropped: boolean;
  dropReason?: string;
  output: number[];
  rules: { bridge: string; table: number; cookie: string; priority: number; match: string; actions: string[]; ofChain: boolean }[];
}

export interface InstantiateVnfRequest {
  flavourId: string;
  instantiationLevelId?: string;
  extCpBindings: Record<string, { bridge?: string; physnet?: string; vlan?: number }>;
}
