import { Column, CreateDateColumn, Entity, Index, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { HostEntity } from './host.entity.js';
import { VduInstanceEntity } from './vnf-instance.entity.js';

export enum ClaimKind {
  CPU = 'CPU',
  VF = 'VF',
  PMD_QUEUE = 'PMD_QUEUE',
  HUGEPAGES = 'HUGEPAGES',
  MEMORY = 'MEMORY',
}

/**
 * A concrete resource given to one VM. For the exclusive kinds the key names the resource
 * (CPU id, VF PCI address, "pmdCpu/slot") and the partial unique index below is what makes two
 * concurrent workers unable to hand the same one out twice. Memory is counted, not named:
 * hugepages have the key "cell/pageSizeKb" and `amount` in pages, small-page memory the key
 * "cell" and `amount` in MiB; claiming those holds the host row's lock (see placement-store).
 */
@Entity('resource_claims')
@Index('uq_resource_claims_exclusive', ['hostId', 'kind', 'resourceKey'], {
  unique: true,
  where: `"kind" IN ('CPU', 'VF', 'PMD_QUEUE')`,
})
// All kinds: the claim's memory sums and the snapshot reads look up one host's claims, and the
// partial index above cannot serve a query that does not name its kinds.
@Index('idx_resource_claims_host', ['hostId', 'kind', 'resourceKey'])
export class ResourceClaimEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  hostId: string;

  @ManyToOne(() => HostEntity, { onDelete: 'RESTRICT' })
  host?: HostEntity;

  @Index()
  @Column({ type: 'uuid' })
  vduInstanceId: string;

  @ManyToOne(() => VduInstanceEntity, { onDelete: 'CASCADE' })
  vduInstance?: VduInstanceEntity;

  @Column({ type: 'enum', enum: ClaimKind, enumName: 'claim_kind' })
  kind: ClaimKind;

  @Column({ type: 'varchar', length: 64 })
  resourceKey: string;

  @Column({ type: 'int', nullable: true })
  numaCell: number | null;

  @Column({ type: 'int', default: 1 })
  amount: number;

  /** For PMD queue slots and VFs: which of the VM's ports (in descriptor order) it serves. */
  @Column({ type: 'int', nullable: true })
  portIndex: number | null;

  /** Indexed: workers read the claims made since their last look, every 500 ms (FleetCache). */
  @Index()
  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
