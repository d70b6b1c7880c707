/**
 * What a VNF VM looks like to libvirt, as typed data. Identifiers (names, paths, addresses,
 * numbers) are restricted by libs/naming; the only free text is `metadata.vnfInstanceName` and
 * `metadata.vduId`, which are escaped into XML text and attribute values and nowhere else.
 */

/** 'kvm' on production hosts; 'qemu' (TCG) where there is no /dev/kvm, e.g. CI. */
export type DomainType = 'kvm' | 'qemu';

/** Guest vCPU `vcpu` runs only on host CPUs `cpus` (dedicated CPUs from placement). */
export interface VcpuPin {
  vcpu: number;
  cpus: number[];
}

/** A guest NUMA cell: which guest vCPUs and how much memory it has. */
export interface GuestNumaCell {
  id: number;
  vcpus: number[];
  memoryKib: number;
}

/**
 * Guest memory backing; either way it is mapped shared, because vhost-user lets OvS (another
 * process) read and write guest memory. `nodeset` lists guest NUMA cells the page size applies to.
 */
export type MemoryBacking = { kind: 'hugepages'; pageSizeKib: number; nodeset?: number[] } | { kind: 'memfd' };

export interface DiskSpec {
  /** Image on the host, e.g. /var/lib/vim/images/<vdu instance>.qcow2. */
  path: string;
  /** Guest device, `vda`…; virtio for `vd*`, SATA for `sd*`. */
  targetDev: string;
  format?: 'qcow2' | 'raw';
}

/** A virtio NIC whose packets go through OvS-DPDK: QEMU is the socket server, OvS the client. */
export interface VhostUserInterfaceSpec {
  type: 'vhostuser';
  socketPath: string;
  mode: 'server';
  mac?: string;
  /** virtio-net queue pairs (multiqueue). */
  queues?: number;
}

/** An SR-IOV VF passed into the guest; libvirt sets its MAC and VLAN on the PF (managed). */
export interface HostdevInterfaceSpec {
  type: 'hostdev';
  pciAddress: string;
  vlan?: number;
  mac?: string;
}

export type InterfaceSpec = VhostUserInterfaceSpec | HostdevInterfaceSpec;

/** Kept in the domain's namespaced metadata so a host's domains can be traced to their VNF. */
export interface DomainMetadata {
  vnfInstanceId: string;
  /** Free text (user-given), escaped; also the domain `<title>`. */
  vnfInstanceName: string;
  /** The descriptor's VDU id: free text as far as libvirt is concerned, escaped. */
  vduId: string;
}

export interface DomainSpec {
  /** `vim-<uuid>`: see domainNameFor in libs/naming; must match `uuid`. */
  name: string;
  /** The VDU instance id, also the libvirt domain UUID. */
  uuid: string;
  type: DomainType;
  /** QEMU machine type, e.g. `q35`; libvirt's default when left out. */
  machine?: string;
  /** Left out: libvirt's default CPU model. `host-passthrough` needs KVM. */
  cpuMode?: 'host-passthrough' | 'host-model' | 'maximum';
  /**
   * Features taken out of that CPU (`<feature policy='disable'>`), for hosts whose KVM offers a
   * feature it cannot deliver. Needs `cpuMode`: libvirt's default model is not the host's CPU.
   */
  disabledCpuFeatures?: string[];
  vcpus: number;
  vcpupin?: VcpuPin[];
  /** Host CPUs for QEMU's own threads, kept off the dedicated vCPU cores. */
  emulatorpin?: number[];
  memoryKib: number;
  /** Host NUMA nodes for guest memory, mode `strict`: the VM fails rather than get remote memory. */
  numatune?: { nodeset: number[] };
  guestNuma?: GuestNumaCell[];
  memoryBacking?: MemoryBacking;
  disks: DiskSpec[];
  /** A cloud-init NoCloud seed ISO, attached read-only as a SATA CD-ROM (`sda`). */
  cloudInitIso?: string;
  interfaces: InterfaceSpec[];
  /**
   * File on the host that keeps what the guest writes to its serial console. libvirt hands it to
   * virtlogd, which rotates it at its `max_size` (so it stays bounded); it starts empty at each start.
   */
  consoleLog?: string;
  metadata: DomainMetadata;
}

export const MAX_VCPUS = 512;
export const CLOUD_INIT_TARGET = 'sda';
