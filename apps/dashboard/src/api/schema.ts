/*
 * Generated from the api's OpenAPI document (/api/docs-json) by apps/api/src/cli/openapi-types.ts. Do not edit.
 * Regenerate after changing the API: npm run build && npm run api:types
 * test/e2e/openapi-types.e2e-spec.ts fails when this file differs from what the live document gives.
 */

export type AffinityGroupDto = {
  /** Group id, referenced from vdu-profiles */
  id: string;
  /** affinity: the members share a host; anti-affinity: each on its own host (case-insensitive) */
  type: "affinity" | "anti-affinity";
  /** Only nfvi-node (one host, also when absent) is supported: this VIM is one site (case-insensitive) */
  scope?: "nfvi-node" | "zone" | "zone-group" | "nfvi-pop" | "container-namespace";
};

export type AffinityGroupRefDto = {
  /** Id of an affinity-or-anti-affinity-group of the df */
  id: string;
};

export type AspectDeltaDetailsDto = {
  /** Scaling deltas */
  deltas?: ScalingDeltaDto[];
  /** Delta id per scaling step (non-uniform aspects) */
  "step-deltas"?: string[];
};

export type CellCapacityView = {
  cellId: number;
  /** dedicated CPUs not claimed */
  freeCpus: number;
  /** dedicated CPUs in all: the cell's CPUs less the host's reserved CPUs and its PMD cores */
  totalCpus: number;
  /** small-page memory not claimed, in MiB */
  freeMemoryMb: number;
  /** small-page memory in all, in MiB: the cell's memory less its hugepage pools */
  totalMemoryMb: number;
  /** free hugepages per page size */
  freeHugepages: Record<string, number>;
  /** hugepages per page size in all (same keys as freeHugepages) */
  totalHugepages: Record<string, number>;
  /** PMD queue slots not claimed */
  freePmdQueues: number;
  /** PMD queue slots in all: the cell's PMD cores times the host's pmdQueueCapacity */
  totalPmdQueues: number;
  /** free VFs per physnet (0 when all are claimed) */
  freeVfs: Record<string, number>;
  /** VFs per physnet in all (same keys as freeVfs) */
  totalVfs: Record<string, number>;
};

export type ChainCountersView = {
  /** classified at the ingress */
  ingress: TrafficCountView;
  /** per hop, per instance: what left the instance by its egress port and matched the chain */
  hops: HopCountView[];
  /** when the worker read the counters */
  at: string;
};

export type ChainOpOccPage = {
  items: ChainOpOccView[];
  total: number;
  limit: number;
  offset: number;
};

export type ChainOpOccView = {
  id: string;
  chainId: string;
  chainName: string;
  operation: "CREATE" | "UPDATE" | "DELETE" | "REPAIR";
  operationState: "STARTING" | "PROCESSING" | "COMPLETED" | "FAILED";
  /** REPAIR operations are the worker's own */
  isAutomaticInvocation: boolean;
  operationParams: Record<string, unknown>;
  /** RFC 7807 problem when FAILED */
  error?: Record<string, unknown> | null;
  startTime: string;
  stateEnteredTime: string;
  /** self and chain */
  _links: Record<string, unknown>;
};

export type ChainPointDto = {
  /** network: the host's registered name */
  host?: string;
  /** network: the OvS bridge */
  bridge?: string;
  /** network: the VLAN */
  vlan?: number;
  /** network: the OvS port (interface name) where its traffic meets the bridge */
  port?: string;
  /** connection point: the VNF instance */
  vnfInstanceId?: string;
  /** connection point: its ext-cpd id */
  cpdId?: string;
};

export type ChainTraceHopView = {
  /** the hop index, for a hop instance */
  hop?: number;
  vnfInstanceId?: string;
  /** true for the chain's egress */
  egress?: boolean;
  /** the OpenFlow port it is sent to */
  ofport: number;
};

export type ChainTraceRequestDto = {
  ethertype: "ipv4" | "ipv6";
  /** an address of the ethertype's family */
  source: string;
  destination: string;
  protocol: number;
  /** TCP, UDP and SCTP only */
  sourcePort?: number;
  /** TCP, UDP and SCTP only */
  destinationPort?: number;
};

export type ChainTraceRuleView = {
  bridge: string;
  table: number;
  cookie: string;
  priority: number;
  match: string;
  actions: string[];
  /** the rule is the chain's (its cookie's upper 48 bits) */
  ofChain: boolean;
};

export type ChainTraceSegmentView = {
  /** -1: from the ingress; N: from the egress port of hop N */
  from: number;
  bridge: string;
  inPort: number;
  matchedChain: boolean;
  reached: ChainTraceHopView[];
  dropped: boolean;
  dropReason?: string;
  output: number[];
  rules: ChainTraceRuleView[];
};

export type ChainTraceView = {
  chainId: string;
  generation: number;
  /** the installed generation's flow cookie */
  cookie: string;
  /** a rule of the chain matched where the packet entered */
  entersChain: boolean;
  /** in order, every place the chain sends the packet */
  hops: ChainTraceHopView[];
  dropped: boolean;
  dropReason?: string;
  /** the OpenFlow ports the packet leaves by at the end (empty when dropped or forwarded by NORMAL) */
  output: number[];
  rules: ChainTraceRuleView[];
  segments: ChainTraceSegmentView[];
};

export type ChainsFromNsdRequest = {
  /** one element of `nsd:nsd[]` (SOL006), with `vnffgd[].nfpd[]` as OSM writes it */
  nsd: Record<string, unknown>;
  /** the NSD's vnf-profile ids (constituent-base-element-id) to VNF instance ids */
  instances: Record<string, string>;
  ingress: ChainPointDto;
  egress: ChainPointDto;
  symmetric?: boolean;
  failMode?: "closed" | "open";
};

export type ClassifierDto = {
  ethertype: "ipv4" | "ipv6";
  /** CIDR of the ethertype's family, host bits zero */
  sourcePrefix?: string;
  destinationPrefix?: string;
  /** IP protocol (IPv6 next header): 6 TCP, 17 UDP, 132 SCTP carry ports */
  protocol?: number;
  sourcePorts?: PortRangeDto;
  destinationPorts?: PortRangeDto;
};

export type CreateChainRequest = {
  description?: string;
  /** the reverse traffic crosses the hops backwards */
  symmetric?: boolean;
  /** a hop without a live instance: closed drops the chain's traffic, open lets it skip the hop */
  failMode?: "closed" | "open";
  /** decides between overlapping classifiers on one ingress */
  priority?: number;
  /** unique in the tenant */
  name: string;
  ingress: ChainPointDto;
  egress: ChainPointDto;
  classifier: ClassifierDto;
  /** in order, 1..128 */
  hops: HopDto[];
};

