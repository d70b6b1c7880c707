import { Column, Entity, Index } from 'typeorm';
import { HostOwnedRow } from './host-owned.js';

/** What discovery found on a host. Rows are replaced as a whole on every refresh. */

@Entity('numa_cells')
@Index(['hostId', 'cellId'], { unique: true })
export class NumaCellEntity extends HostOwnedRow {
  @Column({ type: 'int' })
  cellId: number;

  @Column({ type: 'bigint', nullable: true })
  memoryKb: string | null;
}

@Entity('host_cpus')
@Index(['hostId', 'cpuId'], { unique: true })
export class HostCpuEntity extends HostOwnedRow {
  @Column({ type: 'int' })
  cpuId: number;

  @Column({ type: 'int' })
  numaCell: number;

  @Column({ type: 'int', nullable: true })
  coreId: number | null;

  @Column({ type: 'int', nullable: true })
  socketId: number | null;

  /** Hyper-thread siblings, for OSM's thread-policy. */
  @Column({ type: 'int', array: true, default: () => "'{}'" })
  siblings: number[];
}

@Entity('hugepage_pools')
@Index(['hostId', 'numaCell', 'pageSizeKb'], { unique: true })
export class HugepagePoolEntity extends HostOwnedRow {
  @Column({ type: 'int' })
  numaCell: number;

  @Column({ type: 'int' })
  pageSizeKb: number;

  @Column({ type: 'int' })
  total: number;

  @Column({ type: 'int' })
  free: number;
}

@Entity('pmd_cores')
@Index(['hostId', 'cpuId'], { unique: true })
export class PmdCoreEntity extends HostOwnedRow {
  @Column({ type: 'int' })
  cpuId: number;

  @Column({ type: 'int' })
  numaCell: number;
}
