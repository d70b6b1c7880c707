import { describe, expect, test } from '@jest/globals';
import { buildDomainXml } from '#vim/libvirt';
import { find, parseStrictXml, textOf } from '#vim/libvirt/testing';
import { NameRuleError, vhostUserPortName } from '#vim/naming';
import { createVhostUserClientPortOps } from '#vim/ovs';
import type { Placement } from '#vim/placement';
import { type HostFacts, launchSpec, type LaunchSpec } from './launch-spec.js';
import { portMac } from './mac.js';
import { VDU_INSTANCE_ID, VNF_INSTANCE_ID } from './testing/plan-fixture.js';
import type { PlannedVm } from './vm-plan.js';

const IDS = { vnfInstanceId: VNF_INSTANCE_ID, vnfInstanceName: 'edge-fw (Paris)', vduInstanceId: VDU_INSTANCE_ID };
const HOST: HostFacts = { name: 'compute-1', domainType: 'kvm', vhostSocketDir: '/var/run/vim', imageDir: '/var/lib/vim/images', disabledCpuFeatures: [] };
const VM_PREFIX = 'vhu' + VDU_INSTANCE_ID.slice(-10);

/** A pinned 2 MiB-hugepage VM with two VIRTIO ports, image and cloud-init. */
const dpdkVm = (): PlannedVm => ({
  vduId: 'fw',
  ordinal: 1,
  request: { vcpus: 4, cpuPolicy: 'dedicated', memoryMb: 4096, pageSize: 2048, virtioPorts: 2, sriovPorts: [], vfNumaAffinity: 'required' },
  ports: [
    { index: 0, cpdId: 'fw-inside', extCpdId: 'inside', kind: 'vhostuser', bridge: 'br-dpdk', vlan: 100 },
    { index: 1, cpdId: 'fw-int', kind: 'vhostuser', bridge: 'br-int' },
  ],
  image: { name: 'firewall-4.2.qcow2', format: 'qcow2' },
  cloudInit: '#cloud-config\n',
});

const dpdkPlacement = (): Placement => ({
  hostId: 'h1',
  cellId: 1,
  cpus: [12, 13, 14, 15],
  memoryMb: 4096,
  hugepages: { pageSizeKb: 2048, count: 2048 },
  pmdQueues: [
    { cpuId: 2, slot: 0 },
    { cpuId: 3, slot: 1 },
  ],
  vfs: [],
  score: 1,
});

/** A shared-CPU small-page VM: a PARAVIRT management port between two SR-IOV ports. */
const sriovVm = (): PlannedVm => ({
  vduId: 'router',
  ordinal: 0,
  request: {
    vcpus: 2,
    cpuPolicy: 'shared',
    memoryMb: 2048,
    pageSize: 'small',
    virtioPorts: 1,
    sriovPorts: [{ physnet: 'sriov-a' }, { physnet: 'sriov-b' }],
    vfNumaAffinity: 'required',
  },
  ports: [
    { index: 0, cpdId: 'up-a', extCpdId: 'a', kind: 'sriov', physnet: 'sriov-a', vlan: 300 },
    { index: 1, cpdId: 'mgmt', extCpdId: 'm', kind: 'vhostuser', bridge: 'br-mgmt' },
    { index: 2, cpdId: 'up-b', extCpdId: 'b', kind: 'sriov', physnet: 'sriov-b' },
  ],
});

const sriovPlacement = (): Placement => ({
  hostId: 'h1',
  cellId: 0,
  cpus: [],
  memoryMb: 2048,
  pmdQueues: [{ cpuId: 1, slot: 3 }],
  vfs: [
    { pciAddress: '0000:3b:02.1', physnet: 'sriov-a', cellId: 0, pfPciAddress: '0000:3b:00.0' },
    { pciAddress: '0000:5e:10.0', physnet: 'sriov-b', cellId: 0, pfPciAddress: '0000:5e:00.0' },
  ],
  score: 1,
});

/** What the worker will do with a spec: both builders must accept it. */
function build(spec: LaunchSpec) {
  return { xml: parseStrictXml(buildDomainXml(spec.domain)), ops: spec.ports.map((port, i) => createVhostUserClientPortOps(port, i)) };
}

