import {
  checkCpuFeature, checkCpuList, checkDiskTarget, checkDomainName, checkFreeText, checkHostPath, checkInteger, checkMacAddress, checkMachineType,
  checkMemoryKib, checkNumaNodeList, checkPageSizeKib, checkPciAddress, checkQueueCount, checkSocketPath, checkUuid, checkVlanId,
  DOMAIN_NAME_PREFIX, formatIdSet, type PciAddress, parsePciAddress, Problems,
} from '#vim/naming';
import { CLOUD_INIT_TARGET, type DomainMetadata, type DomainSpec, MAX_VCPUS } from './domain-spec.js';

/**
 * The spec after every rule passed, in the form the XML needs (cpusets as `0-2,5`, PCI
 * addresses as numbers). The builder only ever reads this, so nothing unchecked reaches the XML.
 */
export interface CheckedDomain {
  name: string;
  uuid: string;
  type: 'kvm' | 'qemu';
  machine?: string;
  cpuMode?: string;
  disabledCpuFeatures: string[];
  vcpus: number;
  vcpupin: { vcpu: number; cpuset: string }[];
  emulatorpin?: string;
  memoryKib: number;
  numatuneNodeset?: string;
  guestNuma: { id: number; cpus: string; memoryKib: number }[];
  memoryBacking?: { kind: 'hugepages'; pageSizeKib: number; nodeset?: string } | { kind: 'memfd' };
  disks: { path: string; targetDev: string; format: 'qcow2' | 'raw' }[];
  cloudInitIso?: string;
  consoleLog?: string;
  interfaces: ({ type: 'vhostuser'; socketPath: string; mac?: string; queues?: number } | { type: 'hostdev'; pci: PciAddress; vlan?: number; mac?: string })[];
  metadata: DomainMetadata;
}

type Path = (string | number)[];

const list = <T>(p: Problems, path: Path, value: unknown): T[] => {
  if (value === undefined) return [];
  if (Array.isArray(value)) return value as T[];
  p.add(path, 'must be an array');
  return [];
};

function oneOf<T extends string>(p: Problems, path: Path, value: unknown, allowed: readonly T[]): T | undefined {
  if (allowed.includes(value as T)) return value as T;
  p.add(path, `must be one of ${allowed.join(', ')}`);
  return undefined;
}

const optional = <T>(value: unknown, check: () => T | undefined): T | undefined => (value === undefined ? undefined : check());

/** Reports a value used twice in one domain (two NICs on one socket or VF, two disks on one target). */
function unique(p: Problems, seen: Map<string, string>, key: string | undefined, path: Path, what: string): void {
  if (key === undefined) return;
  const first = seen.get(key);
  if (first !== undefined) p.add(path, `${what} ${key} is already used at ${first}`);
  else seen.set(key, '/' + path.join('/'));
}

function checkMemory(p: Problems, spec: DomainSpec, vcpus: number | undefined, memoryKib: number | undefined) {
  const mb = spec.memoryBacking as Record<string, unknown> | undefined;
  const kind = optional(mb, () => oneOf(p, ['memoryBacking', 'kind'], mb?.kind, ['hugepages', 'memfd'] as const));
  const pageSizeKib = kind === 'hugepages' ? p.take(['memoryBacking', 'pageSizeKib'], checkPageSizeKib(mb?.pageSizeKib)) : undefined;
  const multiple = (path: Path, kib: number | undefined) => {
    if (pageSizeKib && kib !== undefined && kib % pageSizeKib !== 0) p.add(path, `${kib} KiB is not a whole number of ${pageSizeKib} KiB pages`);
  };
  multiple(['memoryKib'], memoryKib);

  const cells = list<Record<string, unknown>>(p, ['guestNuma'], spec.guestNuma).map((cell, i) => {
    const at: Path = ['guestNuma', i];
    if (cell?.id !== i) p.add([...at, 'id'], `cells must be numbered 0..n-1 in order; expected ${i}`);
    const cpus = p.take([...at, 'vcpus'], checkCpuList(cell?.vcpus));
    const kib = p.take([...at, 'memoryKib'], checkMemoryKib(cell?.memoryKib));
    multiple([...at, 'memoryKib'], kib);
    return { id: i, cpus, memoryKib: kib };
  });
  if (cells.length > 0 && vcpus !== undefined && memoryKib !== undefined) {
    const assigned = cells.flatMap((c) => c.cpus ?? []).sort((a, b) => a - b);
    if (assigned.join() !== Array.from({ length: vcpus }, (_, i) => i).join()) {
      p.add(['guestNuma'], `the cells' vcpus must list each of 0..${vcpus - 1} exactly once`);
    }
    const total = cells.reduce((sum, c) => sum + (c.memoryKib ?? 0), 0);
    if (total !== memoryKib) p.add(['guestNuma'], `the cells' memory adds up to ${total} KiB, not memoryKib ${memoryKib}`);
  }

  let nodeset: string | undefined;
  if (kind === 'hugepages' && mb?.nodeset !== undefined) {
    const nodes = p.take(['memoryBacking', 'nodeset'], checkNumaNodeList(mb.nodeset));
    const missing = nodes?.filter((n) => n >= cells.length);
    if (missing?.length) p.add(['memoryBacking', 'nodeset'], `guest NUMA cell ${missing.join(', ')} is not in guestNuma`);
    nodeset = nodes && formatIdSet(nodes);
  }
  const backing = kind === 'hugepages' ? { kind, pageSizeKib: pageSizeKib ?? 0, nodeset } : kind === 'memfd' ? { kind } : undefined;
  const guestNuma = cells.map((c) => ({ id: c.id, cpus: formatIdSet(c.cpus ?? []), memoryKib: c.memoryKib ?? 0 }));
  return { memoryBacking: backing, guestNuma };
}