export type CreateHostRequest = {
  physnets?: Record<string, unknown>;
  /** CPU ids kept for the host OS */
  reservedCpus?: number[];
  /** vhost-user rx queues one PMD core serves */
  pmdQueueCapacity?: number;
  /** Folder of the VMs' vhost-user sockets on the host */
  vhostSocketDir?: string;
  /** The host's image folder: base images by name, VM overlays under instances/ */
  imageDir?: string;
  /** CPU features (libvirt's names) taken out of KVM guests' host-passthrough CPU, for a KVM that offers a feature it cannot deliver */
  disabledCpuFeatures?: string[];
  /** libvirt domain type of the host's VMs, as Nova's [libvirt] virt_type: auto takes kvm where libvirt offers it, else qemu (TCG); qemu for a KVM that libvirt offers but that cannot run guests (a nested KVM that halts them in the firmware) */
  virtType?: "auto" | "kvm" | "qemu";
  name: string;
  libvirtUri: string;
  ovsdbRemote: string;
};

export type CreateTenantRequest = {
  name: string;
};

export type CreateTokenRequest = {
  tenantId: string;
  /** what the token is for */
  name: string;
  role: "platform-admin" | "admin" | "operator" | "viewer";
  expiresAt?: string;
};

export type CreateVnfInstanceRequest = {
  /** id of an onboarded, ENABLED VNFD of the tenant (as in /api/v1/vnfds/{id}) */
  vnfdId: string;
  vnfInstanceName?: string;
  vnfInstanceDescription?: string;
};

export type DfDto = {
  /** Deployment flavour id */
  id: string;
  /** Description */
  description?: string;
  /** Instance bounds per vdu */
  "vdu-profile"?: VduProfileDto[];
  /** Instantiation levels */
  "instantiation-level"?: InstantiationLevelDto[];
  /** Level used when instantiate names none */
  "default-instantiation-level-id"?: string;
  /** Scaling aspects */
  "scaling-aspect"?: ScalingAspectDto[];
  /** LCM operation settings, OSM day-1/2 configuration. Kept as submitted. */
  "lcm-operations-configuration"?: Record<string, unknown>;
  /** Virtual link profiles. Kept as submitted. */
  "virtual-link-profile"?: unknown[];
  /** Supported VNF interfaces. Kept as submitted. */
  "supported-vnf-interfaces"?: unknown[];
  /** Supported LCM operations. Kept as submitted. */
  "supported-operation"?: unknown[];
  /** VNF-level monitoring parameters. Kept as submitted. */
  "monitoring-parameter"?: unknown[];
  /** Affinity and anti-affinity groups of VMs (scope nfvi-node) */
  "affinity-or-anti-affinity-group"?: AffinityGroupDto[];
  /** Placement groups. Kept as submitted. */
  "placement-group"?: unknown[];
  /** OSM: KDU resource profiles. Kept as submitted. */
  "kdu-resource-profile"?: unknown[];
  /** OSM: auto-healing aspects. Kept as submitted. */
  "healing-aspect"?: unknown[];
};

export type ExtCpBindingDto = {
  /** OvS bridge, for VIRTIO/PARAVIRT connection points */
  bridge?: string;
  /** physnet label, for SR-IOV/PCI-PASSTHROUGH connection points */
  physnet?: string;
  vlan?: number;
};

export type ExtCpdDto = {
  /** Connection point id */
  id: string;
  /** Description */
  description?: string;
  /** Layer protocols, e.g. ipv4, ethernet. Kept as submitted. */
  "layer-protocol"?: unknown[];
  /** Role of the connection point */
  role?: string;
  /** Protocol data (address data per layer protocol). Kept as submitted. */
  protocol?: unknown[];
  /** Whether the connection point carries a trunk (true/false, or the strings "true"/"false") */
  "trunk-mode"?: boolean;
  /** Security group rules applied. Kept as submitted. */
  "security-group-rule-id"?: unknown[];
  /** OSM: port security (true/false, or the strings "true"/"false") */
  "port-security-enabled"?: boolean;
  /** OSM: how port security is disabled, e.g. allow-address-pairs */
  "port-security-disable-strategy"?: string;
  /** NIC requirements */
  "virtual-network-interface-requirement"?: VirtualNetworkInterfaceRequirementDto[];
  /** SOL006 NIC I/O requirements. Kept as submitted. */
  "nicio-requirements"?: Record<string, unknown>;
  /** The VDU connection point exposed */
  "int-cpd"?: ExtCpdIntCpdDto;
  /** Internal virtual link exposed (instead of int-cpd) */
  "int-virtual-link-desc"?: string;
  /** OSM: KDU cluster network */
  "k8s-cluster-net"?: string;
};

export type ExtCpdIntCpdDto = {
  /** Id of the vdu */
  "vdu-id": string;
  /** Id of the int-cpd within that vdu */
  cpd: string;
};

export type HealVnfRequest = {
  /** VMs of this instance to heal; all of them when left out */
  vduInstanceIds?: string[];
  /** rebuild on the same host, or wherever placement finds room */
  target?: "same-host" | "any-host";
  cause?: string;
};

export type HopCountView = {
  instances: HopInstanceCountView[];
};

export type HopDto = {
  /** one or more instances; flows are hashed over the live ones on the 5-tuple */
  instances: HopInstanceDto[];
};

export type HopInstanceCountView = {
  packets: number;
  bytes: number;
  vnfInstanceId: string;
  /** traffic may be sent to it (its VMs run and its ports are up) */
  live: boolean;
};

export type HopInstanceDto = {
  vnfInstanceId: string;
  /** the ext-cpd facing the ingress side */
  ingressCpd: string;
  /** the ext-cpd facing the egress side (may be the same one-armed port) */
  egressCpd: string;
};

export type HostPage = {
  /** HostView for platform administrators, HostSummaryView (id, name, state, capacity) for other roles */
  items: (HostView | HostSummaryView)[];
  total: number;
  limit: number;
  offset: number;
};

export type HostSummaryView = {
  id: string;
  name: string;
  state: "UP" | "DOWN" | "DISABLED";
  capacity: CellCapacityView[];
};

export type HostView = {
  id: string;
  name: string;
  state: "UP" | "DOWN" | "DISABLED";
  capacity: CellCapacityView[];
  libvirtUri: string;
  ovsdbRemote: string;
  physnets: Record<string, string>;
  reservedCpus: number[];
  pmdQueueCapacity: number;
  vhostSocketDir: string;
  imageDir: string;
  disabledCpuFeatures: string[];
  virtType: "auto" | "kvm" | "qemu";
  dpdkInitialized?: boolean | null;
  netdevBridges: string[];
  vhostUser: VhostUserReadinessView;
  lastDiscoveredAt?: string | null;
  lastDiscoveryError?: string | null;
  createdAt: string;
  updatedAt: string;
  _links: Record<string, unknown>;
};

