import { describe, expect, test } from '@jest/globals';
import { kvmAvailable } from './libvirt-xml.js';

const guest = (arch: string, ...types: string[]) => `<guest><os_type>hvm</os_type><arch name='${arch}'><wordsize>64</wordsize>
  <emulator>/usr/bin/qemu-system-${arch}</emulator><machine maxCpus='255'>pc-i440fx-7.2</machine>
  ${types.map((t) => `<domain type='${t}'/>`).join('')}</arch><features><acpi default='on' toggle='yes'/></features></guest>`;
const capabilities = (...guests: string[]) =>
  `<capabilities><host><uuid>aec66b10-874f-45ab-9c03-0723fbde8cd1</uuid><cpu><arch>x86_64</arch></cpu></host>${guests.join('')}</capabilities>`;

describe('kvmAvailable', () => {
  test.each([
    ['x86_64 under KVM', capabilities(guest('i686', 'qemu', 'kvm'), guest('x86_64', 'qemu', 'kvm')), true],
    ['x86_64 with its only guest listed', capabilities(guest('x86_64', 'qemu', 'kvm')), true],
    ['TCG only (no /dev/kvm)', capabilities(guest('i686', 'qemu'), guest('x86_64', 'qemu')), false],
    ['KVM for another arch only', capabilities(guest('i686', 'qemu', 'kvm'), guest('x86_64', 'qemu')), false],
    ["libvirt's test driver", capabilities(guest('i686', 'test')), false],
    ['no guests at all', capabilities(), false],
  ])('%s', (_label, xml, expected) => {
    expect(kvmAvailable(xml)).toBe(expected);
  });

  test('a domain type nested under a domain-specific emulator still counts', () => {
    const xml = capabilities(`<guest><arch name='x86_64'><domain type='kvm'><emulator>/usr/bin/kvm</emulator></domain></arch></guest>`);
    expect(kvmAvailable(xml)).toBe(true);
  });

  test.each([['<capabilities><host>'], ['<domain/>'], ['virsh: error: failed to connect']])('refuses what is not capabilities: %p', (xml) => {
    expect(() => kvmAvailable(xml)).toThrow();
  });
});
