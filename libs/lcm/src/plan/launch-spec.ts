import type { DomainSpec, DomainType, HostdevInterfaceSpec, InterfaceSpec, MemoryBacking } from '#vim/libvirt';
import { assertHostPath, domainNameFor, vhostUserPortName } from '#vim/naming';
import { ownerExternalIds, type VhostUserClientPortSpec } from '#vim/ovs';
import type { Placement } from '#vim/placement';
import { portMac } from './mac.js';
import type { PlannedPort, PlannedVm } from './vm-plan.js';

export interface HostFacts {
  name: string;
  domainType: DomainType;
  vhostSocketDir: string;
  imageDir: string;
  /** Taken out of the guest CPU under KVM (host-passthrough); TCG's default model is not the host's. */
  disabledCpuFeatures: string[];
}

export interface LaunchSpec {
  domain: DomainSpec;
  /** In port order; empty when the VM has no vhost-user port. */
  ports: VhostUserClientPortSpec[];
  /** A qcow2 overlay on the VDU's base image, when the VDU has an image. */
  overlay?: { basePath: string; path: string; baseFormat: 'qcow2' | 'raw' };
  /** A NoCloud seed ISO, when the VDU has cloud-init. */
  cloudInit?: { isoPath: string; userData: string; metaData: string };
}

export interface LaunchIds {
  vnfInstanceId: string;
  vnfInstanceName: string;
  vduInstanceId: string;
}

/** One port as the guest sees it, and the OvS side of it for a vhost-user port. */
interface Nic {
  guest: InterfaceSpec;
  ovs?: VhostUserClientPortSpec;
}

type ComputeSpec = Pick<
  DomainSpec,
  'type' | 'machine' | 'cpuMode' | 'disabledCpuFeatures' | 'vcpus' | 'vcpupin' | 'emulatorpin' | 'memoryKib' | 'numatune' | 'guestNuma' | 'memoryBacking'
>;

/**
 * What libvirt and OvS must be told to start one planned VM on the host placement chose. Pure:
 * the worker creates the overlay and seed ISO, the ports, then defines the domain. Throws when
 * the placement was not made for this VM, or a descriptor-derived path breaks the naming rules.
 */
export function launchSpec(vm: PlannedVm, ids: LaunchIds, placement: Placement, host: HostFacts): LaunchSpec {
  assertPlacementFits(vm, placement, host.name);
  const slots = kindSlots(vm.ports);
  const nics = vm.ports.map((port, i) => nicFor(port, slots[i]!, ids, placement, host));
  const overlay = vm.image && overlayFor(vm.image, ids.vduInstanceId, host.imageDir);
  const cloudInit = vm.cloudInit === undefined ? undefined : cloudInitFor(vm, vm.cloudInit, ids.vduInstanceId, host.imageDir);
  const domain: DomainSpec = {
    name: domainNameFor(ids.vduInstanceId),
    uuid: ids.vduInstanceId,
    ...computeSpec(vm, placement, host),
    disks: overlay === undefined ? [] : [{ path: overlay.path, targetDev: 'vda', format: 'qcow2' }],
    interfaces: nics.map((nic) => nic.guest),
    consoleLog: consoleLogPath(host.imageDir, ids.vduInstanceId),
    metadata: { vnfInstanceId: ids.vnfInstanceId, vnfInstanceName: ids.vnfInstanceName, vduId: vm.vduId },
  };
  if (cloudInit !== undefined) domain.cloudInitIso = cloudInit.isoPath;
  const spec: LaunchSpec = { domain, ports: nics.flatMap((nic) => (nic.ovs === undefined ? [] : [nic.ovs])) };
  if (overlay !== undefined) spec.overlay = overlay;
  if (cloudInit !== undefined) spec.cloudInit = cloudInit;
  return spec;
}

/**
 * Placement answers one request; a placement for another VM is a caller's mix-up, refused before
 * it reaches a host. Counted from the ports, as those are what the PMD queues and VFs are wired to.
 */
function assertPlacementFits(vm: PlannedVm, placement: Placement, hostName: string): void {
  const { vcpus, cpuPolicy } = vm.request;
  const vhostUser = vm.ports.filter((p) => p.kind === 'vhostuser').length;
  const wanted = vm.ports.flatMap((p) => (p.kind === 'sriov' ? [p.physnet] : [])).join(', ');
  const placed = placement.vfs.map((vf) => vf.physnet).join(', ');
  const problems: string[] = [];
  if (cpuPolicy === 'dedicated' && placement.cpus.length !== vcpus) problems.push(`${placement.cpus.length} dedicated CPUs for ${vcpus} vCPUs`);
  if (placement.pmdQueues.length !== vhostUser) problems.push(`${placement.pmdQueues.length} PMD queues for ${vhostUser} vhost-user ports`);
  if (placed !== wanted) problems.push(`VFs on [${placed}] for SR-IOV ports on [${wanted}]`);
  if (problems.length > 0) throw new Error(`placement on host ${hostName} does not fit vdu '${vm.vduId}' #${vm.ordinal}: ${problems.join('; ')}`);
}

/** Each port's rank among the ports of its kind: placement lists PMD queues and VFs that way. */
function kindSlots(ports: readonly PlannedPort[]): number[] {
  const next = { vhostuser: 0, sriov: 0 };
  return ports.map((port) => next[port.kind]++);
}