export type InstalledRulesView = {
  host: string;
  bridge: string;
  generation: number;
};

export type InstantiateVnfRequest = {
  /** deployment flavour (df) of the VNFD */
  flavourId: string;
  /** the flavour's instantiation level; its default when left out */
  instantiationLevelId?: string;
  /** one binding per ext-cpd of the VNFD, by ext-cpd id */
  extCpBindings: Record<string, ExtCpBindingDto>;
};

export type InstantiatedVnfInfoView = {
  flavourId?: string | null;
  instantiationLevelId?: string | null;
  /** ext-cpd id to { bridge | physnet, vlan? } */
  extCpBindings: Record<string, unknown>;
  scaleStatus: string[];
  vnfcResourceInfo: VnfcView[];
};

export type InstantiationLevelDto = {
  /** Instantiation level id */
  id: string;
  /** Description */
  description?: string;
  /** Instances per vdu */
  "vdu-level"?: VduLevelDto[];
  /** Scale level per aspect */
  "scale-info"?: ScaleInfoDto[];
  /** Bit rate per virtual link. Kept as submitted. */
  "virtual-link-bit-rate-level"?: unknown[];
};

export type IntCpdDto = {
  /** Connection point id */
  id: string;
  /** Description */
  description?: string;
  /** Layer protocols, e.g. ipv4, ethernet. Kept as submitted. */
  "layer-protocol"?: unknown[];
  /** Role of the connection point */
  role?: string;
  /** Protocol data (address data per layer protocol). Kept as submitted. */
  protocol?: unknown[];
  /** Whether the connection point carries a trunk (true/false, or the strings "true"/"false") */
  "trunk-mode"?: boolean;
  /** Security group rules applied. Kept as submitted. */
  "security-group-rule-id"?: unknown[];
  /** OSM: port security (true/false, or the strings "true"/"false") */
  "port-security-enabled"?: boolean;
  /** OSM: how port security is disabled, e.g. allow-address-pairs */
  "port-security-disable-strategy"?: string;
  /** NIC requirements */
  "virtual-network-interface-requirement"?: VirtualNetworkInterfaceRequirementDto[];
  /** SOL006 NIC I/O requirements. Kept as submitted. */
  "nicio-requirements"?: Record<string, unknown>;
  /** Internal virtual link this connection point attaches to */
  "int-virtual-link-desc"?: string;
  /** Bitrate requirement. A number or a numeric string ("2", "2.0"). */
  "bitrate-requirement"?: number | string;
  /** Order of the interface. A number or a numeric string ("2", "2.0"). */
  order?: number | string;
};

export type IntVirtualLinkDescDto = {
  /** Identifier, referenced by int-cpd and ext-cpd */
  id: string;
  /** Description */
  description?: string;
  /** Virtual link flavours (QoS). Kept as submitted. */
  flavour?: unknown[];
  /** Layer protocols and flow pattern. Kept as submitted. */
  "connectivity-type"?: Record<string, unknown>;
  /** Test access facilities. Kept as submitted. */
  "test-access"?: Record<string, unknown>;
  /** Monitoring parameters. Kept as submitted. */
  "monitoring-parameter"?: unknown[];
  /** SOL006 NFVI maintenance info. Kept as submitted. */
  "nfvi-maintenance-info"?: Record<string, unknown>;
};

export type LcmOpOccPage = {
  items: LcmOpOccView[];
  total: number;
  limit: number;
  offset: number;
};

export type LcmOpOccView = {
  id: string;
  operationState: "STARTING" | "PROCESSING" | "COMPLETED" | "FAILED_TEMP" | "ROLLING_BACK" | "ROLLED_BACK" | "FAILED";
  stateEnteredTime: string;
  startTime: string;
  vnfInstanceId: string;
  operation: "INSTANTIATE" | "SCALE" | "SCALE_TO_LEVEL" | "HEAL" | "TERMINATE";
  isAutomaticInvocation: boolean;
  /** the request that started the operation */
  operationParams: Record<string, unknown>;
  isCancelPending: boolean;
  /** RFC 7807 problem, when the operation failed */
  error?: Record<string, unknown> | null;
  currentStep?: string | null;
  timings: Record<string, unknown>;
  /** self, vnfInstance, retry/rollback/fail while FAILED_TEMP, cancel while it runs */
  _links: Record<string, unknown>;
};

export type LocalAffinityRuleDto = {
  /** affinity: the VMs of the vdu share a host; anti-affinity: each on its own host (case-insensitive) */
  "affinity-type": "affinity" | "anti-affinity";
  /** Only nfvi-node (one host) is supported: this VIM is one site (case-insensitive) */
  "affinity-scope": "nfvi-node" | "zone" | "zone-group" | "nfvi-pop" | "container-namespace";
};

export type NumaNodeDto = {
  /** Guest NUMA node id. A number or a numeric string ("2", "2.0"). */
  id: number | string;
  /** vCPUs placed on this node ({id}). Kept as submitted. */
  vcpu?: unknown[];
  /** Memory on this node, in MB. A number or a numeric string ("2", "2.0"). */
  "memory-mb"?: number | string;
  /** Dedicated cores on this node. A number or a numeric string ("2", "2.0"). */
  "num-cores"?: number | string;
  /** OSM paired threads (num-paired-threads, paired-thread-ids). Kept as submitted. */
  "paired-threads"?: Record<string, unknown>;
  /** Dedicated threads on this node. A number or a numeric string ("2", "2.0"). */
  "num-threads"?: number | string;
};

export type NumaNodePolicyDto = {
  /** Number of guest NUMA nodes. A number or a numeric string ("2", "2.0"). */
  "node-cnt"?: number | string;
  /** Whether memory must (STRICT) or should (PREFERRED) come from the node (case-insensitive) */
  "mem-policy"?: "STRICT" | "PREFERRED";
  /** Per-node requirements */
  node?: NumaNodeDto[];
};

export type Object = Record<string, unknown>;

export type OperationRefView = {
  id: string;
  operation: "CREATE" | "UPDATE" | "DELETE" | "REPAIR";
  operationState: "STARTING" | "PROCESSING" | "COMPLETED" | "FAILED";
};

export type PlacementRequestDto = {
  vcpus: number;
  cpuPolicy: "dedicated" | "shared";
  memoryMb: number;
  /** page size in KiB, or small/large/any */
  pageSize: "small" | "large" | "any" | 2048 | 1048576;
  /** vhost-user ports (each takes a PMD rx-queue slot) */
  virtioPorts: number;
  sriovPorts: SriovPortDto[];
  vfNumaAffinity: "required" | "preferred";
  /** hard: no host that holds a member of any of these groups */
  antiAffinityGroups?: string[];
  /** hard: the host of the members of these groups, where they have any */
  affinityGroups?: string[];
  /** soft: hosts without a member of this group are preferred */
  spreadGroup?: string;
};

