import { Column, CreateDateColumn, Entity, Index, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { TenantEntity } from './tenant.entity.js';

/**
 * Strongest first. A platform administrator runs the platform (hosts, tenants, every tenant's
 * tokens and audit trail); an admin runs its own tenant (its tokens and audit trail).
 */
export enum Role {
  PLATFORM_ADMIN = 'platform-admin',
  ADMIN = 'admin',
  OPERATOR = 'operator',
  VIEWER = 'viewer',
}

/**
 * An API token. Only a SHA-256 of the secret is kept: the secret has 256 random bits, so a
 * slow password hash would add nothing but latency to every request.
 */
@Entity('api_tokens')
export class ApiTokenEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index()
  @Column({ type: 'uuid' })
  tenantId: string;

  @ManyToOne(() => TenantEntity, { onDelete: 'CASCADE' })
  tenant?: TenantEntity;

  @Column({ type: 'varchar', length: 63 })
  name: string;

  @Column({ type: 'enum', enum: Role, enumName: 'role' })
  role: Role;

  @Column({ type: 'char', length: 64, unique: true })
  secretHash: string;

  @Column({ type: 'timestamptz', nullable: true })
  expiresAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  revokedAt: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
