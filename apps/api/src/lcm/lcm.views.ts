import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { canApply, isRollbackable, type OpState } from '#vim/lcm';
import { vnfdPath } from '../vnfds/vnfd.views.js';
import {
  InstantiationState,
  LcmOperation,
  LcmOperationState,
  type LcmOpOccEntity,
  type VduInstanceEntity,
  VduInstanceState,
  type VnfDescriptorEntity,
  type VnfInstanceEntity,
} from '#vim/persistence';

export const instancePath = (id: string): string => `/api/v1/vnf_instances/${id}`;
export const opPath = (id: string): string => `/api/v1/vnf_lcm_op_occs/${id}`;

type Link = { href: string };

/** One VM of an instance, where it runs and what is plumbed to it. */
export class VnfcView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() vduId: string;
  @ApiProperty({ enum: VduInstanceState }) state: VduInstanceState;
  @ApiPropertyOptional({ type: String, format: 'uuid', nullable: true }) hostId: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) hostName: string | null;
  @ApiPropertyOptional({ type: Number, nullable: true }) numaCell: number | null;
  @ApiProperty({ type: [Number], description: 'the host CPUs claimed for its dedicated vCPUs (empty when they float)' }) pinnedCpus: number[];
  @ApiPropertyOptional({ type: String, nullable: true, description: 'libvirt domain name' }) domainName: string | null;
  @ApiPropertyOptional({
    type: String,
    nullable: true,
    enum: ['RUNNING', 'BLOCKED', 'PAUSED', 'SHUTDOWN', 'SHUTOFF', 'CRASHED', 'PMSUSPENDED', 'NOSTATE', 'MISSING'],
    description: "what libvirt last said of the domain (at launch, then every VM_STATE_SYNC_SECONDS); MISSING: libvirt has no such domain. Heal brings a VM that is not RUNNING back",
  })
  powerState: string | null;
  @ApiPropertyOptional({ type: String, nullable: true, example: 'unknown', description: "libvirt's reason for the power state (virsh domstate --reason), when it is not RUNNING" })
  powerStateReason: string | null;
  @ApiPropertyOptional({ type: String, nullable: true, description: 'when the power state was last seen to change' }) powerStateAt: string | null;
  @ApiProperty({ type: 'array', items: { type: 'object', additionalProperties: true }, description: '[{ cpdId (the VDU\'s int-cpd), extCpdId (the ext-cpd it is exposed as, which bindings and service chains name), kind, name | pciAddress, bridge?, vlan? }]' })
  ports: Record<string, unknown>[];
}

export class InstantiatedVnfInfoView {
  @ApiPropertyOptional({ type: String, nullable: true }) flavourId: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) instantiationLevelId: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'ext-cpd id to { bridge | physnet, vlan? }' }) extCpBindings: Record<string, unknown>;
  @ApiProperty({ example: [{ aspectId: 'workers', scaleLevel: 0 }] }) scaleStatus: { aspectId: string; scaleLevel: number }[];
  @ApiProperty({ type: [VnfcView] }) vnfcResourceInfo: VnfcView[];
}

/** SOL003 VnfInstance, as far as this orchestrator has it. */
export class VnfInstanceView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiPropertyOptional({ type: String, nullable: true }) vnfInstanceName: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) vnfInstanceDescription: string | null;
  @ApiProperty({ format: 'uuid', description: 'id of the VNFD (/api/v1/vnfds/{id})' }) vnfdId: string;
  @ApiProperty() vnfdVersion: string;
  @ApiPropertyOptional({ type: String, nullable: true }) vnfProvider: string | null;
  @ApiProperty() vnfProductName: string;
  @ApiPropertyOptional({ type: String, nullable: true }) vnfSoftwareVersion: string | null;
  @ApiProperty({ enum: InstantiationState }) instantiationState: InstantiationState;
  @ApiPropertyOptional({ type: InstantiatedVnfInfoView, description: 'present when INSTANTIATED' }) instantiatedVnfInfo?: InstantiatedVnfInfoView;
  @ApiProperty() createdAt: string;
  @ApiProperty() updatedAt: string;
  @ApiProperty({ description: 'self, vnfd, and the operations the state allows (instantiate, or terminate and heal)' })
  _links: Record<string, Link>;
}

export class VnfInstancePage {
  @ApiProperty({ type: [VnfInstanceView] }) items: VnfInstanceView[];
  @ApiProperty() total: number;
  @ApiProperty() limit: number;
  @ApiProperty() offset: number;
}

/** SOL003 VnfLcmOpOcc, plus where the worker is and where the time went. */
export class LcmOpOccView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: LcmOperationState }) operationState: LcmOperationState;
  @ApiProperty() stateEnteredTime: string;
  @ApiProperty() startTime: string;
  @ApiProperty({ format: 'uuid' }) vnfInstanceId: string;
  @ApiProperty({ enum: LcmOperation }) operation: LcmOperation;
  @ApiProperty() isAutomaticInvocation: boolean;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'the request that started the operation' }) operationParams: Record<string, unknown>;
  @ApiProperty() isCancelPending: boolean;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true, nullable: true, description: 'RFC 7807 problem, when the operation failed' })
  error: Record<string, unknown> | null;
  @ApiPropertyOptional({ type: String, nullable: true }) currentStep: string | null;
  @ApiProperty({ example: { steps: { place: 12 }, libvirtMs: 900, ovsdbMs: 40 } }) timings: { steps?: Record<string, number>; libvirtMs?: number; ovsdbMs?: number };
  @ApiProperty({ description: 'self, vnfInstance, retry/rollback/fail while FAILED_TEMP, cancel while it runs' }) _links: Record<string, Link>;
}

