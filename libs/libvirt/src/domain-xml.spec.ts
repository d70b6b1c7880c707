import { describe, expect, test } from '@jest/globals';
import { InvalidSpecError } from '#vim/naming';
import type { DomainSpec } from './domain-spec.js';
import { buildDomainXml, METADATA_NAMESPACE, QEMU_NAMESPACE } from './domain-xml.js';
import { sampleDomainSpec, VDU_INSTANCE_ID, VNF_INSTANCE_ID } from './testing/domain-fixture.js';
import { find, parseStrictXml, textOf } from './testing/strict-xml.js';

const parse = (spec: DomainSpec) => parseStrictXml(buildDomainXml(spec));

function problems(spec: unknown): { path: string; message: string }[] {
  try {
    buildDomainXml(spec as DomainSpec);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidSpecError);
    return [...(error as InvalidSpecError).problems];
  }
  throw new Error('spec was accepted');
}

describe('buildDomainXml', () => {
  const root = parse(sampleDomainSpec());

  test('identity, title and namespaced metadata', () => {
    expect(root.attributes).toEqual({ type: 'qemu', 'xmlns:qemu': QEMU_NAMESPACE });
    expect(textOf(find(root, 'name')[0])).toBe(`vim-${VDU_INSTANCE_ID}`);
    expect(textOf(find(root, 'uuid')[0])).toBe(VDU_INSTANCE_ID);
    expect(textOf(find(root, 'title')[0])).toBe('edge-fw (Paris)');
    const [instance] = find(root, 'metadata', 'vim:instance');
    expect(instance.attributes['xmlns:vim']).toBe(METADATA_NAMESPACE);
    const [vnf] = find(instance, 'vim:vnf-instance');
    expect(vnf.attributes.id).toBe(VNF_INSTANCE_ID);
    expect(textOf(vnf)).toBe('edge-fw (Paris)');
    expect(find(instance, 'vim:vdu')[0].attributes).toEqual({ id: 'fw-vdu', instance: VDU_INSTANCE_ID });
  });

  test('CPU pinning, NUMA and hugepages', () => {
    expect(textOf(find(root, 'vcpu')[0])).toBe('2');
    expect(find(root, 'cputune', 'vcpupin').map((e) => e.attributes)).toEqual([
      { vcpu: '0', cpuset: '4' },
      { vcpu: '1', cpuset: '5' },
    ]);
    expect(find(root, 'cputune', 'emulatorpin')[0].attributes).toEqual({ cpuset: '0-1' });
    expect(find(root, 'numatune', 'memory')[0].attributes).toEqual({ mode: 'strict', nodeset: '0' });
    expect(find(root, 'memoryBacking', 'hugepages', 'page')[0].attributes).toEqual({ size: '2048', unit: 'KiB', nodeset: '0' });
    expect(find(root, 'memoryBacking', 'access')[0].attributes).toEqual({ mode: 'shared' });
    expect(find(root, 'cpu', 'numa', 'cell')[0].attributes).toEqual({ id: '0', cpus: '0-1', memory: '1048576', unit: 'KiB' });
    expect(find(root, 'devices', 'memballoon')[0].attributes).toEqual({ model: 'none' });
  });

  test('memfd shared memory instead of hugepages', () => {
    const memfd = parse(sampleDomainSpec({ memoryBacking: { kind: 'memfd' }, guestNuma: undefined, cpuMode: 'host-passthrough' }));
    expect(find(memfd, 'memoryBacking', 'source')[0].attributes).toEqual({ type: 'memfd' });
    expect(find(memfd, 'memoryBacking', 'hugepages')).toHaveLength(0);
    expect(find(memfd, 'cpu')[0].attributes).toEqual({ mode: 'host-passthrough' });
    expect(find(memfd, 'cpu', 'numa')).toHaveLength(0);
  });

  test('CPU features disabled on the host CPU come before the guest NUMA cells', () => {
    const cpu = find(parse(sampleDomainSpec({ cpuMode: 'host-passthrough', disabledCpuFeatures: ['arch-capabilities', 'sse4.2'] })), 'cpu')[0];
    const elements = cpu.children.filter((c) => typeof c !== 'string');
    expect(elements.map((c) => [c.name, c.attributes])).toEqual([
      ['feature', { policy: 'disable', name: 'arch-capabilities' }],
      ['feature', { policy: 'disable', name: 'sse4.2' }],
      ['numa', {}],
    ]);
  });

  test('disks and the cloud-init CD-ROM', () => {
    const [disk, cdrom] = find(root, 'devices', 'disk');
    expect(find(disk, 'driver')[0].attributes).toEqual({ name: 'qemu', type: 'qcow2' });
    expect(find(disk, 'source')[0].attributes).toEqual({ file: '/var/lib/vim/images/vdu.qcow2' });
    expect(find(disk, 'target')[0].attributes).toEqual({ dev: 'vda', bus: 'virtio' });
    expect(cdrom.attributes).toEqual({ type: 'file', device: 'cdrom' });
    expect(find(cdrom, 'target')[0].attributes).toEqual({ dev: 'sda', bus: 'sata' });
    expect(find(cdrom, 'readonly')).toHaveLength(1);
  });

  test('boots from its disk, or from its virtio NICs in port order when it has none', () => {
    expect(find(root, 'os', 'boot')[0].attributes).toEqual({ dev: 'hd' });
    expect(find(root, 'devices', 'interface', 'boot')).toEqual([]);
    const diskless = parse({ ...sampleDomainSpec(), disks: [], cloudInitIso: undefined });
    expect(find(diskless, 'os', 'boot')).toEqual([]);
    const vhostUser = find(diskless, 'devices', 'interface').filter((nic) => nic.attributes.type === 'vhostuser');
    expect(vhostUser.map((nic) => find(nic, 'boot')[0]?.attributes)).toEqual(vhostUser.map((_, i) => ({ order: String(i + 1) })));
  });

  test('vhost-user and hostdev VF interfaces', () => {
    const [vhu, vf] = find(root, 'devices', 'interface');
    expect(vhu.attributes).toEqual({ type: 'vhostuser' });
    expect(find(vhu, 'source')[0].attributes).toEqual({ type: 'unix', path: '/var/run/vim/vhu2b3c4d5e6f00.sock', mode: 'server' });
    expect(find(vhu, 'model')[0].attributes).toEqual({ type: 'virtio' });
    expect(find(vhu, 'driver')[0].attributes).toEqual({ queues: '2' });
    expect(find(vhu, 'mac')[0].attributes).toEqual({ address: '52:54:00:00:00:01' });
    expect(vf.attributes).toEqual({ type: 'hostdev', managed: 'yes' });
    expect(find(vf, 'source', 'address')[0].attributes).toEqual({ type: 'pci', domain: '0x0000', bus: '0x03', slot: '0x10', function: '0x1' });
    expect(find(vf, 'vlan', 'tag')[0].attributes).toEqual({ id: '100' });
  });

  test('optional parts are left out', () => {
    const bare = parse(
      sampleDomainSpec({ vcpupin: undefined, emulatorpin: undefined, numatune: undefined, guestNuma: undefined, memoryBacking: undefined, cloudInitIso: undefined, interfaces: [], machine: undefined }),
    );
    for (const name of ['cputune', 'numatune', 'memoryBacking', 'cpu']) expect(find(bare, name)).toHaveLength(0);
    expect(find(bare, 'devices', 'disk')).toHaveLength(1);
    expect(find(bare, 'os', 'type')[0].attributes).toEqual({ arch: 'x86_64' });
  });

  test('the serial console is kept in its log file, started afresh; the firmware writes to it too', () => {
    expect(find(root, 'devices', 'serial')[0].children.filter((c) => typeof c !== 'string').map((c) => [c.name, c.attributes])).toEqual([
      ['log', { file: '/var/lib/vim/images/instances/vdu-console.log', append: 'off' }],
      ['target', { port: '0' }],
    ]);
    expect(find(root, 'os', 'bios')[0].attributes).toEqual({ useserial: 'yes' });
    expect(find(parse(sampleDomainSpec({ consoleLog: undefined })), 'devices', 'serial', 'log')).toEqual([]);
  });

  describe('TCG with vhost-user NICs: vectors=0 on each through <qemu:override> (QEMU 7.2 crashes otherwise)', () => {
    const vhostUser = (n: number) => Array.from({ length: n }, (_, i) => ({ type: 'vhostuser', socketPath: `/run/v${i}.sock`, mode: 'server' }) as const);
    const vf = { type: 'hostdev', pciAddress: '0000:03:10.1' } as const;

    test('each vhost-user NIC gets a user alias by its rank among them, and an override of vectors', () => {
      const tcg = parse(sampleDomainSpec({ interfaces: [vhostUser(2)[0], vf, vhostUser(2)[1]] }));
      expect(tcg.attributes['xmlns:qemu']).toBe(QEMU_NAMESPACE);
      expect(find(tcg, 'devices', 'interface').map((nic) => find(nic, 'alias')[0]?.attributes.name)).toEqual(['ua-net0', undefined, 'ua-net1']);
      const devices = find(tcg, 'qemu:override', 'qemu:device');
      expect(devices.map((d) => d.attributes.alias)).toEqual(['ua-net0', 'ua-net1']);
      for (const device of devices) {
        expect(find(device, 'qemu:frontend', 'qemu:property').map((p) => p.attributes)).toEqual([{ name: 'vectors', type: 'unsigned', value: '0' }]);
      }
    });

    test('the override comes after the devices, as the last element', () => {
      const names = root.children.filter((c) => typeof c !== 'string').map((c) => c.name);
      expect(names.slice(-2)).toEqual(['devices', 'qemu:override']);
    });

    test("the NICs' ROMs are kept (a diskless VM boots through iPXE)", () => {
      const diskless = parse({ ...sampleDomainSpec(), disks: [], cloudInitIso: undefined });
      expect(find(diskless, 'devices', 'interface', 'rom')).toEqual([]);
      expect(find(diskless, 'qemu:override', 'qemu:device')).toHaveLength(1);
    });

    test.each<[string, Partial<DomainSpec>]>([
      ['a kvm domain', { type: 'kvm' }],
      ['a TCG domain without vhost-user NICs', { interfaces: [vf] }],
      ['a TCG domain without NICs', { interfaces: [] }],
    ])('none of it on %s', (_, overrides) => {
      const xml = buildDomainXml(sampleDomainSpec(overrides));
      expect(xml).not.toMatch(/qemu:|ua-net|<alias/);
      expect(parseStrictXml(xml).attributes['xmlns:qemu']).toBeUndefined();
    });
  });

  test('the same spec gives the same XML (idempotent define)', () => {
    expect(buildDomainXml(sampleDomainSpec())).toBe(buildDomainXml(sampleDomainSpec()));
  });
});

