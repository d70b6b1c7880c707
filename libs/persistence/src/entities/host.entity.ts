import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export enum HostReachability {
  UP = 'UP',
  DOWN = 'DOWN',
}

/**
 * A compute host: a libvirt URI plus an OVSDB remote. The state users see is DISABLED when
 * an operator disabled it, otherwise what the last discovery found (UP or DOWN); the two
 * are kept apart so that a successful discovery never re-enables a disabled host.
 */
export const VIRT_TYPES = ['auto', 'kvm', 'qemu'] as const;
export type VirtType = (typeof VIRT_TYPES)[number];

@Entity('hosts')
export class HostEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 63, unique: true })
  name: string;

  @Column({ type: 'varchar', length: 1024 })
  libvirtUri: string;

  @Column({ type: 'varchar', length: 1024 })
  ovsdbRemote: string;

  @Column({ type: 'boolean', default: true })
  enabled: boolean;

  @Column({ type: 'enum', enum: HostReachability, enumName: 'host_reachability', default: HostReachability.DOWN })
  reachability: HostReachability;

  /** SR-IOV PF (netdev name or PCI address) to physical network label. */
  @Column({ type: 'jsonb', default: () => "'{}'" })
  physnets: Record<string, string>;

  /** CPU ids kept for the host OS; never given to a VM. */
  @Column({ type: 'int', array: true, default: () => "'{}'" })
  reservedCpus: number[];

  /** How many vhost-user rx queues one PMD core serves. */
  @Column({ type: 'int', default: 4 })
  pmdQueueCapacity: number;

  @Column({ type: 'boolean', nullable: true })
  dpdkInitialized: boolean | null;

  @Column({ type: 'varchar', array: true, default: () => "'{}'" })
  netdevBridges: string[];

  /**
   * Whether this host's OvS-DPDK can carry packets on vhost-user ports (it can make packet-buffer
   * pools), from the last discovery; null when nobody looked (ovs-vswitchd on another machine).
   */
  @Column({ type: 'boolean', nullable: true })
  vhostUserReady: boolean | null;

  /** Why vhostUserReady is false (or null): what discovery found. */
  @Column({ type: 'text', nullable: true })
  vhostUserProblem: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  lastDiscoveredAt: Date | null;

  @Column({ type: 'text', nullable: true })
  lastDiscoveryError: string | null;

  /** Where this host's vhost-user sockets live (QEMU serves them, OvS connects). */
  @Column({ type: 'varchar', length: 1024, default: '/var/run/vim-lite/vhost' })
  vhostSocketDir: string;

  /** This host's image folder: base images by name, and the VMs' qcow2 overlays under `instances/`. */
  @Column({ type: 'varchar', length: 1024, default: '/var/lib/vim-lite/images' })
  imageDir: string;

  /**
   * CPU features taken out of this host's KVM guests (host-passthrough): for a KVM that offers a
   * feature it cannot deliver, as nested KVM does with arch-capabilities on some clouds.
   */
  @Column({ type: 'varchar', array: true, default: () => "'{}'" })
  disabledCpuFeatures: string[];

  /**
   * The libvirt domain type of this host's VMs, as Nova's `[libvirt] virt_type`: `auto` takes kvm
   * where libvirt offers it; `qemu` (TCG) for a KVM that libvirt offers but that cannot run guests.
   */
  @Column({ type: 'enum', enum: VIRT_TYPES, enumName: 'virt_type', default: 'auto' })
  virtType: VirtType;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  /** Indexed: workers look for hosts registered or changed since their last look, every 500 ms (FleetCache). */
  @Index()
  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