describe('launchSpec: pinned hugepage VM with two vhost-user ports', () => {
  const spec = launchSpec(dpdkVm(), IDS, dpdkPlacement(), HOST);
  const names = [vhostUserPortName(VDU_INSTANCE_ID, 0), vhostUserPortName(VDU_INSTANCE_ID, 1)];
  const macs = [portMac(VDU_INSTANCE_ID, 0), portMac(VDU_INSTANCE_ID, 1)];

  test('identity, CPUs, NUMA and memory', () => {
    expect(spec.domain).toMatchObject({
      name: `vim-${VDU_INSTANCE_ID}`,
      uuid: VDU_INSTANCE_ID,
      type: 'kvm',
      cpuMode: 'host-passthrough',
      vcpus: 4,
      vcpupin: [
        { vcpu: 0, cpus: [12] },
        { vcpu: 1, cpus: [13] },
        { vcpu: 2, cpus: [14] },
        { vcpu: 3, cpus: [15] },
      ],
      emulatorpin: [12, 13, 14, 15],
      memoryKib: 4194304,
      numatune: { nodeset: [1] },
      guestNuma: [{ id: 0, vcpus: [0, 1, 2, 3], memoryKib: 4194304 }],
      memoryBacking: { kind: 'hugepages', pageSizeKib: 2048, nodeset: [0] },
      metadata: { vnfInstanceId: VNF_INSTANCE_ID, vnfInstanceName: 'edge-fw (Paris)', vduId: 'fw' },
    });
  });

  test('two vhost-user interfaces in port order, QEMU serving the sockets', () => {
    expect(names).toEqual([`${VM_PREFIX}00`, `${VM_PREFIX}01`]);
    expect(spec.domain.interfaces).toEqual([
      { type: 'vhostuser', socketPath: `/var/run/vim/${names[0]}.sock`, mode: 'server', mac: macs[0] },
      { type: 'vhostuser', socketPath: `/var/run/vim/${names[1]}.sock`, mode: 'server', mac: macs[1] },
    ]);
  });

  test('two OvS ports on the same sockets, queue 0 on the claimed PMD core, owned by the instance', () => {
    expect(spec.ports).toEqual([
      {
        bridge: 'br-dpdk',
        name: names[0],
        socketPath: `/var/run/vim/${names[0]}.sock`,
        vlanTag: 100,
        rxqAffinity: [{ queue: 0, core: 2 }],
        externalIds: { 'vim:vnf-instance': VNF_INSTANCE_ID, 'vim:vdu-instance': VDU_INSTANCE_ID, 'iface-id': names[0], 'attached-mac': macs[0] },
      },
      {
        bridge: 'br-int',
        name: names[1],
        socketPath: `/var/run/vim/${names[1]}.sock`,
        rxqAffinity: [{ queue: 0, core: 3 }],
        externalIds: { 'vim:vnf-instance': VNF_INSTANCE_ID, 'vim:vdu-instance': VDU_INSTANCE_ID, 'iface-id': names[1], 'attached-mac': macs[1] },
      },
    ]);
  });

  test('overlay disk on the base image and a NoCloud seed', () => {
    expect(spec.overlay).toEqual({
      basePath: '/var/lib/vim/images/firewall-4.2.qcow2',
      path: `/var/lib/vim/images/instances/${VDU_INSTANCE_ID}.qcow2`,
      baseFormat: 'qcow2',
    });
    expect(spec.domain.disks).toEqual([{ path: spec.overlay!.path, targetDev: 'vda', format: 'qcow2' }]);
    expect(spec.cloudInit).toEqual({
      isoPath: `/var/lib/vim/images/instances/${VDU_INSTANCE_ID}-cidata.iso`,
      userData: '#cloud-config\n',
      metaData: `instance-id: "${VDU_INSTANCE_ID}"\nlocal-hostname: "fw-1"\n`,
    });
    expect(spec.domain.cloudInitIso).toBe(spec.cloudInit!.isoPath);
  });

  test('the serial console is logged beside the overlay and seed', () => {
    expect(spec.domain.consoleLog).toBe(`/var/lib/vim/images/instances/${VDU_INSTANCE_ID}-console.log`);
  });

  test('libvirt and OvS builders accept it', () => {
    const { xml, ops } = build(spec);
    expect(find(xml, 'cputune', 'vcpupin').map((e) => e.attributes.cpuset)).toEqual(['12', '13', '14', '15']);
    expect(find(xml, 'cputune', 'emulatorpin')[0]!.attributes.cpuset).toBe('12-15');
    expect(find(xml, 'numatune', 'memory')[0]!.attributes).toEqual({ mode: 'strict', nodeset: '1' });
    expect(find(xml, 'memoryBacking', 'hugepages', 'page')[0]!.attributes).toMatchObject({ size: '2048', nodeset: '0' });
    expect(find(xml, 'devices', 'interface').map((e) => e.attributes.type)).toEqual(['vhostuser', 'vhostuser']);
    expect(textOf(find(xml, 'title')[0]!)).toBe('edge-fw (Paris)');
    expect(ops).toHaveLength(2);
    const iface = ops[0]!.find((op) => op.table === 'Interface')!.row as Record<string, unknown>;
    expect(iface.other_config).toEqual(['map', [['pmd-rxq-affinity', '0:2']]]);
  });
});

describe("launchSpec: a KVM host's disabled CPU features", () => {
  test('are taken out of the host-passthrough CPU', () => {
    const spec = launchSpec(dpdkVm(), IDS, dpdkPlacement(), { ...HOST, disabledCpuFeatures: ['arch-capabilities'] });
    expect(spec.domain).toMatchObject({ cpuMode: 'host-passthrough', disabledCpuFeatures: ['arch-capabilities'] });
  });

  test('none: the domain has no list', () => {
    expect(launchSpec(dpdkVm(), IDS, dpdkPlacement(), HOST).domain).not.toHaveProperty('disabledCpuFeatures');
  });
});

