import { Column, CreateDateColumn, Entity, Generated, Index, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { TenantEntity } from './tenant.entity.js';
import { VnfInstanceEntity } from './vnf-instance.entity.js';

export enum ChainState {
  PENDING = 'PENDING',
  ACTIVE = 'ACTIVE',
  FAILED = 'FAILED',
  DELETING = 'DELETING',
}

/** An ordered list of hops plus a classifier, steered with OpenFlow under its own cookie. */
@Entity('service_chains')
@Index(['tenantId', 'name'], { unique: true })
export class ServiceChainEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  tenantId: string;

  @ManyToOne(() => TenantEntity, { onDelete: 'RESTRICT' })
  tenant?: TenantEntity;

  @Column({ type: 'varchar', length: 63 })
  name: string;

  @Column({ type: 'text', nullable: true })
  description: string | null;

  /** Match fields of the traffic that enters the chain (e.g. { ipProto, tcpDst, ingressPort }). */
  @Column({ type: 'jsonb', default: () => "'{}'" })
  classifier: Record<string, unknown>;

  @Column({ type: 'enum', enum: ChainState, enumName: 'chain_state', default: ChainState.PENDING })
  state: ChainState;

  /** OpenFlow cookie that marks every rule of this chain; unique so a chain's rules can be swapped alone. */
  @Column({ type: 'bigint', unique: true })
  @Generated('increment')
  cookie: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}

@Entity('chain_hops')
@Index(['chainId', 'position'], { unique: true })
export class ChainHopEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  chainId: string;

  @ManyToOne(() => ServiceChainEntity, { onDelete: 'CASCADE' })
  chain?: ServiceChainEntity;

  @Column({ type: 'int' })
  position: number;

  @Index()
  @Column({ type: 'uuid' })
  vnfInstanceId: string;

  @ManyToOne(() => VnfInstanceEntity, { onDelete: 'RESTRICT' })
  vnfInstance?: VnfInstanceEntity;

  @Column({ type: 'varchar', length: 255 })
  ingressCp: string;

  @Column({ type: 'varchar', length: 255 })
  egressCp: string;
}