export type PortRangeDto = {
  from: number;
  to: number;
};

export type ScaleInfoDto = {
  /** Id of the scaling-aspect */
  "scaling-aspect-id": string;
  /** Scale level of the aspect at this instantiation level. A number or a numeric string ("2", "2.0"). */
  "scale-level"?: number | string;
};

export type ScalingAspectDto = {
  /** Aspect id */
  id: string;
  /** Aspect name */
  name?: string;
  /** Description */
  description?: string;
  /** Highest scale level (default 1). A number or a numeric string ("2", "2.0"). */
  "max-scale-level"?: number | string;
  /** What one step adds */
  "aspect-delta-details"?: AspectDeltaDetailsDto;
  /** OSM: auto-scaling policies. Kept as submitted. */
  "scaling-policy"?: unknown[];
  /** OSM: primitives run on scaling. Kept as submitted. */
  "scaling-config-action"?: unknown[];
};

export type ScalingDeltaDto = {
  /** Delta id */
  id: string;
  /** Instances per vdu */
  "vdu-delta"?: VduDeltaDto[];
  /** Bit rate per virtual link. Kept as submitted. */
  "virtual-link-bit-rate-delta"?: unknown[];
  /** OSM: KDU resources per step. Kept as submitted. */
  "kdu-resource-delta"?: unknown[];
};

export type ServiceChainListView = {
  items: ServiceChainView[];
};

export type ServiceChainPage = {
  items: ServiceChainView[];
  total: number;
  limit: number;
  offset: number;
};

export type ServiceChainView = {
  id: string;
  name: string;
  description?: string | null;
  /** PENDING until first installed; ACTIVE; DEGRADED while a hop has no live instance (failMode applies); ERROR (stateReason says why); DELETING */
  state: "PENDING" | "ACTIVE" | "DEGRADED" | "ERROR" | "DELETING";
  stateReason?: string | null;
  ingress: ChainPointDto;
  egress: ChainPointDto;
  classifier: ClassifierDto;
  hops: HopDto[];
  symmetric: boolean;
  failMode: "closed" | "open";
  priority: number;
  /** the chain's OpenFlow cookie (the high 48 bits of every rule's cookie; the low 16 are the generation) */
  cookie: string;
  /** generation of the installed rules (0: none yet) */
  generation: number;
  installed: InstalledRulesView[];
  /** flow counters as the worker last read them */
  counters?: ChainCountersView | null;
  /** times the worker reinstalled the rules by itself (REPAIR operations): an instance of the chain changed (healed, crashed, terminated, a port renumbered) or the switch's rules differed from the rendering (drift) */
  repairs: number;
  lastRepairAt?: string | null;
  /** the latest operation on the chain */
  lastOperation?: OperationRefView | null;
  createdAt: string;
  updatedAt: string;
  /** self, lastOperation, trace */
  _links: Record<string, unknown>;
};

export type SessionView = {
  tokenId: string;
  tokenName: string;
  /** viewer reads; operator also changes; admin also manages tokens; platform-admin every tenant and hosts */
  role: "platform-admin" | "admin" | "operator" | "viewer";
  tenantId: string;
  tenantName: string;
  expiresAt?: string | null;
};

export type SriovPortDto = {
  physnet: string;
};

export type SwImageDescDto = {
  /** Identifier, referenced by vdu.sw-image-desc */
  id: string;
  /** Image name */
  name?: string;
  /** Image version */
  version?: string;
  /** Reference to the image (name in the image store, or path in the package) */
  image?: string;
  /** Checksum: {algorithm, hash} (SOL006) or a string. Kept as submitted. */
  checksum?: Record<string, unknown>;
  /** Container format, e.g. bare */
  "container-format"?: string;
  /** Disk format, e.g. qcow2, raw */
  "disk-format"?: string;
  /** Minimum disk size, in GB. A number or a numeric string ("2", "2.0"). */
  "min-disk"?: number | string;
  /** Minimum RAM, in GB. A number or a numeric string ("2", "2.0"). */
  "min-ram"?: number | string;
  /** Image size, in GB. A number or a numeric string ("2", "2.0"). */
  size?: number | string;
  /** Operating system */
  "operating-system"?: string;
  /** Supported virtualisation environments. Kept as submitted. */
  "supported-virtualisation-environment"?: unknown[];
  /** OSM: VIM type this image is for */
  "vim-type"?: string;
};

export type TerminateVnfRequest = {
  /** GRACEFUL shuts the VMs down first, FORCEFUL destroys them */
  terminationType: "GRACEFUL" | "FORCEFUL";
  /** seconds to wait for a graceful shutdown (GRACEFUL only) */
  gracefulTerminationTimeout?: number;
};

export type TrafficCountView = {
  packets: number;
  bytes: number;
};

export type UpdateChainRequest = {
  description?: string;
  /** the reverse traffic crosses the hops backwards */
  symmetric?: boolean;
  /** a hop without a live instance: closed drops the chain's traffic, open lets it skip the hop */
  failMode?: "closed" | "open";
  /** decides between overlapping classifiers on one ingress */
  priority?: number;
  classifier?: ClassifierDto;
  /** in order, 1..128; insert, remove or reorder hops by sending the new list */
  hops?: HopDto[];
};

export type UpdateHostRequest = {
  physnets?: Record<string, unknown>;
  /** CPU ids kept for the host OS */
  reservedCpus?: number[];
  /** vhost-user rx queues one PMD core serves */
  pmdQueueCapacity?: number;
  /** Folder of the VMs' vhost-user sockets on the host */
  vhostSocketDir?: string;
  /** The host's image folder: base images by name, VM overlays under instances/ */
  imageDir?: string;
  /** CPU features (libvirt's names) taken out of KVM guests' host-passthrough CPU, for a KVM that offers a feature it cannot deliver */
  disabledCpuFeatures?: string[];
  /** libvirt domain type of the host's VMs, as Nova's [libvirt] virt_type: auto takes kvm where libvirt offers it, else qemu (TCG); qemu for a KVM that libvirt offers but that cannot run guests (a nested KVM that halts them in the firmware) */
  virtType?: "auto" | "kvm" | "qemu";
  /** false = DISABLED: never chosen by placement */
  enabled?: boolean;
};

export type UpdateVnfdRequest = {
  /** DISABLED descriptors cannot be instantiated */
  operationalState: "ENABLED" | "DISABLED";
};

export type VduDeltaDto = {
  /** Id of the vdu */
  id: string;
  /** Instances added per step (default 1). A number or a numeric string ("2", "2.0"). */
  "number-of-instances"?: number | string;
};

