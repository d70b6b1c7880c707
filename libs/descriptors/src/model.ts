/**
 * Normalised, camelCase view of a SOL006 VNFD, for placement and lifecycle. Built by
 * normalizeVnfd from a document that passed structural and semantic validation; the document as
 * submitted is kept alongside it, so nothing here needs to carry fields we do not act on.
 */

export const PINNING_POLICIES = ['static', 'dynamic'] as const;
export type PinningPolicy = (typeof PINNING_POLICIES)[number];

/** OSM's `virtual-cpu.pinning.thread-policy`. */
export const THREAD_POLICIES = ['AVOID', 'SEPARATE', 'ISOLATE', 'PREFER'] as const;
export type ThreadPolicy = (typeof THREAD_POLICIES)[number];

/** OSM's `virtual-memory.mempage-size`. */
export const MEMPAGE_SIZES = ['LARGE', 'SMALL', 'SIZE_2MB', 'SIZE_1GB', 'PREFER_LARGE'] as const;
export type MempageSize = (typeof MEMPAGE_SIZES)[number];

/** OSM's `virtual-memory.numa-node-policy.mem-policy`. */
export const NUMA_MEM_POLICIES = ['STRICT', 'PREFERRED'] as const;
export type NumaMemPolicy = (typeof NUMA_MEM_POLICIES)[number];

/** OSM's `virtual-interface.type`, as accepted in descriptors. */
export const INTERFACE_TYPES = [
  'PARAVIRT',
  'VIRTIO',
  'SR-IOV',
  'PCI-PASSTHROUGH',
  'E1000',
  'RTL8139',
  'PCNET',
  'OM-MGMT',
  'BRIDGE',
] as const;
export type InterfaceType = (typeof INTERFACE_TYPES)[number];

/**
 * The interface types this orchestrator can place: PARAVIRT and VIRTIO become vhost-user ports
 * on OvS-DPDK, SR-IOV and PCI-PASSTHROUGH become VFs/devices. The others are accepted in a
 * descriptor (OSM defines them) but placement refuses them.
 */
export const PLACEABLE_INTERFACE_TYPES: readonly InterfaceType[] = ['PARAVIRT', 'VIRTIO', 'SR-IOV', 'PCI-PASSTHROUGH'];

export interface SwImageModel {
  id: string;
  name?: string;
  image?: string;
  version?: string;
  diskFormat?: string;
  containerFormat?: string;
  minDiskGb?: number;
  minRamGb?: number;
  sizeGb?: number;
  checksum?: { algorithm?: string; hash?: string };
}

export interface StorageModel {
  id: string;
  /** SOL006 `type-of-storage`, e.g. root-storage, swap-storage, ephemeral-storage. */
  type?: string;
  sizeGb?: number;
  swImageDescId?: string;
}

export interface InterfaceModel {
  /** The VDU's int-cpd this interface belongs to. */
  cpdId: string;
  /** `virtual-network-interface-requirement[].name`. */
  name?: string;
  type: InterfaceType;
  /** The int-cpd's `int-virtual-link-desc`, when it is bound to an internal virtual link. */
  vlIntRef?: string;
  position?: number;
  vpci?: string;
  bandwidth?: number;
}

export interface VduModel {
  id: string;
  name?: string;
  description?: string;
  computeDescId: string;
  vcpus: number;
  cpuArchitecture?: string;
  pinningPolicy: PinningPolicy | undefined;
  threadPolicy?: ThreadPolicy;
  /** `virtual-memory.size` is in GB (possibly "1.0"); this is that size in MiB. */
  memoryMb: number;
  mempageSize?: MempageSize;
  numaEnabled?: boolean;
  /** OSM's `numa-node-policy`, as submitted. */
  numaNodePolicy?: Record<string, unknown>;
  swImage?: SwImageModel;
  /** Size of the root disk: the root-storage desc, or the only/first storage desc. */
  storageGb?: number;
  storages: StorageModel[];
  interfaces: InterfaceModel[];
  cloudInit?: string;
  cloudInitFile?: string;
}

export interface ExtCpdModel {
  id: string;
  vduId?: string;
  intCpdId?: string;
  intVirtualLinkDesc?: string;
}

/** SOL006 `affinity-or-anti-affinity-group`: type and scope. */
export const AFFINITY_TYPES = ['affinity', 'anti-affinity'] as const;
export type AffinityType = (typeof AFFINITY_TYPES)[number];
export const AFFINITY_SCOPES = ['nfvi-node', 'zone', 'zone-group', 'nfvi-pop', 'container-namespace'] as const;
export type AffinityScope = (typeof AFFINITY_SCOPES)[number];
/** The only scope placed: this VIM is one site, where hosts are the only thing to join or separate VMs by. */
export const SUPPORTED_AFFINITY_SCOPE: AffinityScope = 'nfvi-node';

export interface AffinityGroupModel {
  id: string;
  type: AffinityType;
  scope: AffinityScope;
}

export interface VduProfileModel {
  vduId: string;
  minInstances: number;
  maxInstances: number;
  /** Ids of the df's affinity-or-anti-affinity-groups the vdu belongs to; absent in models stored before groups were read. */
  affinityGroupIds?: string[];
  /** `local-affinity-or-anti-affinity-rule`: rules among the VMs of this vdu; absent in models stored before. */
  localAffinityRules?: { type: AffinityType; scope: AffinityScope }[];
}

export interface InstantiationLevelModel {
  id: string;
  vduLevels: { vduId: string; instances: number }[];
  scaleInfo: { aspectId: string; scaleLevel: number }[];
}

export interface ScalingAspectModel {
  id: string;
  name?: string;
  maxScaleLevel: number;
  deltas: { id: string; vduDeltas: { vduId: string; instances: number }[] }[];
  /** Delta id per step, when the aspect is non-uniform; absent means every step applies the first delta. */
  stepDeltas?: string[];
}

export interface DeploymentFlavourModel {
  id: string;
  vduProfiles: VduProfileModel[];
  instantiationLevels: InstantiationLevelModel[];
  defaultInstantiationLevelId?: string;
  scalingAspects: ScalingAspectModel[];
  /** Absent in models stored before groups were read: their VMs get no group. */
  affinityGroups?: AffinityGroupModel[];
}

export interface VnfdModel {
  vnfdId: string;
  provider?: string;
  productName: string;
  /** Required by the structure (SOL006 makes it mandatory); with vnfdId it identifies the descriptor. */
  version: string;
  softwareVersion?: string;
  description?: string;
  mgmtCp?: string;
  vdus: VduModel[];
  intVirtualLinkDescs: { id: string }[];
  extCpds: ExtCpdModel[];
  deploymentFlavours: DeploymentFlavourModel[];
}