function checkInterfaces(p: Problems, spec: DomainSpec, hasSharedMemory: boolean): CheckedDomain['interfaces'] {
  const seen = new Map<string, string>();
  return list<Record<string, unknown>>(p, ['interfaces'], spec.interfaces).flatMap((nic, i): CheckedDomain['interfaces'] => {
    const at: Path = ['interfaces', i];
    const type = oneOf(p, [...at, 'type'], nic?.type, ['vhostuser', 'hostdev'] as const);
    const mac = optional(nic?.mac, () => p.take([...at, 'mac'], checkMacAddress(nic.mac)));
    unique(p, seen, mac, [...at, 'mac'], 'MAC');
    if (type === 'vhostuser') {
      const socketPath = p.take([...at, 'socketPath'], checkSocketPath(nic.socketPath));
      unique(p, seen, socketPath, [...at, 'socketPath'], 'socket');
      if (nic.mode !== 'server') p.add([...at, 'mode'], "must be 'server' (QEMU serves the socket, OvS connects as dpdkvhostuserclient)");
      const queues = optional(nic.queues, () => p.take([...at, 'queues'], checkQueueCount(nic.queues)));
      if (!hasSharedMemory) p.add([...at], 'vhost-user needs shared guest memory: set memoryBacking (hugepages or memfd)');
      return socketPath ? [{ type, socketPath, mac, queues }] : [];
    }
    if (type === 'hostdev') {
      const pciAddress = p.take([...at, 'pciAddress'], checkPciAddress(nic.pciAddress));
      unique(p, seen, pciAddress, [...at, 'pciAddress'], 'VF');
      const vlan = optional(nic.vlan, () => p.take([...at, 'vlan'], checkVlanId(nic.vlan)));
      return pciAddress ? [{ type, pci: parsePciAddress(pciAddress), vlan, mac }] : [];
    }
    return [];
  });
}

function checkCpuFeatures(p: Problems, spec: DomainSpec, cpuMode: string | undefined): string[] {
  const seen = new Map<string, string>();
  const features = list<unknown>(p, ['disabledCpuFeatures'], spec.disabledCpuFeatures).map((feature, i) => {
    const name = p.take(['disabledCpuFeatures', i], checkCpuFeature(feature));
    unique(p, seen, name, ['disabledCpuFeatures', i], 'feature');
    return name ?? '';
  });
  if (features.length > 0 && cpuMode === undefined) p.add(['disabledCpuFeatures'], "needs a cpuMode: libvirt's default CPU model is not the host's");
  return features;
}