export type VduDto = {
  /** VDU id */
  id: string;
  /** VDU name */
  name?: string;
  /** Description */
  description?: string;
  /** Internal connection points (NICs) */
  "int-cpd"?: IntCpdDto[];
  /** Id of the virtual-compute-desc */
  "virtual-compute-desc": string;
  /** Ids of virtual-storage-descs */
  "virtual-storage-desc"?: string[];
  /** Id of the sw-image-desc */
  "sw-image-desc"?: string;
  /** OSM: ids of alternative images (per VIM type) */
  "alternative-sw-image-desc"?: string[];
  /** OSM: cloud-init user data, inline */
  "cloud-init"?: string;
  /** OSM: name of the cloud-init file in the package */
  "cloud-init-file"?: string;
  /** OSM: physical deployment unit type */
  "pdu-type"?: string;
  /** SOL006 boot order (key/value). Kept as submitted. */
  "boot-order"?: unknown[];
  /** SOL006 NFVI constraints. Kept as submitted. */
  "nfvi-constraint"?: unknown[];
  /** Monitoring parameters. Kept as submitted. */
  "monitoring-parameter"?: unknown[];
  /** Configurable properties. Kept as submitted. */
  "configurable-properties"?: Record<string, unknown>;
  /** SOL006 boot data. Kept as submitted. */
  "boot-data"?: Record<string, unknown>;
  /** OSM supplemental boot data (boot-data-drive). Kept as submitted. */
  "supplemental-boot-data"?: Record<string, unknown>;
  /** OSM alarms. Kept as submitted. */
  alarm?: unknown[];
  /** SOL006 MCIO constraints. Kept as submitted. */
  "mcio-constraints"?: Record<string, unknown>;
  /** SOL006 NFVI maintenance info. Kept as submitted. */
  "nfvi-maintenance-info"?: Record<string, unknown>;
};

export type VduLevelDto = {
  /** Id of the vdu */
  "vdu-id": string;
  /** Instances at this level (default 1). A number or a numeric string ("2", "2.0"). */
  "number-of-instances"?: number | string;
};

export type VduProfileDto = {
  /** Id of the vdu */
  id: string;
  /** Minimum instances (default 1). A number or a numeric string ("2", "2.0"). */
  "min-number-of-instances"?: number | string;
  /** Maximum instances (default: the minimum). A number or a numeric string ("2", "2.0"). */
  "max-number-of-instances"?: number | string;
  /** Affinity rules among the VMs of this vdu */
  "local-affinity-or-anti-affinity-rule"?: LocalAffinityRuleDto[];
  /** Affinity and anti-affinity groups this vdu belongs to */
  "affinity-or-anti-affinity-group"?: AffinityGroupRefDto[];
  /** OSM: day-1/2 configuration of the vdu */
  "vdu-configuration-id"?: string;
};

export type VhostUserReadinessView = {
  /** whether vhost-user ports can carry packets: OvS-DPDK initialised and able to create packet-buffer pools (mempools); null: not checked (ovs-vswitchd on another machine than the worker, or never discovered); placement treats null as ready */
  ready?: boolean | null;
  /** what discovery found when ready is false or null */
  reason?: string | null;
};

export type VirtualComputeDescDto = {
  /** Identifier, referenced by vdu.virtual-compute-desc */
  id: string;
  /** Virtual CPU requirements */
  "virtual-cpu": VirtualCpuDto;
  /** Virtual memory requirements */
  "virtual-memory": VirtualMemoryDto;
  /** SOL006 logical node requirements. Kept as submitted. */
  "logical-node"?: unknown[];
  /** SOL006 additional capabilities. Kept as submitted. */
  "request-additional-capability"?: unknown[];
  /** SOL006 compute requirements. Kept as submitted. */
  "compute-requirements"?: Record<string, unknown>;
  /** SOL006 virtual disks. Kept as submitted. */
  "virtual-disk"?: Record<string, unknown>;
};

export type VirtualCpuDto = {
  /** Number of virtual CPUs. A number or a numeric string ("2", "2.0"). */
  "num-virtual-cpu": number | string;
  /** CPU architecture, e.g. x86_64 */
  "cpu-architecture"?: string;
  /** Minimum virtual CPU clock rate, in MHz. A number or a numeric string ("2", "2.0"). */
  clock?: number | string;
  /** Alias of clock (SOL001 name), in MHz. A number or a numeric string ("2", "2.0"). */
  "virtual-cpu-clock"?: number | string;
  /** CPU oversubscription policy */
  "oversubscription-policy"?: string;
  /** SOL006 additional CPU requirements (key/value). Kept as submitted. */
  "vdu-cpu-requirements"?: unknown[];
  /** CPU pinning requirements */
  pinning?: VirtualCpuPinningDto;
  /** OSM CPU quota (limit, reserve, shares). Kept as submitted. */
  "cpu-quota"?: Record<string, unknown>;
};

export type VirtualCpuPinningDto = {
  /** static pins each vCPU to a dedicated host CPU; OSM writes STATIC/DYNAMIC (case-insensitive) */
  policy?: "static" | "dynamic";
  /** SOL006 pinning rules (key/value). Kept as submitted. */
  rule?: unknown[];
  /** OSM: how pinned vCPUs use SMT sibling threads (case-insensitive) */
  "thread-policy"?: "AVOID" | "SEPARATE" | "ISOLATE" | "PREFER";
};

export type VirtualInterfaceDto = {
  /** NIC type. PARAVIRT and VIRTIO become vhost-user ports on OvS-DPDK, SR-IOV and PCI-PASSTHROUGH become VFs/devices; the others are accepted but cannot be placed (case-insensitive) */
  type: "PARAVIRT" | "VIRTIO" | "SR-IOV" | "PCI-PASSTHROUGH" | "E1000" | "RTL8139" | "PCNET" | "OM-MGMT" | "BRIDGE";
  /** Guest PCI address, e.g. 0000:00:0a.0 */
  vpci?: string;
  /** Bandwidth. A number or a numeric string ("2", "2.0"). */
  bandwidth?: number | string;
  /** OSM interface quota. Kept as submitted. */
  "vif-quota"?: Record<string, unknown>;
};

export type VirtualMemoryDto = {
  /** Virtual memory size, in GB. A number or a numeric string ("2", "2.0"). */
  size: number | string;
  /** Memory oversubscription policy */
  "over-subscription-policy"?: string;
  /** SOL006 additional memory requirements (key/value). Kept as submitted. */
  "vdu-mem-requirements"?: unknown[];
  /** Whether the guest gets a NUMA topology (true/false, or the strings "true"/"false") */
  "numa-enabled"?: boolean;
  /** OSM: guest memory page size (LARGE/SIZE_2MB/SIZE_1GB are hugepages) (case-insensitive) */
  "mempage-size"?: "LARGE" | "SMALL" | "SIZE_2MB" | "SIZE_1GB" | "PREFER_LARGE";
  /** OSM NUMA placement policy */
  "numa-node-policy"?: NumaNodePolicyDto;
  /** OSM memory quota (limit, reserve, shares). Kept as submitted. */
  "mem-quota"?: Record<string, unknown>;
};

