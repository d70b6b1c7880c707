import { describe, expect, test } from '@jest/globals';
import { detectDomainType, domainTypeFromCapabilities } from './domain-type.js';

const guest = (arch: string, ...types: string[]) => `<guest><os_type>hvm</os_type><arch name='${arch}'><wordsize>64</wordsize>
  <emulator>/usr/bin/qemu-system-${arch}</emulator><machine maxCpus='255'>pc-i440fx-7.2</machine>
  ${types.map((t) => `<domain type='${t}'/>`).join('')}</arch><features><acpi default='on' toggle='yes'/></features></guest>`;
const capabilities = (...guests: string[]) =>
  `<capabilities><host><uuid>aec66b10-874f-45ab-9c03-0723fbde8cd1</uuid><cpu><arch>x86_64</arch></cpu></host>${guests.join('')}</capabilities>`;

describe('domainTypeFromCapabilities', () => {
  test.each([
    ['x86_64 under KVM', capabilities(guest('i686', 'qemu', 'kvm'), guest('x86_64', 'qemu', 'kvm')), 'kvm'],
    ['x86_64 with its only guest listed', capabilities(guest('x86_64', 'qemu', 'kvm')), 'kvm'],
    ['TCG only (no /dev/kvm)', capabilities(guest('i686', 'qemu'), guest('x86_64', 'qemu')), 'qemu'],
    ['KVM for another arch only', capabilities(guest('i686', 'qemu', 'kvm'), guest('x86_64', 'qemu')), 'qemu'],
    ["libvirt's test driver", capabilities(guest('i686', 'test')), 'qemu'],
    ['no guests at all', capabilities(), 'qemu'],
  ])('%s', (_label, xml, expected) => {
    expect(domainTypeFromCapabilities(xml)).toBe(expected);
  });

  test('a domain type nested under a domain-specific emulator still counts', () => {
    const xml = capabilities(`<guest><arch name='x86_64'><domain type='kvm'><emulator>/usr/bin/kvm</emulator></domain></arch></guest>`);
    expect(domainTypeFromCapabilities(xml)).toBe('kvm');
  });

  test.each([['<capabilities><host>'], ['<domain/>'], ['virsh: error: failed to connect']])('refuses what is not capabilities: %p', (xml) => {
    expect(() => domainTypeFromCapabilities(xml)).toThrow();
  });
});

describe('detectDomainType', () => {
  test('reads the capabilities through the probe it is given', async () => {
    const probe = { capabilities: async () => capabilities(guest('x86_64', 'qemu', 'kvm')) };
    await expect(detectDomainType('qemu:///system', probe)).resolves.toBe('kvm');
  });
});