describe('launchSpec: SR-IOV VM', () => {
  // The host's CPU features are KVM's: under TCG they must not reach the domain.
  const spec = launchSpec(sriovVm(), IDS, sriovPlacement(), { ...HOST, domainType: 'qemu', disabledCpuFeatures: ['arch-capabilities'] });

  test('the claimed VFs as hostdev interfaces with their VLAN, between vhost-user ports in port order', () => {
    expect(spec.domain.interfaces).toEqual([
      { type: 'hostdev', pciAddress: '0000:3b:02.1', vlan: 300, mac: portMac(VDU_INSTANCE_ID, 0) },
      { type: 'vhostuser', socketPath: `/var/run/vim/${VM_PREFIX}01.sock`, mode: 'server', mac: portMac(VDU_INSTANCE_ID, 1) },
      { type: 'hostdev', pciAddress: '0000:5e:10.0', mac: portMac(VDU_INSTANCE_ID, 2) },
    ]);
    expect(spec.ports.map((p) => [p.name, p.bridge, p.rxqAffinity])).toEqual([[`${VM_PREFIX}01`, 'br-mgmt', [{ queue: 0, core: 1 }]]]);
  });

  test('shared CPUs: no pinning; small pages: memfd, still on the chosen cell', () => {
    expect(spec.domain).not.toHaveProperty('vcpupin');
    expect(spec.domain).not.toHaveProperty('emulatorpin');
    expect(spec.domain).not.toHaveProperty('cpuMode');
    expect(spec.domain).not.toHaveProperty('disabledCpuFeatures');
    expect(spec.domain).toMatchObject({ type: 'qemu', memoryKib: 2097152, numatune: { nodeset: [0] }, memoryBacking: { kind: 'memfd' } });
    expect(spec.domain.disks).toEqual([]);
    expect(spec).not.toHaveProperty('overlay');
    expect(spec).not.toHaveProperty('cloudInit');
  });

  test('libvirt and OvS builders accept it', () => {
    const { xml, ops } = build(spec);
    const hostdevs = find(xml, 'devices', 'interface').filter((e) => e.attributes.type === 'hostdev');
    expect(hostdevs.map((e) => find(e, 'source', 'address')[0]!.attributes)).toEqual([
      { type: 'pci', domain: '0x0000', bus: '0x3b', slot: '0x02', function: '0x1' },
      { type: 'pci', domain: '0x0000', bus: '0x5e', slot: '0x10', function: '0x0' },
    ]);
    expect(find(hostdevs[0]!, 'vlan', 'tag')[0]!.attributes).toEqual({ id: '300' });
    expect(find(hostdevs[1]!, 'vlan')).toEqual([]);
    expect(ops).toHaveLength(1);
  });
});

describe('launchSpec: refusals and edge cases', () => {
  test('a placement made for another VM', () => {
    const fewer = { ...dpdkPlacement(), cpus: [12, 13], pmdQueues: [] };
    expect(() => launchSpec(dpdkVm(), IDS, fewer, HOST)).toThrow(
      "placement on host compute-1 does not fit vdu 'fw' #1: 2 dedicated CPUs for 4 vCPUs; 0 PMD queues for 2 vhost-user ports",
    );
    const swapped = { ...sriovPlacement(), vfs: [...sriovPlacement().vfs].reverse() };
    expect(() => launchSpec(sriovVm(), IDS, swapped, HOST)).toThrow('VFs on [sriov-b, sriov-a] for SR-IOV ports on [sriov-a, sriov-b]');
  });

  test('hugepage memory is what placement claimed, in whole pages', () => {
    const vm = { ...dpdkVm(), request: { ...dpdkVm().request, memoryMb: 1500, pageSize: 1048576 } };
    const placement = { ...dpdkPlacement(), memoryMb: 1500, hugepages: { pageSizeKb: 1048576, count: 2 } };
    const spec = launchSpec(vm, IDS, placement, HOST);
    expect(spec.domain.memoryKib).toBe(2097152);
    expect(() => buildDomainXml(spec.domain)).not.toThrow();
  });

  test('guest host names are DNS labels made from the VDU id', () => {
    const hostname = (vduId: string, ordinal = 0) =>
      launchSpec({ ...dpdkVm(), vduId, ordinal }, IDS, dpdkPlacement(), HOST).cloudInit!.metaData.split('\n')[1];
    expect(hostname('My_Firewall.VDU', 3)).toBe('local-hostname: "my-firewall-vdu-3"');
    expect(hostname('--')).toBe('local-hostname: "vdu-0"');
    expect(hostname('x'.repeat(80), 12)).toBe(`local-hostname: "${'x'.repeat(60)}-12"`);
  });

  test('a base image path outside the naming rules is refused', () => {
    const vm = { ...dpdkVm(), image: { name: 'a b.qcow2', format: 'qcow2' as const } };
    expect(() => launchSpec(vm, IDS, dpdkPlacement(), HOST)).toThrow(NameRuleError);
  });
});
