import { describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import {
  assertBridgeName, checkBridgeName, checkCpuFeature, checkDiskTarget, checkDomainName, checkExternalIdKey, checkHostName,
  checkHostPath, checkInterfaceName, checkMachineType, checkPhysnet, checkSocketPath, checkUuid, domainNameFor, vduInstanceIdOfDomainName,
  vhostUserPortName,
} from './identifiers.js';
import { NameRuleError } from './result.js';

const ID = '3f2c9a4e-8b1d-4c6e-9f00-1a2b3c4d5e6f';

const accepts = (check: (v: unknown) => { ok: boolean }, values: unknown[]) =>
  test.each(values.map((v) => [v]))('accepts %p', (v) => expect(check(v).ok).toBe(true));
const refuses = (check: (v: unknown) => { ok: boolean }, values: unknown[]) =>
  test.each(values.map((v) => [v]))('refuses %p', (v) => expect(check(v).ok).toBe(false));

describe('UUIDs', () => {
  accepts(checkUuid, [ID, '00000000-0000-0000-0000-000000000001']);
  refuses(checkUuid, [ID.toUpperCase(), ID.replace(/-/g, ''), `${ID}\n`, ` ${ID}`, '00000000-0000-0000-0000-000000000000', 'ffffffff-ffff-ffff-ffff-ffffffffffff', 42, null]);
});

describe('domain names', () => {
  test('derive from the VDU instance id and map back', () => {
    expect(domainNameFor(ID)).toBe(`vim-${ID}`);
    expect(vduInstanceIdOfDomainName(`vim-${ID}`)).toBe(ID);
    expect(vduInstanceIdOfDomainName('my-own-vm')).toBeUndefined();
  });
  test('a bad id throws a NameRuleError naming the rule', () => {
    expect(() => domainNameFor('x; rm -rf /')).toThrow(NameRuleError);
    expect(() => domainNameFor('x; rm -rf /')).toThrow(/invalid UUID/);
  });
  accepts(checkDomainName, [`vim-${ID}`]);
  refuses(checkDomainName, [ID, `vim-${ID.toUpperCase()}`, `vim-${ID}\n`, `vnf-${ID}`, 'vim-00000000-0000-0000-0000-000000000000']);
});

describe('vhost-user port names', () => {
  test('vhu + last 10 hex digits of the id + 2 hex digits of the index, 15 characters', () => {
    expect(vhostUserPortName(ID, 0)).toBe('vhu2b3c4d5e6f00');
    expect(vhostUserPortName(ID, 255)).toBe('vhu2b3c4d5e6fff');
    expect(vhostUserPortName(ID, 10)).toHaveLength(15);
  });
  test.each([-1, 256, 1.5, NaN])('index %p is refused', (index) => {
    expect(() => vhostUserPortName(ID, index)).toThrow(RangeError);
  });
  test('every generated name is a valid interface name', () => {
    fc.assert(
      fc.property(fc.uuid({ version: [4, 7] }), fc.integer({ min: 0, max: 255 }), (id, i) => {
        expect(checkInterfaceName(vhostUserPortName(id, i)).ok).toBe(true);
      }),
    );
  });
});

describe('interface names', () => {
  accepts(checkInterfaceName, ['vhu0', 'a', 'tap-123456789ab']);
  refuses(checkInterfaceName, ['', '-x', 'Vhu0', 'tap-123456789abc', 'a b', 'a/b', 'a:b', 'vhu0\n']);
});

describe('bridge names', () => {
  accepts(checkBridgeName, ['br-int', 'br0', 'BR_ext.1', 'b23456789012345']);
  refuses(checkBridgeName, ['', '-br', '.br', 'b234567890123456', 'br int', 'unix:/tmp/x', 'br/0', 'br0\n', 'brß']);
  test('assert returns the value or throws', () => {
    expect(assertBridgeName('br-int')).toBe('br-int');
    expect(() => assertBridgeName('br;id')).toThrow(/invalid bridge name/);
  });
});

describe('physnets, host names, external_ids keys', () => {
  accepts(checkPhysnet, ['physnet1', 'sriov_A.1', 'x'.repeat(64)]);
  refuses(checkPhysnet, ['', '_p', 'x'.repeat(65), 'phys net', 'phys:net']);
  accepts(checkHostName, ['compute-1', 'a', 'a'.repeat(63)]);
  refuses(checkHostName, ['', 'Compute-1', '-a', 'a-', 'a'.repeat(64), 'a.example.org', 'a_b']);
  accepts(checkExternalIdKey, ['iface-id', 'attached-mac', 'vim:vdu-instance', 'a.b_c', 'k'.repeat(64)]);
  refuses(checkExternalIdKey, ['', 'Iface', 'k'.repeat(65), 'a b', 'a=b', 'a"b']);
});

describe('disk targets, machine types and CPU features', () => {
  accepts(checkDiskTarget, ['vda', 'sdb', 'vdaa']);
  refuses(checkDiskTarget, ['hda', 'vd', 'vd1', 'vdaaa', 'VDA']);
  accepts(checkMachineType, ['q35', 'pc-q35-7.2', 'virt']);
  refuses(checkMachineType, ['', 'q35,accel=kvm', 'Q35', '-q35']);
  accepts(checkCpuFeature, ['arch-capabilities', 'sse4.2', 'tsc_adjust', 'x'.repeat(64)]);
  refuses(checkCpuFeature, ['', '-arch-capabilities', 'AVX', 'x'.repeat(65), 'a,b', "a'b", 'a b']);
});

describe('host paths', () => {
  accepts(checkHostPath, ['/var/lib/vim/images/vdu-1.qcow2', '/a', '/run/vim/vhu2b3c4d5e6f00.sock', '/x/c++.img']);
  refuses(checkHostPath, ['', 'relative/path', '/', '/a/', '//a', '/a/../etc/passwd', '/a/./b', '/a b', '/a,b', '/a:b', "/a'b", '/a\nb', '/é']);
  test('socket paths fit in sun_path (107 bytes)', () => {
    expect(checkSocketPath('/' + 'a'.repeat(106)).ok).toBe(true);
    expect(checkSocketPath('/' + 'a'.repeat(107)).ok).toBe(false);
  });
});

describe('anything accepted as an identifier is inert', () => {
  // Whatever the input, an accepted identifier holds no whitespace, quote, shell or XML metacharacter.
  const inert = /^[A-Za-z0-9_.:+/-]*$/;
  const rules = [checkUuid, checkDomainName, checkInterfaceName, checkBridgeName, checkPhysnet, checkHostName, checkExternalIdKey, checkDiskTarget, checkMachineType, checkCpuFeature, checkHostPath];
  test('for arbitrary strings', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 80 }), (s) => {
        for (const rule of rules) {
          const result = rule(s);
          if (result.ok) expect(result.value).toMatch(inert);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
