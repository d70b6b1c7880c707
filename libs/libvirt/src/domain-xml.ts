import { type CheckedDomain, checkDomainSpec } from './check-domain.js';
import { CLOUD_INIT_TARGET, type DomainSpec } from './domain-spec.js';
import { el, serialize, type XmlElement } from './xml.js';

/**
 * Namespace of our `<metadata>` element. libvirt keeps metadata only in a namespace of its own;
 * a URN needs no web server and never changes meaning.
 */
export const METADATA_NAMESPACE = 'urn:vim-lite:libvirt-domain:1';
export const METADATA_PREFIX = 'vim';

const hex = (value: number, digits: number) => '0x' + value.toString(16).padStart(digits, '0');

function metadata(d: CheckedDomain): XmlElement {
  const m = d.metadata;
  return el(
    'metadata',
    {},
    el(
      `${METADATA_PREFIX}:instance`,
      { [`xmlns:${METADATA_PREFIX}`]: METADATA_NAMESPACE },
      el(`${METADATA_PREFIX}:vnf-instance`, { id: m.vnfInstanceId }, m.vnfInstanceName),
      el(`${METADATA_PREFIX}:vdu`, { id: m.vduId, instance: d.uuid }),
    ),
  );
}

function memoryBacking(d: CheckedDomain): XmlElement | undefined {
  const mb = d.memoryBacking;
  if (!mb) return undefined;
  const backing =
    mb.kind === 'hugepages'
      ? el('hugepages', {}, el('page', { size: mb.pageSizeKib, unit: 'KiB', nodeset: mb.nodeset }))
      : el('source', { type: 'memfd' });
  // Shared, so that OvS (vhost-user backend, another process) can map guest memory.
  return el('memoryBacking', {}, backing, el('access', { mode: 'shared' }));
}

function cputune(d: CheckedDomain): XmlElement | undefined {
  if (d.vcpupin.length === 0 && !d.emulatorpin) return undefined;
  return el(
    'cputune',
    {},
    ...d.vcpupin.map((pin) => el('vcpupin', { vcpu: pin.vcpu, cpuset: pin.cpuset })),
    d.emulatorpin !== undefined && el('emulatorpin', { cpuset: d.emulatorpin }),
  );
}

function cpu(d: CheckedDomain): XmlElement | undefined {
  if (!d.cpuMode && d.guestNuma.length === 0) return undefined;
  const cells = d.guestNuma.map((c) => el('cell', { id: c.id, cpus: c.cpus, memory: c.memoryKib, unit: 'KiB' }));
  const disabled = d.disabledCpuFeatures.map((name) => el('feature', { policy: 'disable', name }));
  return el('cpu', { mode: d.cpuMode }, ...disabled, cells.length > 0 && el('numa', {}, ...cells));
}

function disks(d: CheckedDomain): XmlElement[] {
  const disks = d.disks.map((disk) =>
    el(
      'disk',
      { type: 'file', device: 'disk' },
      el('driver', { name: 'qemu', type: disk.format }),
      el('source', { file: disk.path }),
      el('target', { dev: disk.targetDev, bus: disk.targetDev.startsWith('vd') ? 'virtio' : 'sata' }),
    ),
  );
  if (d.cloudInitIso) {
    disks.push(
      el(
        'disk',
        { type: 'file', device: 'cdrom' },
        el('driver', { name: 'qemu', type: 'raw' }),
        el('source', { file: d.cloudInitIso }),
        el('target', { dev: CLOUD_INIT_TARGET, bus: 'sata' }),
        el('readonly'),
      ),
    );
  }
  return disks;
}

/**
 * A VM without a disk boots from its virtio NICs, in port order (their iPXE ROMs then also bring
 * the vhost-user ports up before any guest OS does). libvirt refuses a per-device boot order
 * next to `<os><boot>`, so it is one or the other.
 */
const bootsFromNetwork = (d: CheckedDomain) => d.disks.length === 0;

/** Namespace of libvirt's QEMU-specific elements (`<qemu:override>`). */
export const QEMU_NAMESPACE = 'http://libvirt.org/schemas/domain/qemu/1.0';

/**
 * QEMU 7.2 under TCG segfaults as soon as a guest driver (iPXE or the guest's virtio_net) starts a
 * vhost-user virtio-net NIC (the domain ends `shut off (crashed)` a few seconds after start, with
 * OvS and with testpmd as the backend alike); the NIC without MSI-X (`vectors=0`) does not. libvirt
 * has no element for `vectors` on a vhost-user NIC, so it goes in through `<qemu:override>`, by a
 * user alias (which must start with `ua-`). KVM guests do not need it and do not get it. The NIC's
 * iPXE ROM is kept: with vectors=0 it drives the NIC fine, and a diskless VM boots through it.
 */
