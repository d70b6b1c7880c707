import { Column, CreateDateColumn, Entity, Index, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { TenantEntity } from './tenant.entity.js';

/** CREATE, UPDATE and DELETE come from the API; REPAIR is the worker's own re-installation. */
export enum ChainOperation {
  CREATE = 'CREATE',
  UPDATE = 'UPDATE',
  DELETE = 'DELETE',
  REPAIR = 'REPAIR',
}

export enum ChainOperationState {
  STARTING = 'STARTING',
  PROCESSING = 'PROCESSING',
  COMPLETED = 'COMPLETED',
  FAILED = 'FAILED',
}

/**
 * One change to a chain's rules. No foreign key to the chain: the operation that deleted a chain
 * stays readable after the chain is gone. One unfinished operation per chain at a time, so two
 * changes cannot interleave.
 */
@Entity('chain_op_occs')
@Index('uq_chain_op_occs_one_active_per_chain', ['chainId'], {
  unique: true,
  where: `"operationState" IN ('STARTING', 'PROCESSING')`,
})
export class ChainOpOccEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index()
  @Column({ type: 'uuid' })
  tenantId: string;

  @ManyToOne(() => TenantEntity, { onDelete: 'RESTRICT' })
  tenant?: TenantEntity;

  @Index()
  @Column({ type: 'uuid' })
  chainId: string;

  @Column({ type: 'varchar', length: 63 })
  chainName: string;

  @Column({ type: 'enum', enum: ChainOperation, enumName: 'chain_operation' })
  operation: ChainOperation;

  @Column({ type: 'enum', enum: ChainOperationState, enumName: 'chain_operation_state', default: ChainOperationState.STARTING })
  operationState: ChainOperationState;

  @Column({ type: 'boolean', default: false })
  isAutomaticInvocation: boolean;

  /** What was asked (the chain or the change), or for REPAIR why the worker acted. */
  @Column({ type: 'jsonb', default: () => "'{}'" })
  operationParams: Record<string, unknown>;

  /** RFC 7807 problem details when the operation failed. */
  @Column({ type: 'jsonb', nullable: true })
  error: Record<string, unknown> | null;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  startTime: Date;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  stateEnteredTime: Date;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
