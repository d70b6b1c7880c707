import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * One mutating API call: who (token, role), for which tenant, what (method and path), when,
 * and how it ended. Kept without foreign keys so that the record outlives what it names.
 */
@Entity('audit_events')
@Index(['tenantId', 'at'])
export class AuditEventEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @CreateDateColumn({ type: 'timestamptz' })
  at: Date;

  @Column({ type: 'uuid', nullable: true })
  tenantId: string | null;

  @Column({ type: 'uuid', nullable: true })
  tokenId: string | null;

  @Column({ type: 'varchar', length: 16, nullable: true })
  role: string | null;

  @Column({ type: 'varchar', length: 8 })
  method: string;

  @Column({ type: 'varchar', length: 2048 })
  path: string;

  @Column({ type: 'int' })
  status: number;

  @Column({ type: 'varchar', length: 64, nullable: true })
  requestId: string | null;
}