function nicFor(port: PlannedPort, slot: number, ids: LaunchIds, placement: Placement, host: HostFacts): Nic {
  const mac = portMac(ids.vduInstanceId, port.index);
  if (port.kind === 'sriov') {
    // libvirt programs the MAC and VLAN on the VF through its PF (managed hostdev).
    const guest: HostdevInterfaceSpec = { type: 'hostdev', pciAddress: placement.vfs[slot]!.pciAddress, mac };
    if (port.vlan !== undefined) guest.vlan = port.vlan;
    return { guest };
  }
  const name = vhostUserPortName(ids.vduInstanceId, port.index);
  const socketPath = `${host.vhostSocketDir}/${name}.sock`;
  const ovs: VhostUserClientPortSpec = {
    bridge: port.bridge as string,
    name,
    socketPath,
    // A single queue pair per port: its one rx queue goes to the PMD core whose slot placement claimed.
    rxqAffinity: [{ queue: 0, core: placement.pmdQueues[slot]!.cpuId }],
    externalIds: { ...ownerExternalIds(ids.vnfInstanceId, ids.vduInstanceId), 'iface-id': name, 'attached-mac': mac },
  };
  if (port.vlan !== undefined) ovs.vlanTag = port.vlan;
  return { guest: { type: 'vhostuser', socketPath, mode: 'server', mac }, ovs };
}

/**
 * CPUs and memory, all on the one host cell placement chose, shown to the guest as one NUMA cell.
 * q35 rather than libvirt's i440fx default: PCIe for VFs and many NICs, and SATA for the seed
 * CD-ROM. host-passthrough on KVM because DPDK in the guest wants the host's instruction set;
 * TCG cannot pass a CPU through, so 'qemu' keeps libvirt's default model.
 */
function computeSpec(vm: PlannedVm, placement: Placement, host: HostFacts): ComputeSpec {
  const type = host.domainType;
  const { vcpus, cpuPolicy } = vm.request;
  const hugepages = placement.hugepages;
  // Hugepage-backed memory is what placement claimed: whole pages, the guest size rounded up.
  const memoryKib = hugepages === undefined ? placement.memoryMb * 1024 : hugepages.count * hugepages.pageSizeKb;
  // Either way guest memory is shared: vhost-user lets OvS read and write it.
  const memoryBacking: MemoryBacking =
    hugepages === undefined ? { kind: 'memfd' } : { kind: 'hugepages', pageSizeKib: hugepages.pageSizeKb, nodeset: [0] };
  const spec: ComputeSpec = {
    type,
    machine: 'q35',
    vcpus,
    memoryKib,
    numatune: { nodeset: [placement.cellId] },
    guestNuma: [{ id: 0, vcpus: Array.from({ length: vcpus }, (_, i) => i), memoryKib }],
    memoryBacking,
  };
  if (type === 'kvm') {
    spec.cpuMode = 'host-passthrough';
    if (host.disabledCpuFeatures.length > 0) spec.disabledCpuFeatures = [...host.disabledCpuFeatures];
  }
  if (cpuPolicy === 'dedicated') {
    spec.vcpupin = placement.cpus.map((cpu, vcpu) => ({ vcpu, cpus: [cpu] }));
    // QEMU's own threads share the VM's dedicated CPUs rather than float over other tenants' cores.
    spec.emulatorpin = [...placement.cpus];
  }
  return spec;
}

/** The base path is checked here: the domain names only the overlay, so checkDomainSpec never sees it. */
function overlayFor(image: NonNullable<PlannedVm['image']>, vduInstanceId: string, imageDir: string): NonNullable<LaunchSpec['overlay']> {
  return {
    basePath: assertHostPath(`${imageDir}/${image.name}`),
    path: `${imageDir}/instances/${vduInstanceId}.qcow2`,
    baseFormat: image.format,
  };
}

/**
 * Where a VM's serial console is kept: beside its overlay and seed, so terminate and rollback
 * remove it with them, and the api can read it where the worker's image folder is reachable.
 */
export function consoleLogPath(imageDir: string, vduInstanceId: string): string {
  return assertHostPath(`${imageDir}/instances/${vduInstanceId}-console.log`);
}

/** instance-id is the VDU instance, so cloud-init runs its once-per-instance steps once per VM, not once per boot. */
function cloudInitFor(vm: PlannedVm, userData: string, vduInstanceId: string, imageDir: string): NonNullable<LaunchSpec['cloudInit']> {
  return {
    isoPath: `${imageDir}/instances/${vduInstanceId}-cidata.iso`,
    userData,
    // JSON strings are YAML double-quoted scalars, so no value can read as a number, date or boolean.
    metaData: `instance-id: ${JSON.stringify(vduInstanceId)}\nlocal-hostname: ${JSON.stringify(hostnameFor(vm))}\n`,
  };
}

/** A DNS label (RFC 1123) from the VDU id and ordinal, e.g. `fw-0`. */
function hostnameFor(vm: Pick<PlannedVm, 'vduId' | 'ordinal'>): string {
  const suffix = `-${vm.ordinal}`;
  const base = vm.vduId.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+/, '').slice(0, 63 - suffix.length).replace(/-+$/, '');
  return (base || 'vdu') + suffix;
}
