import { describe, expect, test } from '@jest/globals';
import {
  checkMacAddress, checkOpenFlowCookie, checkOpenFlowPort, checkPageSizeKib, checkPciAddress, checkQueueCount, checkVlanId,
  formatOpenFlowCookie, MAX_OPENFLOW_COOKIE, parsePciAddress,
} from './hardware.js';
import { NameRuleError } from './result.js';

describe('VLAN ids', () => {
  test.each([1, 100, 4094])('accepts %p', (v) => expect(checkVlanId(v).ok).toBe(true));
  test.each([0, 4095, -1, 1.5, '100', NaN, null])('refuses %p', (v) => expect(checkVlanId(v).ok).toBe(false));
});

describe('PCI addresses', () => {
  test.each(['0000:03:10.1', '0000:af:1f.7', 'ffff:ff:00.0'])('accepts %p', (v) => expect(checkPciAddress(v).ok).toBe(true));
  test.each(['0000:03:10.8', '0000:03:20.0', '0000:AF:10.1', '03:10.1', '0000:03:10.1\n', ' 0000:03:10.1', '0000:03:10.1,x'])(
    'refuses %p',
    (v) => expect(checkPciAddress(v).ok).toBe(false),
  );
  test('parses into numbers', () => {
    expect(parsePciAddress('0000:af:1f.7')).toEqual({ domain: 0, bus: 0xaf, slot: 0x1f, function: 7 });
    expect(() => parsePciAddress('bad')).toThrow(NameRuleError);
  });
});

describe('MAC addresses', () => {
  test.each(['52:54:00:12:34:56', 'fa:16:3e:00:00:01'])('accepts %p', (v) => expect(checkMacAddress(v).ok).toBe(true));
  test.each(['01:00:5e:00:00:01', 'ff:ff:ff:ff:ff:ff', '00:00:00:00:00:00', '52:54:00:12:34:5G', '52-54-00-12-34-56', '52:54:00:12:34:56\n'])(
    'refuses %p',
    (v) => expect(checkMacAddress(v).ok).toBe(false),
  );
});

describe('OpenFlow cookies and ports', () => {
  test('cookies are 64-bit bigints, printed in hex', () => {
    expect(checkOpenFlowCookie(0n).ok).toBe(true);
    expect(checkOpenFlowCookie(MAX_OPENFLOW_COOKIE).ok).toBe(true);
    expect(checkOpenFlowCookie(MAX_OPENFLOW_COOKIE + 1n).ok).toBe(false);
    expect(checkOpenFlowCookie(-1n).ok).toBe(false);
    expect(checkOpenFlowCookie(5).ok).toBe(false);
    expect(formatOpenFlowCookie(0xc0ffeen)).toBe('0xc0ffee');
    expect(formatOpenFlowCookie(MAX_OPENFLOW_COOKIE)).toBe('0xffffffffffffffff');
  });
  test.each([[1, true], [65279, true], [0, false], [65280, false], [0xfffffffe, false]])('port %p -> %p', (v, ok) => {
    expect(checkOpenFlowPort(v).ok).toBe(ok);
  });
});

describe('queues and page sizes', () => {
  test.each([[1, true], [128, true], [0, false], [129, false]])('queues %p -> %p', (v, ok) => expect(checkQueueCount(v).ok).toBe(ok));
  test.each([[4, true], [2048, true], [1048576, true], [3, false], [1000, false], [0, false]])('page %p KiB -> %p', (v, ok) =>
    expect(checkPageSizeKib(v).ok).toBe(ok),
  );
});