export type VirtualNetworkInterfaceRequirementDto = {
  /** Interface name */
  name: string;
  /** Description */
  description?: string;
  /** Whether the requirement must be met (true/false, or the strings "true"/"false") */
  "support-mandatory"?: boolean;
  /** SOL006 requirements (key/value). Kept as submitted. */
  "network-interface-requirements"?: unknown[];
  /** SOL006 NIC I/O requirements (logical-node reference). Kept as submitted. */
  "nic-io-requirements"?: Record<string, unknown>;
  /** OSM: order of the interface in the guest. A number or a numeric string ("2", "2.0"). */
  position?: number | string;
  /** OSM: the NIC type */
  "virtual-interface"?: VirtualInterfaceDto;
};

export type VirtualStorageDescDto = {
  /** Identifier, referenced by vdu.virtual-storage-desc */
  id: string;
  /** root-storage, swap-storage or ephemeral-storage */
  "type-of-storage"?: string;
  /** Size, in GB. A number or a numeric string ("2", "2.0"). */
  "size-of-storage"?: number | string;
  /** SOL006 storage requirements (key/value). Kept as submitted. */
  "vdu-storage-requirements"?: unknown[];
  /** Whether RDMA is required (true/false, or the strings "true"/"false") */
  "rdma-enabled"?: boolean;
  /** Id of the sw-image-desc loaded on this storage */
  "sw-image-desc"?: string;
  /** OSM disk I/O quota. Kept as submitted. */
  "disk-io-quota"?: Record<string, unknown>;
  /** Block storage data. Kept as submitted. */
  "block-storage-data"?: Record<string, unknown>;
  /** Object storage data. Kept as submitted. */
  "object-storage-data"?: Record<string, unknown>;
  /** File storage data. Kept as submitted. */
  "file-storage-data"?: Record<string, unknown>;
  /** SOL006 NFVI maintenance info. Kept as submitted. */
  "nfvi-maintenance-info"?: Record<string, unknown>;
};

export type VmConsoleView = {
  vmId: string;
  /** the console log on the VM's host (beside its disk overlay, in the host's imageDir) */
  path: string;
  /** the last lines, oldest first; empty while the file does not exist */
  lines: string[];
  /** the log holds more than these lines */
  truncated: boolean;
  /** the log's size in bytes; virtlogd rotates it at its max_size (2 MiB by default) */
  sizeBytes: number;
};

export type VnfInstancePage = {
  items: VnfInstanceView[];
  total: number;
  limit: number;
  offset: number;
};

export type VnfInstanceView = {
  id: string;
  vnfInstanceName?: string | null;
  vnfInstanceDescription?: string | null;
  /** id of the VNFD (/api/v1/vnfds/{id}) */
  vnfdId: string;
  vnfdVersion: string;
  vnfProvider?: string | null;
  vnfProductName: string;
  vnfSoftwareVersion?: string | null;
  instantiationState: "NOT_INSTANTIATED" | "INSTANTIATED";
  /** present when INSTANTIATED */
  instantiatedVnfInfo?: InstantiatedVnfInfoView;
  createdAt: string;
  updatedAt: string;
  /** self, vnfd, and the operations the state allows (instantiate, or terminate and heal) */
  _links: Record<string, unknown>;
};

export type VnfcView = {
  id: string;
  vduId: string;
  state: "PENDING" | "PLACED" | "BUILDING" | "ACTIVE" | "STOPPED" | "ERROR" | "DELETING";
  hostId?: string | null;
  hostName?: string | null;
  numaCell?: number | null;
  /** the host CPUs claimed for its dedicated vCPUs (empty when they float) */
  pinnedCpus: number[];
  /** libvirt domain name */
  domainName?: string | null;
  /** what libvirt last said of the domain (at launch, then every VM_STATE_SYNC_SECONDS); MISSING: libvirt has no such domain. Heal brings a VM that is not RUNNING back */
  powerState?: "RUNNING" | "BLOCKED" | "PAUSED" | "SHUTDOWN" | "SHUTOFF" | "CRASHED" | "PMSUSPENDED" | "NOSTATE" | "MISSING" | null;
  /** libvirt's reason for the power state (virsh domstate --reason), when it is not RUNNING */
  powerStateReason?: string | null;
  /** when the power state was last seen to change */
  powerStateAt?: string | null;
  /** [{ cpdId (the VDU's int-cpd), extCpdId (the ext-cpd it is exposed as, which bindings and service chains name), kind, name | pciAddress, bridge?, vlan? }] */
  ports: (Record<string, unknown>)[];
};

export type VnfdDetail = {
  id: string;
  /** vnfd.id of the document */
  vnfdId: string;
  version: string;
  provider?: string | null;
  productName: string;
  softwareVersion?: string | null;
  description?: string | null;
  operationalState: "ENABLED" | "DISABLED";
  createdAt: string;
  updatedAt: string;
  _links: Record<string, unknown>;
  usageState: "IN_USE" | "NOT_IN_USE";
  /** normalised model (camelCase) */
  model: Record<string, unknown>;
  document: Record<string, unknown>;
};

export type VnfdDocumentDto = {
  /** The VNF descriptor (ETSI NFV SOL006, as OSM uses it) */
  vnfd: VnfdDto;
};

