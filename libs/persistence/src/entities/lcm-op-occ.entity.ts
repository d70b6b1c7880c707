import { Column, CreateDateColumn, Entity, Index, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { TenantEntity } from './tenant.entity.js';
import { VnfInstanceEntity } from './vnf-instance.entity.js';

export enum LcmOperation {
  INSTANTIATE = 'INSTANTIATE',
  SCALE = 'SCALE',
  SCALE_TO_LEVEL = 'SCALE_TO_LEVEL',
  HEAL = 'HEAL',
  TERMINATE = 'TERMINATE',
}

export enum LcmOperationState {
  STARTING = 'STARTING',
  PROCESSING = 'PROCESSING',
  COMPLETED = 'COMPLETED',
  FAILED_TEMP = 'FAILED_TEMP',
  ROLLING_BACK = 'ROLLING_BACK',
  ROLLED_BACK = 'ROLLED_BACK',
  FAILED = 'FAILED',
}

/**
 * A lifecycle operation occurrence (SOL003 VnfLcmOpOcc). The partial unique index allows one
 * unfinished operation per instance, so two concurrent requests cannot both start one.
 */
@Entity('lcm_op_occs')
@Index('uq_lcm_op_occs_one_active_per_instance', ['vnfInstanceId'], {
  unique: true,
  where: `"operationState" IN ('STARTING', 'PROCESSING', 'FAILED_TEMP', 'ROLLING_BACK')`,
})
export class LcmOpOccEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index()
  @Column({ type: 'uuid' })
  tenantId: string;

  @ManyToOne(() => TenantEntity, { onDelete: 'RESTRICT' })
  tenant?: TenantEntity;

  @Column({ type: 'uuid' })
  vnfInstanceId: string;

  @ManyToOne(() => VnfInstanceEntity, { onDelete: 'CASCADE' })
  vnfInstance?: VnfInstanceEntity;

  @Column({ type: 'enum', enum: LcmOperation, enumName: 'lcm_operation' })
  operation: LcmOperation;

  @Column({ type: 'enum', enum: LcmOperationState, enumName: 'lcm_operation_state', default: LcmOperationState.STARTING })
  operationState: LcmOperationState;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  stateEnteredTime: Date;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  startTime: Date;

  @Column({ type: 'boolean', default: false })
  isAutomaticInvocation: boolean;

  @Column({ type: 'boolean', default: false })
  isCancelPending: boolean;

  @Column({ type: 'jsonb', default: () => "'{}'" })
  operationParams: Record<string, unknown>;

  /** The pipeline step the operation reached, so a restarted worker resumes there. */
  @Column({ type: 'varchar', length: 64, nullable: true })
  currentStep: string | null;

  /** RFC 7807 problem details when the operation failed. */
  @Column({ type: 'jsonb', nullable: true })
  error: Record<string, unknown> | null;

  /**
   * Where the time went, in ms: per step, and in driver calls (libvirt, OVSDB), so the
   * orchestration's own overhead can be told from the hypervisor's work.
   */
  @Column({ type: 'jsonb', default: () => "'{}'" })
  timings: { steps?: Record<string, number>; libvirtMs?: number; ovsdbMs?: number };

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
