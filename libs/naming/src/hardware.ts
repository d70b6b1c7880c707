import { asserting, fail, ok, quote, type RuleResult } from './result.js';
import { matching } from './text.js';

/*
 * Numbers and hardware addresses. Numbers must be JavaScript integers (not numeric strings, not
 * floats) so that formatting them can never produce anything but digits.
 */

/** An integer in [min, max]. */
export function checkInteger(value: unknown, min: number, max: number): RuleResult<number> {
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) return fail(`must be an integer, got ${quote(value)}`);
  return value >= min && value <= max ? ok(value) : fail(`${value} is outside ${min}..${max}`);
}

/** 802.1Q VLAN ids: 0 means "priority tag only" and 4095 is reserved, so 1..4094. */
export function checkVlanId(value: unknown): RuleResult<number> {
  return checkInteger(value, 1, 4094);
}
export const assertVlanId = asserting('VLAN id', checkVlanId);

export interface PciAddress {
  domain: number;
  bus: number;
  slot: number;
  function: number;
}

const PCI_ADDRESS = /^([0-9a-f]{4}):([0-9a-f]{2}):([0-9a-f]{2})\.([0-7])$/;

/**
 * PCI addresses in the full lowercase sysfs form `0000:03:10.1` (domain:bus:slot.function), the
 * form libvirt node devices and /sys/bus/pci use; the slot has 5 bits, so at most 1f.
 */
export function checkPciAddress(value: unknown): RuleResult<string> {
  const result = matching(value, PCI_ADDRESS, 'dddd:bb:ss.f in lowercase hex (e.g. 0000:03:10.1)');
  if (!result.ok) return result;
  return parseInt(result.value.slice(8, 10), 16) > 0x1f ? fail(`${quote(value)} has a slot above 1f`) : result;
}
export const assertPciAddress = asserting('PCI address', checkPciAddress);

/** The numeric parts of a valid PCI address. */
export function parsePciAddress(value: string): PciAddress {
  const [, domain, bus, slot, fn] = PCI_ADDRESS.exec(assertPciAddress(value)) as RegExpExecArray;
  return { domain: parseInt(domain, 16), bus: parseInt(bus, 16), slot: parseInt(slot, 16), function: parseInt(fn, 16) };
}

/**
 * Guest MAC addresses: lowercase, colon-separated, unicast (libvirt refuses multicast MACs) and
 * not all zero.
 */
export function checkMacAddress(value: unknown): RuleResult<string> {
  const result = matching(value, /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/, 'xx:xx:xx:xx:xx:xx in lowercase hex');
  if (!result.ok) return result;
  if (parseInt(result.value.slice(0, 2), 16) & 1) return fail(`${quote(value)} is a multicast address`);
  return result.value === '00:00:00:00:00:00' ? fail('the all-zero MAC is not an address') : result;
}
export const assertMacAddress = asserting('MAC address', checkMacAddress);

export const MAX_OPENFLOW_COOKIE = (1n << 64n) - 1n;

/** OpenFlow cookies are 64-bit; bigint because a JavaScript number loses bits above 2^53. */
export function checkOpenFlowCookie(value: unknown): RuleResult<bigint> {
  if (typeof value !== 'bigint') return fail(`must be a bigint, got ${quote(value)}`);
  return value >= 0n && value <= MAX_OPENFLOW_COOKIE ? ok(value) : fail(`${value} is outside 0..2^64-1`);
}
export const assertOpenFlowCookie = asserting('OpenFlow cookie', checkOpenFlowCookie);

/** `0x…` as ovs-ofctl prints and parses cookies. */
export function formatOpenFlowCookie(cookie: bigint): string {
  return '0x' + assertOpenFlowCookie(cookie).toString(16);
}

/**
 * OpenFlow port numbers of ordinary ports: OvS keeps them in 16 bits and reserves 0xff00 and up,
 * so 1..65279 (ovs-vswitchd.conf.db(5), Interface ofport_request).
 */
export function checkOpenFlowPort(value: unknown): RuleResult<number> {
  return checkInteger(value, 1, 0xfeff);
}
export const assertOpenFlowPort = asserting('OpenFlow port', checkOpenFlowPort);

/** virtio-net queue pairs of a vhost-user port: DPDK's vhost library handles at most 128. */
export function checkQueueCount(value: unknown): RuleResult<number> {
  return checkInteger(value, 1, 128);
}
export const assertQueueCount = asserting('queue count', checkQueueCount);

/** Memory sizes in KiB: positive and small enough to stay exact in a JavaScript number. */
export function checkMemoryKib(value: unknown): RuleResult<number> {
  return checkInteger(value, 1, Number.MAX_SAFE_INTEGER);
}
export const assertMemoryKib = asserting('memory size (KiB)', checkMemoryKib);

/** Page sizes in KiB: a power of two of at least 4 (4 KiB, 2048 KiB, 1048576 KiB, …). */
export function checkPageSizeKib(value: unknown): RuleResult<number> {
  const result = checkInteger(value, 4, 2 ** 30);
  if (!result.ok) return result;
  return (result.value & (result.value - 1)) === 0 ? result : fail(`${result.value} KiB is not a power of two`);
}
export const assertPageSizeKib = asserting('page size (KiB)', checkPageSizeKib);