export type VnfdDto = {
  /** VNFD id */
  id: string;
  /** VNF provider */
  provider?: string;
  /** VNF product name */
  "product-name": string;
  /** VNF software version */
  "software-version"?: string;
  /** Descriptor version; with id, identifies the descriptor in the catalogue */
  version: string;
  /** Human-readable product name */
  "product-info-name"?: string;
  /** Human-readable product description */
  "product-info-description"?: string;
  /** VNFMs compatible with the VNF */
  "vnfm-info"?: string[];
  /** Supported languages */
  "localization-language"?: string[];
  /** Default language */
  "default-localization-language"?: string;
  /** OSM: description */
  description?: string;
  /** OSM: id of the management ext-cpd */
  "mgmt-cp"?: string;
  /** Virtualisation deployment units (VMs) */
  vdu?: VduDto[];
  /** CPU and memory */
  "virtual-compute-desc"?: VirtualComputeDescDto[];
  /** Disks */
  "virtual-storage-desc"?: VirtualStorageDescDto[];
  /** Software images */
  "sw-image-desc"?: SwImageDescDto[];
  /** Internal virtual links */
  "int-virtual-link-desc"?: IntVirtualLinkDescDto[];
  /** External connection points */
  "ext-cpd"?: ExtCpdDto[];
  /** Deployment flavours */
  df?: DfDto[];
  /** Configurable properties. Kept as submitted. */
  "configurable-properties"?: Record<string, unknown>;
  /** Modifiable attributes. Kept as submitted. */
  "modifiable-attributes"?: Record<string, unknown>;
  /** Lifecycle management scripts. Kept as submitted. */
  "lifecycle-management-script"?: unknown[];
  /** Element groups. Kept as submitted. */
  "element-group"?: unknown[];
  /** VNF indicators. Kept as submitted. */
  indicator?: unknown[];
  /** Auto-scaling rules. Kept as submitted. */
  "auto-scale"?: unknown[];
  /** Security group rules. Kept as submitted. */
  "security-group-rule"?: unknown[];
  /** Virtual IP connection points. Kept as submitted. */
  "vip-cpd"?: unknown[];
  /** Virtual connection points. Kept as submitted. */
  "virtual-cp"?: unknown[];
  /** OSM: Kubernetes deployment units (not deployed by this orchestrator). Kept as submitted. */
  kdu?: unknown[];
  /** OSM: Kubernetes cluster requirements. Kept as submitted. */
  "k8s-cluster"?: Record<string, unknown>;
  /** OSM (legacy): VNF day-1/2 configuration. Kept as submitted. */
  "vnf-configuration"?: Record<string, unknown>;
};

export type VnfdPage = {
  items: VnfdSummary[];
  total: number;
  limit: number;
  offset: number;
};

export type VnfdSummary = {
  id: string;
  /** vnfd.id of the document */
  vnfdId: string;
  version: string;
  provider?: string | null;
  productName: string;
  softwareVersion?: string | null;
  description?: string | null;
  operationalState: "ENABLED" | "DISABLED";
  createdAt: string;
  updatedAt: string;
  _links: Record<string, unknown>;
};