/** Checks every field of a domain spec; throws InvalidSpecError listing all problems. */
export function checkDomainSpec(spec: DomainSpec): CheckedDomain {
  const p = new Problems();
  if (typeof spec !== 'object' || spec === null) {
    p.add([], 'must be an object');
    p.throwIfAny('domain spec');
  }
  const name = p.take(['name'], checkDomainName(spec.name));
  const uuid = p.take(['uuid'], checkUuid(spec.uuid));
  if (name && uuid && name !== DOMAIN_NAME_PREFIX + uuid) p.add(['name'], `must be ${DOMAIN_NAME_PREFIX}<uuid>, i.e. ${DOMAIN_NAME_PREFIX}${uuid}`);
  const type = oneOf(p, ['type'], spec.type, ['kvm', 'qemu'] as const);
  const machine = optional(spec.machine, () => p.take(['machine'], checkMachineType(spec.machine)));
  const cpuMode = optional(spec.cpuMode, () => oneOf(p, ['cpuMode'], spec.cpuMode, ['host-passthrough', 'host-model', 'maximum'] as const));
  const disabledCpuFeatures = checkCpuFeatures(p, spec, cpuMode);
  const vcpus = p.take(['vcpus'], checkInteger(spec.vcpus, 1, MAX_VCPUS));
  const memoryKib = p.take(['memoryKib'], checkMemoryKib(spec.memoryKib));

  const pinned = new Map<string, string>();
  const vcpupin = list<Record<string, unknown>>(p, ['vcpupin'], spec.vcpupin).map((pin, i) => {
    const vcpu = p.take(['vcpupin', i, 'vcpu'], checkInteger(pin?.vcpu, 0, (vcpus ?? MAX_VCPUS) - 1));
    unique(p, pinned, vcpu === undefined ? undefined : String(vcpu), ['vcpupin', i, 'vcpu'], 'vcpu');
    const cpus = p.take(['vcpupin', i, 'cpus'], checkCpuList(pin?.cpus));
    return { vcpu: vcpu ?? 0, cpuset: formatIdSet(cpus ?? []) };
  });
  const emulatorpin = optional(spec.emulatorpin, () => p.take(['emulatorpin'], checkCpuList(spec.emulatorpin)));
  const numatune = optional(spec.numatune, () => p.take(['numatune', 'nodeset'], checkNumaNodeList(spec.numatune?.nodeset)));
  const { memoryBacking, guestNuma } = checkMemory(p, spec, vcpus, memoryKib);

  // The cloud-init CD-ROM's target is reserved first, so a disk asking for it is the one reported.
  const targets = new Map<string, string>(spec.cloudInitIso === undefined ? [] : [[CLOUD_INIT_TARGET, '/cloudInitIso']]);
  const disks = list<Record<string, unknown>>(p, ['disks'], spec.disks).map((disk, i) => {
    const path = p.take(['disks', i, 'path'], checkHostPath(disk?.path));
    const targetDev = p.take(['disks', i, 'targetDev'], checkDiskTarget(disk?.targetDev));
    unique(p, targets, targetDev, ['disks', i, 'targetDev'], 'target');
    const format = disk?.format === undefined ? 'qcow2' : oneOf(p, ['disks', i, 'format'], disk.format, ['qcow2', 'raw'] as const);
    return { path: path ?? '', targetDev: targetDev ?? '', format: format ?? 'qcow2' };
  });
  const cloudInitIso = optional(spec.cloudInitIso, () => p.take(['cloudInitIso'], checkHostPath(spec.cloudInitIso)));
  const consoleLog = optional(spec.consoleLog, () => p.take(['consoleLog'], checkHostPath(spec.consoleLog)));
  const interfaces = checkInterfaces(p, spec, memoryBacking !== undefined);

  const md = (spec.metadata ?? {}) as unknown as Record<string, unknown>;
  const vnfInstanceId = p.take(['metadata', 'vnfInstanceId'], checkUuid(md.vnfInstanceId));
  const vnfInstanceName = p.take(['metadata', 'vnfInstanceName'], checkFreeText(md.vnfInstanceName));
  const vduId = p.take(['metadata', 'vduId'], checkFreeText(md.vduId));

  p.throwIfAny('domain spec');
  // Past throwIfAny every field checked above is defined; the casts only tell the compiler so.
  return {
    name: name as string, uuid: uuid as string, type: type as CheckedDomain['type'], machine, cpuMode, disabledCpuFeatures,
    vcpus: vcpus as number, vcpupin,
    emulatorpin: emulatorpin && formatIdSet(emulatorpin), memoryKib: memoryKib as number,
    numatuneNodeset: numatune && formatIdSet(numatune), guestNuma, memoryBacking, disks, cloudInitIso, consoleLog, interfaces,
    metadata: { vnfInstanceId: vnfInstanceId as string, vnfInstanceName: vnfInstanceName as string, vduId: vduId as string },
  };
}
