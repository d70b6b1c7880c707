import { Column, Entity, Index, ManyToOne } from 'typeorm';
import { HostOwnedRow } from './host-owned.js';

/** An SR-IOV physical function found by discovery, with the physnet the operator mapped it to. */
@Entity('sriov_pfs')
@Index(['hostId', 'pciAddress'], { unique: true })
export class SriovPfEntity extends HostOwnedRow {
  @Column({ type: 'varchar', length: 32 })
  pciAddress: string;

  @Column({ type: 'varchar', length: 64, nullable: true })
  netdevName: string | null;

  @Column({ type: 'int', nullable: true })
  numaCell: number | null;

  @Column({ type: 'varchar', length: 63, nullable: true })
  physnet: string | null;
}

@Entity('sriov_vfs')
@Index(['hostId', 'pciAddress'], { unique: true })
export class SriovVfEntity extends HostOwnedRow {
  @Column({ type: 'uuid' })
  pfId: string;

  @ManyToOne(() => SriovPfEntity, { onDelete: 'CASCADE' })
  pf?: SriovPfEntity;

  @Column({ type: 'varchar', length: 32 })
  pciAddress: string;

  @Column({ type: 'int', nullable: true })
  vfIndex: number | null;

  @Column({ type: 'int', nullable: true })
  numaCell: number | null;
}