describe('buildDomainXml refuses bad specs, listing every problem with its path', () => {
  test('several problems at once', () => {
    const found = problems(
      sampleDomainSpec({
        name: 'my vm',
        type: 'xen' as never,
        vcpus: 0,
        disks: [{ path: '../etc/passwd', targetDev: 'hda' }],
        interfaces: [{ type: 'hostdev', pciAddress: '0000:03:10.9', vlan: 4095 }],
      }),
    );
    expect(found.map((p) => p.path)).toEqual(
      expect.arrayContaining(['/name', '/type', '/vcpus', '/disks/0/path', '/disks/0/targetDev', '/interfaces/0/pciAddress', '/interfaces/0/vlan']),
    );
  });

  test.each<[string, Partial<DomainSpec>, string, RegExp]>([
    ['name and uuid disagree', { name: 'vim-00000000-0000-4000-8000-000000000001' }, '/name', /i.e. vim-3f2c9a4e/],
    ['vhost-user without shared memory', { memoryBacking: undefined, guestNuma: undefined }, '/interfaces/0', /shared guest memory/],
    ['vhost-user mode client', { interfaces: [{ type: 'vhostuser', socketPath: '/run/a.sock', mode: 'client' as 'server' }] }, '/interfaces/0/mode', /server/],
    ['memory not in whole pages', { memoryKib: 1048577, guestNuma: undefined }, '/memoryKib', /whole number of 2048 KiB pages/],
    ['guest cells miss a vcpu', { guestNuma: [{ id: 0, vcpus: [0], memoryKib: 1048576 }] }, '/guestNuma', /each of 0..1 exactly once/],
    ['guest cells memory sum', { guestNuma: [{ id: 0, vcpus: [0, 1], memoryKib: 2048 }] }, '/guestNuma', /adds up to 2048/],
    ['hugepage nodeset beyond cells', { memoryBacking: { kind: 'hugepages', pageSizeKib: 2048, nodeset: [1] } }, '/memoryBacking/nodeset', /cell 1/],
    ['CPU feature without a CPU mode', { disabledCpuFeatures: ['arch-capabilities'] }, '/disabledCpuFeatures', /needs a cpuMode/],
    ['CPU feature with a comma', { cpuMode: 'host-passthrough', disabledCpuFeatures: ['a,b'] }, '/disabledCpuFeatures/0', /\[a-z0-9\]/],
    ['CPU feature twice', { cpuMode: 'host-passthrough', disabledCpuFeatures: ['pdpe1gb', 'pdpe1gb'] }, '/disabledCpuFeatures/1', /already used/],
    ['pin beyond vcpus', { vcpupin: [{ vcpu: 2, cpus: [1] }] }, '/vcpupin/0/vcpu', /outside 0..1/],
    ['vcpu pinned twice', { vcpupin: [{ vcpu: 0, cpus: [1] }, { vcpu: 0, cpus: [2] }] }, '/vcpupin/1/vcpu', /already used/],
    ['disk on the cloud-init target', { disks: [{ path: '/a.qcow2', targetDev: 'sda' }] }, '/disks/0/targetDev', /target sda is already used at \/cloudInitIso/],
    ['same socket twice', { interfaces: [0, 1].map(() => ({ type: 'vhostuser', socketPath: '/run/a.sock', mode: 'server' }) as const) }, '/interfaces/1/socketPath', /already used/],
    ['same VF twice', { interfaces: [0, 1].map(() => ({ type: 'hostdev', pciAddress: '0000:03:10.1' }) as const) }, '/interfaces/1/pciAddress', /already used/],
    ['multicast MAC', { interfaces: [{ type: 'hostdev', pciAddress: '0000:03:10.1', mac: '01:00:5e:00:00:01' }] }, '/interfaces/0/mac', /multicast/],
    ['socket path too long for sun_path', { interfaces: [{ type: 'vhostuser', socketPath: '/' + 'a'.repeat(120), mode: 'server' }] }, '/interfaces/0/socketPath', /107 bytes/],
    ['console log not an absolute path', { consoleLog: 'console.log' }, '/consoleLog', /absolute/],
    ['name with a newline', { metadata: { vnfInstanceId: VNF_INSTANCE_ID, vnfInstanceName: 'a\nb', vduId: 'v' } }, '/metadata/vnfInstanceName', /control character/],
    ['uppercase instance id', { metadata: { vnfInstanceId: VNF_INSTANCE_ID.toUpperCase(), vnfInstanceName: 'a', vduId: 'v' } }, '/metadata/vnfInstanceId', /lowercase/],
  ])('%s', (_, overrides, path, message) => {
    const found = problems(sampleDomainSpec(overrides));
    expect(found).toContainEqual({ path, message: expect.stringMatching(message) });
  });

  test('non-objects and wrong types are problems, not crashes', () => {
    expect(problems(null)).toEqual([{ path: '', message: 'must be an object' }]);
    const found = problems({ ...sampleDomainSpec(), disks: 'vda', interfaces: [null], vcpupin: [{}], metadata: undefined });
    expect(found.map((p) => p.path)).toEqual(expect.arrayContaining(['/disks', '/interfaces/0/type', '/vcpupin/0/vcpu', '/metadata/vnfInstanceId']));
  });
});