export class LcmOpOccPage {
  @ApiProperty({ type: [LcmOpOccView] }) items: LcmOpOccView[];
  @ApiProperty() total: number;
  @ApiProperty() limit: number;
  @ApiProperty() offset: number;
}

/** An instance with what the views need of its descriptor and its VMs (host loaded). */
export interface InstanceRecord {
  row: VnfInstanceEntity;
  vnfd: Pick<VnfDescriptorEntity, 'id' | 'version' | 'provider' | 'productName' | 'softwareVersion'>;
  vms: VduInstanceEntity[];
  /** The host CPUs claimed for each VM (dedicated vCPUs), by VM id. */
  pinnedCpus?: ReadonlyMap<string, number[]>;
}

export function toInstanceView({ row, vnfd, vms, pinnedCpus }: InstanceRecord): VnfInstanceView {
  const instantiated = row.instantiationState === InstantiationState.INSTANTIATED;
  return {
    id: row.id,
    vnfInstanceName: row.name,
    vnfInstanceDescription: row.description,
    vnfdId: vnfd.id,
    vnfdVersion: vnfd.version,
    vnfProvider: vnfd.provider,
    vnfProductName: vnfd.productName,
    vnfSoftwareVersion: vnfd.softwareVersion,
    instantiationState: row.instantiationState,
    ...(instantiated && { instantiatedVnfInfo: instantiatedInfo(row, vms, pinnedCpus) }),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    _links: instanceLinks(row.id, vnfd.id, instantiated),
  };
}

function instantiatedInfo(row: VnfInstanceEntity, vms: VduInstanceEntity[], pinnedCpus?: ReadonlyMap<string, number[]>): InstantiatedVnfInfoView {
  return {
    flavourId: row.flavourId,
    instantiationLevelId: row.instantiationLevelId,
    extCpBindings: row.extCpBindings,
    scaleStatus: row.scaleStatus,
    vnfcResourceInfo: vms.map((vm) => toVnfcView(vm, pinnedCpus?.get(vm.id) ?? [])),
  };
}

const toVnfcView = (vm: VduInstanceEntity, pinnedCpus: number[]): VnfcView => ({
  id: vm.id,
  pinnedCpus,
  vduId: vm.vduId,
  state: vm.state,
  hostId: vm.hostId,
  hostName: vm.host?.name ?? null,
  numaCell: vm.numaCell,
  domainName: vm.domainName,
  powerState: vm.powerState,
  powerStateReason: vm.powerStateReason,
  powerStateAt: vm.powerStateAt?.toISOString() ?? null,
  ports: vm.ports,
});

function instanceLinks(id: string, vnfdId: string, instantiated: boolean): Record<string, Link> {
  const self = instancePath(id);
  const actions = instantiated ? ['terminate', 'heal'] : ['instantiate'];
  return { self: { href: self }, vnfd: { href: vnfdPath(vnfdId) }, ...Object.fromEntries(actions.map((a) => [a, { href: `${self}/${a}` }])) };
}

const OPERATOR_ACTIONS = ['retry', 'rollback', 'fail', 'cancel'] as const;

function offered(op: LcmOpOccEntity, action: (typeof OPERATOR_ACTIONS)[number]): boolean {
  if (!canApply(op.operationState as OpState, action)) return false;
  if (action === 'rollback') return isRollbackable(op.operation);
  return action !== 'cancel' || !op.isCancelPending;
}

export function toOpView(op: LcmOpOccEntity): LcmOpOccView {
  const self = opPath(op.id);
  const actions = OPERATOR_ACTIONS.filter((action) => offered(op, action));
  return {
    id: op.id,
    operationState: op.operationState,
    stateEnteredTime: op.stateEnteredTime.toISOString(),
    startTime: op.startTime.toISOString(),
    vnfInstanceId: op.vnfInstanceId,
    operation: op.operation,
    isAutomaticInvocation: op.isAutomaticInvocation,
    operationParams: op.operationParams,
    isCancelPending: op.isCancelPending,
    error: op.error,
    currentStep: op.currentStep,
    timings: op.timings,
    _links: {
      self: { href: self },
      vnfInstance: { href: instancePath(op.vnfInstanceId) },
      ...Object.fromEntries(actions.map((action) => [action, { href: `${self}/${action}` }])),
    },
  };
}

/** The end of a VM's serial console log, as the guest wrote it (escape sequences and control characters removed). */
export class VmConsoleView {
  @ApiProperty({ format: 'uuid' }) vmId: string;
  @ApiProperty({ description: "the console log on the VM's host (beside its disk overlay, in the host's imageDir)" }) path: string;
  @ApiProperty({ type: [String], description: 'the last lines, oldest first; empty while the file does not exist' }) lines: string[];
  @ApiProperty({ description: 'the log holds more than these lines' }) truncated: boolean;
  @ApiProperty({ description: "the log's size in bytes; virtlogd rotates it at its max_size (2 MiB by default)" }) sizeBytes: number;
}
