import { Column, CreateDateColumn, Entity, Generated, Index, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { TenantEntity } from './tenant.entity.js';
import { VnfInstanceEntity } from './vnf-instance.entity.js';

/**
 * PENDING until the first installation; ACTIVE when every hop has a live instance; DEGRADED while
 * a hop has none (its failMode decides what the traffic does); ERROR when the chain could not be
 * steered as it stands (stateReason says why); DELETING while its flows are being removed.
 */
export enum ChainState {
  PENDING = 'PENDING',
  ACTIVE = 'ACTIVE',
  DEGRADED = 'DEGRADED',
  ERROR = 'ERROR',
  DELETING = 'DELETING',
}

/** Where a chain's rules are: one bridge of one host, at one generation. */
export interface InstalledRules {
  host: string;
  bridge: string;
  generation: number;
}

/** Flow counters of one hop instance, read from the switch: what left it on its egress port. */
export interface HopInstanceCounters {
  vnfInstanceId: string;
  live: boolean;
  packets: number;
  bytes: number;
}

/** The counters the worker last read, by hop, and what entered the chain at its ingress. */
export interface ChainCounters {
  ingress: { packets: number; bytes: number };
  hops: { instances: HopInstanceCounters[] }[];
  at: string;
}

/**
 * A service chain (libs/chains): the chain as accepted (`spec`) plus what the worker made of it.
 * Every rule carries the chain's cookie in its high bits and the generation in its low 16.
 */
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

  /** The chain as libs/chains models it (ServiceChain), as last accepted by the API. */
  @Column({ type: 'jsonb' })
  spec: Record<string, unknown>;

  @Column({ type: 'enum', enum: ChainState, enumName: 'chain_state', default: ChainState.PENDING })
  state: ChainState;

  @Column({ type: 'text', nullable: true })
  stateReason: string | null;

  /** OpenFlow cookie that marks every rule of this chain; unique so a chain's rules can be swapped alone. */
  @Column({ type: 'bigint', unique: true })
  @Generated('increment')
  cookie: string;

  /** The generation of the rules installed last (0: none yet); the next installation uses the next one. */
  @Column({ type: 'int', default: 0 })
  generation: number;

  @Column({ type: 'jsonb', default: () => "'[]'" })
  installed: InstalledRules[];

  /**
   * The ports (ChainFacts) the installed rules were rendered from: a hop instance that is gone
   * keeps its last ports here, so the chain can still be rendered around it (failMode).
   */
  @Column({ type: 'jsonb', nullable: true })
  facts: Record<string, unknown> | null;

  @Column({ type: 'jsonb', nullable: true })
  counters: ChainCounters | null;

  /** REPAIR operations: the worker reinstalled the rules by itself (an instance changed, or the switch drifted). */
  @Column({ type: 'int', default: 0 })
  repairs: number;

  @Column({ type: 'timestamptz', nullable: true })
  lastRepairAt: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}

/**
 * The instances a chain crosses, one row per hop instance: derived from `spec` in the same
 * transaction, so "which chains go through this instance" is one indexed query, and an instance
 * cannot be deleted while a chain names it.
 */
@Entity('chain_hops')
@Index(['chainId', 'position', 'vnfInstanceId'], { unique: true })
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
