import type { Ethertype } from './model.js';

/** An address prefix as numbers: `bits` is the network address, `width` 32 or 128. */
export interface Prefix {
  bits: bigint;
  length: number;
  width: 32 | 128;
}

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

export function parseIpv4(text: string): bigint | undefined {
  const m = IPV4.exec(text);
  if (!m) return undefined;
  const octets = m.slice(1).map(Number);
  if (octets.some((o, i) => o > 255 || (m[i + 1]!.length > 1 && m[i + 1]!.startsWith('0')))) return undefined;
  return octets.reduce((acc, o) => (acc << 8n) | BigInt(o), 0n);
}

const GROUP = /^[0-9a-fA-F]{1,4}$/;

/** RFC 4291 text forms without an embedded IPv4 tail and without a zone. */
export function parseIpv6(text: string): bigint | undefined {
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const part = (s: string): string[] | undefined => (s === '' ? [] : s.split(':'));
  const head = part(halves[0]!);
  const tail = halves.length === 2 ? part(halves[1]!) : [];
  if (!head || !tail || [...head, ...tail].some((g) => !GROUP.test(g))) return undefined;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  const groups = [...head, ...Array<string>(missing).fill('0'), ...tail];
  return groups.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g, 16)), 0n);
}

const WIDTH: Record<Ethertype, 32 | 128> = { ipv4: 32, ipv6: 128 };

/** Parses `address/length` of the ethertype's family, or says why it cannot. */
export function parsePrefix(text: unknown, ethertype: Ethertype): Prefix | string {
  if (typeof text !== 'string') return 'must be a CIDR string';
  const [address, length, extra] = text.split('/');
  const width = WIDTH[ethertype];
  const bits = ethertype === 'ipv4' ? parseIpv4(address!) : parseIpv6(address!);
  if (bits === undefined || extra !== undefined) {
    const other = ethertype === 'ipv4' ? parseIpv6(address!) : parseIpv4(address!);
    return other !== undefined ? `is an ${ethertype === 'ipv4' ? 'IPv6' : 'IPv4'} prefix, but the classifier's ethertype is ${ethertype}` : `is not a CIDR prefix (address/length)`;
  }
  const len = length === undefined ? width : /^\d{1,3}$/.test(length) ? Number(length) : NaN;
  if (!(len >= 0 && len <= width)) return `has a prefix length outside 0..${width}`;
  if ((bits & ~maskOf(len, width)) !== 0n) return `has host bits set beyond /${len}`;
  return { bits, length: len, width };
}

export function maskOf(length: number, width: number): bigint {
  return length === 0 ? 0n : ((1n << BigInt(length)) - 1n) << BigInt(width - length);
}

export function prefixContains(prefix: Prefix, address: bigint): boolean {
  return (address & maskOf(prefix.length, prefix.width)) === prefix.bits;
}

/** Two prefixes share an address exactly when the shorter one contains the other's network. */
export function prefixesOverlap(a: Prefix, b: Prefix): boolean {
  const shorter = a.length <= b.length ? a : b;
  const longer = shorter === a ? b : a;
  return prefixContains(shorter, longer.bits);
}
