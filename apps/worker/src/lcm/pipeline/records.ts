import type { VnfdModel } from '#vim/descriptors';
import type { InstantiateParams, OpState } from '#vim/lcm';
import type { Placement } from '#vim/placement';
import type { Problem } from './problem.js';

// What the pipeline reads and writes, as plain data, and the store it goes through: Postgres in
// the worker (TypeormLcmStore), a Map in the unit tests.

export type Operation = 'INSTANTIATE' | 'TERMINATE' | 'HEAL' | 'SCALE' | 'SCALE_TO_LEVEL';
export type VmState = 'PENDING' | 'PLACED' | 'BUILDING' | 'ACTIVE' | 'STOPPED' | 'ERROR' | 'DELETING';

export interface OpTimings {
  /** Wall time per step, summed over its runs. */
  steps?: Record<string, number>;
  /** Time spent inside libvirt and OVSDB calls, summed over every step. */
  libvirtMs?: number;
  ovsdbMs?: number;
}

export interface OpRecord {
  id: string;
  tenantId: string;
  vnfInstanceId: string;
  operation: Operation;
  state: OpState;
  /** Changes with every state change; step jobs carry it, so a job of an earlier run does nothing. */
  stateEnteredTime: Date;
  currentStep: string | null;
  params: Record<string, unknown>;
  error: Problem | null;
  timings: OpTimings;
  /** The operator asked to cancel (set by the API); the worker acts on it at the next step boundary. */
  cancelPending: boolean;
}

export type OpChanges = Partial<Pick<OpRecord, 'state' | 'stateEnteredTime' | 'currentStep' | 'error' | 'timings' | 'cancelPending'>>;

export interface InstanceRecord {
  id: string;
  tenantId: string;
  name: string | null;
  vnfd: VnfdModel;
  instantiated: boolean;
  /** What the instance was instantiated with (null until then). */
  params: InstantiateParams | null;
}

/** One plumbed port of a VM, as kept on its row. */
export interface PortRecord {
  /** The VDU's internal connection point. */
  cpdId: string;
  /** The external connection point it is exposed as, if any: what chains and bindings name. */
  extCpdId?: string;
  kind: 'vhostuser' | 'sriov';
  /** OvS port name (vhost-user). */
  name?: string;
  /** VF PCI address (SR-IOV). */
  pciAddress?: string;
  bridge?: string;
  physnet?: string;
  vlan?: number;
}

/** What libvirt last said of a VM's domain (libs/libvirt PowerState), and when. */
export interface VmPower {
  powerState: string | null;
  powerStateReason: string | null;
  powerStateAt: Date | null;
}

export interface VmRecord {
  id: string;
  vnfInstanceId: string;
  vduId: string;
  hostId: string | null;
  numaCell: number | null;
  state: VmState;
  domainName: string | null;
  domainUuid: string | null;
  ports: PortRecord[];
  /** The power state last recorded (VmPower.powerState). */
  powerState: string | null;
}

export type VmChanges = Partial<Pick<VmRecord, 'state' | 'domainName' | 'domainUuid' | 'ports'> & VmPower>;

/** What a step recorded besides the operation's own progress; written with it. */
export interface StepWrites {
  vms: ReadonlyMap<string, VmChanges>;
  /** The instance's new instantiation: what it was instantiated with, or null for NOT_INSTANTIATED. */
  instantiated?: InstantiateParams | null;
}

export interface HostRecord {
  id: string;
  name: string;
  libvirtUri: string;
  ovsdbRemote: string;
  vhostSocketDir: string;
  imageDir: string;
  disabledCpuFeatures: string[];
  /** 'auto': the domain type libvirt offers (LcmDrivers.domainType); else the operator's choice. */
  virtType: 'auto' | 'kvm' | 'qemu';
}

/** Where a VM row's claims are, and what they are. */
export interface HeldSite {
  placement: Placement;
  host: HostRecord;
}

/** What a step run starts from, read at once: the operation, its instance, and the instance's VM rows and claims. */
export interface OpSnapshot {
  op: OpRecord;
  instance: InstanceRecord;
  /** In creation order. */
  vms: VmRecord[];
  /** By VM row id: the placement each row holds, rebuilt from its claims, and its host. Rows without claims are left out. */
  sites: Map<string, HeldSite>;
}

export interface LcmStore {
  snapshot(opId: string): Promise<OpSnapshot | undefined>;
  /** Records the operation's changes together with what its step recorded (one write). */
  updateOp(opId: string, changes: OpChanges, writes?: StepWrites): Promise<OpRecord>;
  /** Inserts the rows that do not exist yet and answers them; existing ones (same id) are left as they are. */
  addVms(vms: readonly Pick<VmRecord, 'id' | 'vnfInstanceId' | 'vduId'>[]): Promise<VmRecord[]>;
  /** Deletes the VM's claims and its row together, so placement can hand its resources out again. */
  removeVm(id: string): Promise<void>;
  /**
   * Moves a placed VM's host, claims and ports onto a new row `holderId` (state DELETING, its
   * domainUuid the VM's id), leaving the VM unplaced: the old resources stay held while placement
   * finds new ones. Does nothing when `holderId` exists already or the VM is not placed.
   */
  parkVm(vmId: string, holderId: string): Promise<void>;
}
