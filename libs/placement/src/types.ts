// Public data shapes of the placement engine. Plain data only: the integrator maps inventory rows
// into HostSnapshot and a Placement back into claim rows, so nothing here knows about a database.

export type PinningPolicy = 'dedicated' | 'shared'; // 'dedicated' = static pinning
/** number = page size in KiB (2048, 1048576); 'large' = any hugepage size; 'any' = hugepages if the cell has them, else small pages (PREFER_LARGE). */
export type PageSize = 'small' | 'large' | 'any' | number;
export type NumaAffinity = 'required' | 'preferred';

export interface PlacementRequest {
  requestId: string;
  vcpus: number;
  cpuPolicy: PinningPolicy;
  memoryMb: number;
  pageSize: PageSize;
  /** vhost-user ports; each needs one rx-queue slot on a PMD core on the VM's NUMA cell. */
  virtioPorts: number;
  /** Each needs one free VF on that physnet. */
  sriovPorts: { physnet: string }[];
  /** required: VFs on the VM's cell; preferred: same cell if possible, else any cell. */
  vfNumaAffinity: NumaAffinity;
  /** Hard: the host must hold no member of any of these groups (SOL006 anti-affinity, scope nfvi-node). */
  antiAffinityGroups?: readonly string[];
  /**
   * Hard: a group that already has members anywhere pins the VM to their host (SOL006 affinity,
   * scope nfvi-node); a group with none leaves the choice free, to the hosts that have room for
   * `affinityNeed`.
   */
  affinityGroups?: readonly string[];
  /**
   * What all the VMs of this VM's affinity groups take together, itself included: while a group
   * has no member yet, only a host whose free dedicated CPUs and memory hold them all is taken, so
   * the others can follow the first. Host totals, not per NUMA cell: a guard, not a guarantee.
   */
  affinityNeed?: { dedicatedCpus: number; memoryMb: number };
  /** Soft: hosts that hold no member of this group are preferred (the VMs of one VDU). */
  spreadGroup?: string;
}

export interface HostSnapshot {
  hostId: string;
  name: string;
  /** false = DISABLED by operator. */
  enabled: boolean;
  /** Reachable at last discovery. */
  up: boolean;
  /**
   * Whether vhost-user ports can carry packets here (OvS-DPDK can make packet-buffer pools), with
   * discovery's reason. Absent or `ready: null` (not checked) counts as ready.
   */
  vhostUser?: { ready: boolean | null; reason: string | null };
  cells: CellSnapshot[];
  /** Members on this host per placement group (affinity, anti-affinity and spread groups alike). */
  groups: ReadonlyMap<string, number>;
}

export interface VfSnapshot {
  pciAddress: string;
  pfPciAddress: string;
}

export interface CellSnapshot {
  cellId: number;
  /** CPU ids free for dedicated use (already excludes reserved, PMD and claimed CPUs). */
  freeCpus: number[];
  /** CPUs usable by shared (floating) guests on this cell. Not consumed by a placement: floating vCPUs overcommit. */
  sharedCpus: number;
  /** Small-page memory free. */
  freeMemoryMb: number;
  hugepages: { pageSizeKb: number; free: number }[];
  /** Slot indexes still free on each PMD core of this cell. */
  pmdCores: { cpuId: number; freeQueueSlots: number[] }[];
  vfs: { physnet: string; free: VfSnapshot[] }[];
  /**
   * What the cell has in all, claimed or not, counted as the free figures are (dedicated CPUs: the
   * cell's CPUs less the reserved ones and the PMD cores). For display only: placement decides from
   * the free figures. Set by the snapshot loader; absent in snapshots made by hand.
   */
  totals?: CellTotals;
}

export interface CellTotals {
  cpus: number;
  /** Small-page memory: the cell's memory less its hugepage pools. */
  memoryMb: number;
  hugepages: { pageSizeKb: number; total: number }[];
  /** PMD cores of the cell times the host's queue slots per core. */
  pmdQueues: number;
  /** VFs per physnet. */
  vfs: Record<string, number>;
}

export interface PlacedVf {
  pciAddress: string;
  physnet: string;
  cellId: number;
  /** Kept so releasePlacement can put the VF back under its PF without re-reading inventory. */
  pfPciAddress: string;
}

/** The concrete resources to claim. */
export interface Placement {
  hostId: string;
  cellId: number;
  /** Dedicated CPU ids (empty for shared). */
  cpus: number[];
  /** Guest memory; taken from small pages of the cell when `hugepages` is absent. */
  memoryMb: number;
  hugepages?: { pageSizeKb: number; count: number };
  /** One per virtio port, in port order. */
  pmdQueues: { cpuId: number; slot: number }[];
  /** One per SR-IOV port, in the request's port order. */
  vfs: PlacedVf[];
  /** Echo of the request's groups, so applyPlacement/releasePlacement keep HostSnapshot.groups current and a claim can recheck them. */
  antiAffinityGroups?: string[];
  affinityGroups?: string[];
  spreadGroup?: string;
  score: number;
}

export type PlacementResult =
  | { ok: true; placement: Placement; candidates: number }
  | { ok: false; explanation: NoValidHost };

export interface NoValidHost {
  /** e.g. "no valid host: 7 of 10 hosts failed NumaCpuFilter, 3 failed SriovFilter" */
  summary: string;
  /** Filter name -> number of hosts it rejected (first failing filter per host). Exact, never capped. */
  reasonCounts: Record<string, number>;
  /** Per host the concrete shortfall; capped (sorted by name) for big fleets. */
  hosts: { hostId: string; name: string; filter: string; reason: string }[];
}
