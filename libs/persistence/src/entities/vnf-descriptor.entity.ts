import { Column, CreateDateColumn, Entity, Index, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { TenantEntity } from './tenant.entity.js';

export enum OperationalState {
  ENABLED = 'ENABLED',
  DISABLED = 'DISABLED',
}

export enum DocumentFormat {
  JSON = 'json',
  YAML = 'yaml',
}

/**
 * An onboarded VNFD. `original` keeps the submitted text byte for byte (comments, field
 * order, fields we do not model); `model` is the normalised form the orchestrator works with.
 */
@Entity('vnf_descriptors')
@Index('uq_vnf_descriptors_tenant_vnfd_version', ['tenantId', 'vnfdId', 'version'], { unique: true })
export class VnfDescriptorEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  tenantId: string;

  @ManyToOne(() => TenantEntity, { onDelete: 'RESTRICT' })
  tenant?: TenantEntity;

  @Column({ type: 'varchar', length: 255 })
  vnfdId: string;

  /** Mandatory in SOL006, so (vnfdId, version) always identifies a descriptor. */
  @Column({ type: 'varchar', length: 255 })
  version: string;

  @Index()
  @Column({ type: 'varchar', length: 255, nullable: true })
  provider: string | null;

  @Index()
  @Column({ type: 'varchar', length: 255 })
  productName: string;

  @Column({ type: 'varchar', length: 255, nullable: true })
  softwareVersion: string | null;

  @Column({ type: 'text', nullable: true })
  description: string | null;

  @Column({ type: 'enum', enum: OperationalState, enumName: 'operational_state', default: OperationalState.ENABLED })
  operationalState: OperationalState;

  @Column({ type: 'jsonb' })
  model: Record<string, unknown>;

  @Column({ type: 'text' })
  original: string;

  @Column({ type: 'enum', enum: DocumentFormat, enumName: 'document_format' })
  originalFormat: DocumentFormat;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