export interface paths {
  "/api/v1/audit": {
    get: {
      parameters: {
        query?: {
          limit?: number;
          offset?: number;
          tenantId?: string;
        };
      };
      responses: {
        "200": never;
      };
    };
  };
  "/api/v1/audit/{id}": {
    get: {
      parameters: {
        path: {
          id: string;
        };
      };
      responses: {
        "200": never;
      };
    };
  };
  "/api/v1/chain_op_occs": {
    get: {
      parameters: {
        query?: {
          limit?: number;
          offset?: number;
          chainId?: string;
          operation?: "CREATE" | "UPDATE" | "DELETE" | "REPAIR";
          operationState?: "STARTING" | "PROCESSING" | "COMPLETED" | "FAILED";
        };
      };
      responses: {
        "200": {
          "application/json": ChainOpOccPage;
        };
      };
    };
  };
  "/api/v1/chain_op_occs/{opId}": {
    get: {
      parameters: {
        path: {
          opId: string;
        };
      };
      responses: {
        "200": {
          "application/json": ChainOpOccView;
        };
        "404": never;
      };
    };
  };
  "/api/v1/hosts": {
    get: {
      parameters: {
        query?: {
          limit?: number;
          offset?: number;
        };
      };
      responses: {
        "200": {
          "application/json": HostPage;
        };
      };
    };
    post: {
      parameters: Record<string, never>;
      requestBody: {
        "application/json": CreateHostRequest;
      };
      responses: {
        "201": {
          "application/json": HostView;
        };
      };
    };
  };
  "/api/v1/hosts/{id}": {
    get: {
      parameters: {
        path: {
          id: string;
        };
      };
      responses: {
        "200": {
          "application/json": HostView | HostSummaryView;
        };
      };
    };
    delete: {
      parameters: {
        path: {
          id: string;
        };
      };
      responses: {
        "204": never;
      };
    };
    patch: {
      parameters: {
        path: {
          id: string;
        };
      };
      requestBody: {
        "application/json": UpdateHostRequest;
      };
      responses: {
        "200": {
          "application/json": HostView;
        };
      };
    };
  };
  "/api/v1/hosts/{id}/refresh": {
    post: {
      parameters: {
        path: {
          id: string;
        };
      };
      responses: {
        "202": never;
      };
    };
  };
  "/api/v1/placement/dry-run": {
    post: {
      parameters: Record<string, never>;
      requestBody: {
        "application/json": PlacementRequestDto;
      };
      responses: {
        "200": never;
      };
    };
  };
  "/api/v1/service_chains": {
    get: {
      parameters: {
        query?: {
          limit?: number;
          offset?: number;
        };
      };
      responses: {
        "200": {
          "application/json": ServiceChainPage;
        };
      };
    };
    post: {
      parameters: Record<string, never>;
      requestBody: {
        "application/json": CreateChainRequest;
      };
      responses: {
        "202": {
          "application/json": ServiceChainView;
        };
        "409": never;
        "422": never;
      };
    };
  };
  "/api/v1/service_chains/from_nsd": {
    /** Chains from an NSD's forwarding graphs */
    post: {
      parameters: Record<string, never>;
      requestBody: {
        "application/json": ChainsFromNsdRequest;
      };
      responses: {
        "202": {
          "application/json": ServiceChainListView;
        };
        "422": never;
      };
    };
  };
  "/api/v1/service_chains/{id}": {
    get: {
      parameters: {
        path: {
          id: string;
        };
      };
      responses: {
        "200": {
          "application/json": ServiceChainView;
        };
        "404": never;
      };
    };
    delete: {
      parameters: {
        path: {
          id: string;
        };
      };
      responses: {
        "202": {
          "application/json": ServiceChainView;
        };
        "409": never;
      };
    };
    /** Change hops (insert, remove, reorder: send the new list), classifier, failMode, priority or symmetry */
    patch: {
      parameters: {
        path: {
          id: string;
        };
      };
      requestBody: {
        "application/json": UpdateChainRequest;
      };
      responses: {
        "202": {
          "application/json": ServiceChainView;
        };
        "409": never;
        "422": never;
      };
    };
  };
  "/api/v1/service_chains/{id}/trace": {
    /** The path a packet would take */
    post: {
      parameters: {
        path: {
          id: string;
        };
      };
      requestBody: {
        "application/json": ChainTraceRequestDto;
      };
      responses: {
        "200": {
          "application/json": ChainTraceView;
        };
        "404": never;
        "409": never;
      };
    };
  };
  "/api/v1/session": {
    get: {
      parameters: Record<string, never>;
      responses: {
        "200": {
          "application/json": SessionView;
        };
      };
    };
  };
  "/api/v1/tenants": {
    get: {
      parameters: Record<string, never>;
      responses: {
        "200": never;
      };
    };
    post: {
      parameters: Record<string, never>;
      requestBody: {
        "application/json": CreateTenantRequest;
      };
      responses: {
        "201": never;
      };
    };
  };
  "/api/v1/tokens": {
    get: {
      parameters: Record<string, never>;
      responses: {
        "200": never;
      };
    };
    post: {
      parameters: Record<string, never>;
      requestBody: {
        "application/json": CreateTokenRequest;
      };
      responses: {
        "201": never;
      };
    };
  };
  "/api/v1/tokens/{id}": {
    get: {
      parameters: {
        path: {
          id: string;
        };
      };
      responses: {
        "200": never;
      };
    };
    delete: {
      parameters: {
        path: {
          id: string;
        };
      };
      responses: {
        "200": never;
      };
    };
  };
  "/api/v1/vnf_instances": {
    get: {
      parameters: {
        query?: {
          limit?: number;
          offset?: number;
          /** id of the VNFD the instances are based on */
          vnfdId?: string;
          instantiationState?: "NOT_INSTANTIATED" | "INSTANTIATED";
        };
      };
      responses: {
        "200": {
          "application/json": VnfInstancePage;
        };
      };
    };
    post: {
      parameters: Record<string, never>;
      requestBody: {
        "application/json": CreateVnfInstanceRequest;
      };
      responses: {
        "201": {
          "application/json": VnfInstanceView;
        };
      };
    };
  };
  "/api/v1/vnf_instances/{id}": {
    get: {
      parameters: {
        path: {
          id: string;
        };
      };
      responses: {
        "200": {
          "application/json": VnfInstanceView;
        };
      };
    };
    delete: {
      parameters: {
        path: {
          id: string;
        };
      };
      responses: {
        "204": never;
        "409": never;
      };
    };
  };
  "/api/v1/vnf_instances/{id}/heal": {
    post: {
      parameters: {
        path: {
          id: string;
        };
      };
      requestBody: {
        "application/json": HealVnfRequest;
      };
      responses: {
        "202": {
          "application/json": LcmOpOccView;
        };
        "409": never;
      };
    };
  };
  "/api/v1/vnf_instances/{id}/instantiate": {
    post: {
      parameters: {
        path: {
          id: string;
        };
      };
      requestBody: {
        "application/json": InstantiateVnfRequest;
      };
      responses: {
        "202": {
          "application/json": LcmOpOccView;
        };
        "409": never;
      };
    };
  };
  "/api/v1/vnf_instances/{id}/terminate": {
    post: {
      parameters: {
        path: {
          id: string;
        };
      };
      requestBody: {
        "application/json": TerminateVnfRequest;
      };
      responses: {
        "202": {
          "application/json": LcmOpOccView;
        };
        "409": never;
      };
    };
  };
  "/api/v1/vnf_instances/{id}/vms/{vmId}/console": {
    /** The end of a VM's serial console log */
    get: {
      parameters: {
        path: {
          id: string;
          vmId: string;
        };
        query?: {
          /** how many of the last lines */
          lines?: Object;
        };
      };
      responses: {
        "200": {
          "application/json": VmConsoleView;
        };
        "404": never;
      };
    };
  };
  "/api/v1/vnf_lcm_op_occs": {
    get: {
      parameters: {
        query?: {
          limit?: number;
          offset?: number;
          vnfInstanceId?: string;
          operationState?: "STARTING" | "PROCESSING" | "COMPLETED" | "FAILED_TEMP" | "ROLLING_BACK" | "ROLLED_BACK" | "FAILED";
          operation?: "INSTANTIATE" | "SCALE" | "SCALE_TO_LEVEL" | "HEAL" | "TERMINATE";
        };
      };
      responses: {
        "200": {
          "application/json": LcmOpOccPage;
        };
      };
    };
  };
  "/api/v1/vnf_lcm_op_occs/events": {
    get: {
      parameters: {
        query?: {
          /** only the events of this VNF instance */
          vnfInstanceId?: string;
        };
      };
      responses: {
        "200": never;
      };
    };
  };
  "/api/v1/vnf_lcm_op_occs/{opId}": {
    get: {
      parameters: {
        path: {
          opId: string;
        };
      };
      responses: {
        "200": {
          "application/json": LcmOpOccView;
        };
      };
    };
  };
  "/api/v1/vnf_lcm_op_occs/{opId}/cancel": {
    post: {
      parameters: {
        path: {
          opId: string;
        };
      };
      responses: {
        "202": {
          "application/json": LcmOpOccView;
        };
        "404": never;
        "409": never;
      };
    };
  };
  "/api/v1/vnf_lcm_op_occs/{opId}/fail": {
    post: {
      parameters: {
        path: {
          opId: string;
        };
      };
      responses: {
        "200": {
          "application/json": LcmOpOccView;
        };
        "409": never;
      };
    };
  };
  "/api/v1/vnf_lcm_op_occs/{opId}/retry": {
    post: {
      parameters: {
        path: {
          opId: string;
        };
      };
      responses: {
        "202": {
          "application/json": LcmOpOccView;
        };
        "409": never;
      };
    };
  };
  "/api/v1/vnf_lcm_op_occs/{opId}/rollback": {
    post: {
      parameters: {
        path: {
          opId: string;
        };
      };
      responses: {
        "202": {
          "application/json": LcmOpOccView;
        };
        "409": never;
      };
    };
  };
  "/api/v1/vnfds": {
    get: {
      parameters: {
        query?: {
          limit?: number;
          offset?: number;
          /** exact provider */
          provider?: string;
          /** exact product-name */
          product?: string;
        };
      };
      responses: {
        "200": {
          "application/json": VnfdPage;
        };
      };
    };
    post: {
      parameters: Record<string, never>;
      requestBody: {
        "application/json": VnfdDocumentDto;
        "application/yaml": VnfdDocumentDto;
      };
      responses: {
        "201": {
          "application/json": VnfdSummary;
        };
      };
    };
  };
  "/api/v1/vnfds/{id}": {
    get: {
      parameters: {
        path: {
          id: string;
        };
      };
      responses: {
        "200": {
          "application/json": VnfdDetail;
        };
      };
    };
    delete: {
      parameters: {
        path: {
          id: string;
        };
      };
      responses: {
        "204": never;
      };
    };
    patch: {
      parameters: {
        path: {
          id: string;
        };
      };
      requestBody: {
        "application/json": UpdateVnfdRequest;
      };
      responses: {
        "200": {
          "application/json": VnfdSummary;
        };
      };
    };
  };
  "/healthz": {
    get: {
      parameters: Record<string, never>;
      responses: {
        "200": never;
      };
    };
  };
  "/readyz": {
    get: {
      parameters: Record<string, never>;
      responses: {
        "200": never;
        "503": never;
      };
    };
  };
}
