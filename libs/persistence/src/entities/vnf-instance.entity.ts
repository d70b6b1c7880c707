import { Column, CreateDateColumn, Entity, Index, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { HostEntity } from './host.entity.js';
import { TenantEntity } from './tenant.entity.js';
import { VnfDescriptorEntity } from './vnf-descriptor.entity.js';

export enum InstantiationState {
  NOT_INSTANTIATED = 'NOT_INSTANTIATED',
  INSTANTIATED = 'INSTANTIATED',
}

/** A VNF instance in the ETSI SOL003 sense. The descriptor cannot be deleted while it exists. */
@Entity('vnf_instances')
export class VnfInstanceEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index()
  @Column({ type: 'uuid' })
  tenantId: string;

  @ManyToOne(() => TenantEntity, { onDelete: 'RESTRICT' })
  tenant?: TenantEntity;

  @Index()
  @Column({ type: 'uuid' })
  vnfDescriptorId: string;

  @ManyToOne(() => VnfDescriptorEntity, { onDelete: 'RESTRICT' })
  vnfDescriptor?: VnfDescriptorEntity;

  @Column({ type: 'varchar', length: 255, nullable: true })
  name: string | null;

  @Column({ type: 'text', nullable: true })
  description: string | null;

  @Column({ type: 'enum', enum: InstantiationState, enumName: 'instantiation_state', default: InstantiationState.NOT_INSTANTIATED })
  instantiationState: InstantiationState;

  @Column({ type: 'varchar', length: 255, nullable: true })
  flavourId: string | null;

  @Column({ type: 'varchar', length: 255, nullable: true })
  instantiationLevelId: string | null;

  /** Current scale level per scaling aspect: [{ aspectId, scaleLevel }]. */
  @Column({ type: 'jsonb', default: () => "'[]'" })
  scaleStatus: { aspectId: string; scaleLevel: number }[];

  /** ext-cpd id to the network it was attached to at instantiation. */
  @Column({ type: 'jsonb', default: () => "'{}'" })
  extCpBindings: Record<string, unknown>;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}

export enum VduInstanceState {
  PENDING = 'PENDING',
  PLACED = 'PLACED',
  BUILDING = 'BUILDING',
  ACTIVE = 'ACTIVE',
  STOPPED = 'STOPPED',
  ERROR = 'ERROR',
  DELETING = 'DELETING',
}

/** One VM of a VNF instance. Its libvirt domain and OvS port names derive from its id. */
@Entity('vdu_instances')
export class VduInstanceEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index()
  @Column({ type: 'uuid' })
  vnfInstanceId: string;

  @ManyToOne(() => VnfInstanceEntity, { onDelete: 'RESTRICT' })
  vnfInstance?: VnfInstanceEntity;

  @Column({ type: 'varchar', length: 255 })
  vduId: string;

  @Index()
  @Column({ type: 'uuid', nullable: true })
  hostId: string | null;

  @ManyToOne(() => HostEntity, { onDelete: 'RESTRICT' })
  host?: HostEntity;

  @Column({ type: 'int', nullable: true })
  numaCell: number | null;

  @Column({ type: 'enum', enum: VduInstanceState, enumName: 'vdu_instance_state', default: VduInstanceState.PENDING })
  state: VduInstanceState;

  @Column({ type: 'varchar', length: 255, nullable: true, unique: true })
  domainName: string | null;

  @Column({ type: 'uuid', nullable: true })
  domainUuid: string | null;

  /**
   * What libvirt last said of the domain (launch, then the worker's periodic sync): RUNNING, PAUSED,
   * SHUTOFF, CRASHED, ... with libvirt's reason ('unknown' for a guest a KVM internal error halted).
   * Null until launched; the lifecycle `state` stays the operator's view of what was asked for.
   */
  @Column({ type: 'varchar', length: 16, nullable: true })
  powerState: string | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  powerStateReason: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  powerStateAt: Date | null;

  /**
   * The descriptor's placement groups the VM was claimed in, by fleet-wide name
   * (`<vnf instance id>:<group id>`): written by claim_placements, read by the fleet picture and the
   * next claim's recheck.
   */
  @Column({ type: 'text', array: true, default: () => "'{}'" })
  affinityGroups: string[];

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  antiAffinityGroups: string[];

  /** OvS ports and VFs plumbed for this VM: [{ cpdId, extCpdId?, kind, name | pciAddress, bridge?, vlan? }]. */
  @Column({ type: 'jsonb', default: () => "'[]'" })
  ports: Record<string, unknown>[];

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