const needsVectorsWorkaround = (d: CheckedDomain) => d.type === 'qemu' && d.interfaces.some((nic) => nic.type === 'vhostuser');

/** `ua-net0`, `ua-net1`…: by index among the VM's vhost-user NICs. */
const vhostUserAlias = (index: number) => `ua-net${index}`;

function qemuOverride(d: CheckedDomain): XmlElement | undefined {
  if (!needsVectorsWorkaround(d)) return undefined;
  const count = d.interfaces.filter((nic) => nic.type === 'vhostuser').length;
  const devices = Array.from({ length: count }, (_, i) =>
    el(
      'qemu:device',
      { alias: vhostUserAlias(i) },
      el('qemu:frontend', {}, el('qemu:property', { name: 'vectors', type: 'unsigned', value: '0' })),
    ),
  );
  return el('qemu:override', {}, ...devices);
}

function interfaces(d: CheckedDomain): XmlElement[] {
  let bootOrder = 0;
  let vhostUser = 0;
  const aliased = needsVectorsWorkaround(d);
  return d.interfaces.map((nic) => {
    const mac = nic.mac !== undefined && el('mac', { address: nic.mac });
    if (nic.type === 'vhostuser') {
      return el(
        'interface',
        { type: 'vhostuser' },
        mac,
        el('source', { type: 'unix', path: nic.socketPath, mode: 'server' }),
        el('model', { type: 'virtio' }),
        nic.queues !== undefined && el('driver', { queues: nic.queues }),
        bootsFromNetwork(d) && el('boot', { order: ++bootOrder }),
        aliased && el('alias', { name: vhostUserAlias(vhostUser++) }),
      );
    }
    const { domain, bus, slot, function: fn } = nic.pci;
    return el(
      'interface',
      // managed: libvirt detaches the VF from its host driver and gives it back afterwards.
      { type: 'hostdev', managed: 'yes' },
      mac,
      el('source', {}, el('address', { type: 'pci', domain: hex(domain, 4), bus: hex(bus, 2), slot: hex(slot, 2), function: hex(fn, 1) })),
      nic.vlan !== undefined && el('vlan', {}, el('tag', { id: nic.vlan })),
    );
  });
}

/** The element tree of a checked domain (exported for tests and for callers that add devices). */
export function domainElement(d: CheckedDomain): XmlElement {
  return el(
    'domain',
    { type: d.type, 'xmlns:qemu': needsVectorsWorkaround(d) ? QEMU_NAMESPACE : undefined },
    el('name', {}, d.name),
    el('uuid', {}, d.uuid),
    el('title', {}, d.metadata.vnfInstanceName),
    metadata(d),
    el('memory', { unit: 'KiB' }, String(d.memoryKib)),
    el('currentMemory', { unit: 'KiB' }, String(d.memoryKib)),
    memoryBacking(d),
    el('vcpu', { placement: 'static' }, String(d.vcpus)),
    cputune(d),
    d.numatuneNodeset !== undefined && el('numatune', {}, el('memory', { mode: 'strict', nodeset: d.numatuneNodeset })),
    el(
      'os',
      {},
      el('type', { arch: 'x86_64', machine: d.machine }, 'hvm'),
      // The firmware (SeaBIOS, and the NICs' iPXE through it) writes to the serial port too, so the
      // console log shows a VM that never reaches its OS (no boot device, no DHCP answer).
      el('bios', { useserial: 'yes' }),
      !bootsFromNetwork(d) && el('boot', { dev: 'hd' }),
    ),
    el('features', {}, el('acpi'), el('apic')),
    cpu(d),
    el('on_poweroff', {}, 'destroy'),
    el('on_reboot', {}, 'restart'),
    el('on_crash', {}, 'destroy'),
    el(
      'devices',
      {},
      ...disks(d),
      ...interfaces(d),
      serial(d),
      el('console', { type: 'pty' }, el('target', { type: 'serial', port: 0 })),
      // No balloon: guest memory is pinned (hugepages) or shared with OvS; reclaiming it is wrong.
      el('memballoon', { model: 'none' }),
    ),
    qemuOverride(d),
  );
}

/**
 * The guest's serial console: a pty (for `virsh console`) whose output is also kept in the VM's
 * console log, started afresh at each start (`append='off'`); virtlogd writes and rotates it.
 */
function serial(d: CheckedDomain): XmlElement {
  return el('serial', { type: 'pty' }, d.consoleLog !== undefined && el('log', { file: d.consoleLog, append: 'off' }), el('target', { port: 0 }));
}

/**
 * Domain XML for libvirt's defineXML. Pure: checks the spec with libs/naming (throws
 * InvalidSpecError listing every problem), then serializes an element tree in which all input
 * is escaped data.
 */
export function buildDomainXml(spec: DomainSpec): string {
  return serialize(domainElement(checkDomainSpec(spec)));
}
