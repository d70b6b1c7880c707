import { asserting, fail, ok, quote, type RuleResult } from './result.js';
import { matching } from './text.js';

/*
 * Identifiers: strings that name things in libvirt, Open vSwitch, the kernel, ovs-ofctl
 * arguments and QEMU command lines. Each has a small ASCII character set chosen so that the
 * value means the same thing to every consumer: no whitespace, quotes, shell or XML
 * metacharacters, no `,` (QEMU option separator), no `:` or `/` where a tool would read them
 * as a connection method or path, and never a leading `-` (an option to getopt).
 * JavaScript's `$` anchors at the very end (no `m` flag), so a trailing newline never slips through.
 */

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * Canonical lowercase UUIDs only (Postgres prints them this way): accepting upper case too would
 * give one VDU instance two domain names and two port names. The nil and max UUIDs are refused;
 * libvirt treats a UUID whose bytes are all equal as unset.
 */
export function checkUuid(value: unknown): RuleResult<string> {
  const result = matching(value, UUID, 'a lowercase canonical UUID (8-4-4-4-12 hex digits)');
  if (!result.ok) return result;
  const hex = result.value.replace(/-/g, '');
  return /^(.)\1*$/.test(hex) ? fail('the nil/max UUID is not an identifier') : result;
}
export const assertUuid = asserting('UUID', checkUuid);

/** Prefix of every libvirt domain this orchestrator owns; reconciliation ignores all others. */
export const DOMAIN_NAME_PREFIX = 'vim-';
const DOMAIN_NAME = /^vim-([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

/**
 * libvirt domain name of a VDU instance: `vim-<vdu instance uuid>` (40 characters). Derived,
 * never user-chosen, so a retried job defines the same domain (idempotent), names are unique
 * per host, and reconciliation can map a domain back to its row.
 */
export function domainNameFor(vduInstanceId: string): string {
  return DOMAIN_NAME_PREFIX + assertUuid(vduInstanceId);
}

export function checkDomainName(value: unknown): RuleResult<string> {
  const result = matching(value, DOMAIN_NAME, `'${DOMAIN_NAME_PREFIX}<lowercase uuid>'`);
  if (!result.ok) return result;
  const uuid = checkUuid(result.value.slice(DOMAIN_NAME_PREFIX.length));
  return uuid.ok ? result : fail(uuid.message);
}
export const assertDomainName = asserting('libvirt domain name', checkDomainName);

/** The VDU instance id inside a domain name we generated, or undefined for anyone else's domain. */
export function vduInstanceIdOfDomainName(name: string): string | undefined {
  return checkDomainName(name).ok ? name.slice(DOMAIN_NAME_PREFIX.length) : undefined;
}

/** Linux IFNAMSIZ is 16 bytes including the NUL, so at most 15 characters. */
export const IFNAME_MAX_LENGTH = 15;
const INTERFACE_NAME = /^[a-z0-9][a-z0-9-]{0,14}$/;

/** OvS port/interface names we create: `[a-z0-9-]`, 1–15 characters, not starting with `-`. */
export function checkInterfaceName(value: unknown): RuleResult<string> {
  return matching(value, INTERFACE_NAME, '[a-z0-9][a-z0-9-]{0,14} (Linux IFNAMSIZ: at most 15 characters)');
}
export const assertInterfaceName = asserting('interface name', checkInterfaceName);

/** Most vhost-user ports one VDU instance can have: the index is two hex digits. */
export const MAX_VHOST_USER_PORTS = 256;

/**
 * Name of the `index`-th vhost-user port of a VDU instance: `vhu` + the last 10 hex digits of
 * its UUID + the index as 2 hex digits = 15 characters (IFNAMSIZ). The UUID's tail is used
 * because it is random in v4 and v7 UUIDs (the head of a v7 UUID is a timestamp). 40 random bits
 * make a clash on one switch unlikely (~5e-7 with 1000 ports); if one happens anyway OVSDB's
 * unique index on Interface/Port name refuses the insert, it never silently shares a port.
 */
export function vhostUserPortName(vduInstanceId: string, index: number): string {
  const uuid = assertUuid(vduInstanceId);
  if (!Number.isInteger(index) || index < 0 || index >= MAX_VHOST_USER_PORTS) {
    throw new RangeError(`vhost-user port index must be an integer in 0..${MAX_VHOST_USER_PORTS - 1}, got ${quote(index)}`);
  }
  return `vhu${uuid.slice(-10)}${index.toString(16).padStart(2, '0')}`;
}

/**
 * Operator-supplied OvS bridge names. Excludes `:` and `/` because ovs-ofctl reads its switch
 * argument as a connection method (`unix:…`, `tcp:…`) or a socket path when they appear.
 */
export function checkBridgeName(value: unknown): RuleResult<string> {
  return matching(value, /^[A-Za-z0-9][A-Za-z0-9_.-]{0,14}$/, '[A-Za-z0-9][A-Za-z0-9_.-]{0,14}');
}
export const assertBridgeName = asserting('bridge name', checkBridgeName);

/** Physical network labels (operator config, external_ids): 64 like Neutron's physical_network column. */
export function checkPhysnet(value: unknown): RuleResult<string> {
  return matching(value, /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, '[A-Za-z0-9][A-Za-z0-9_.-]{0,63}');
}
export const assertPhysnet = asserting('physnet label', checkPhysnet);

/** Host names: one lowercase DNS label (RFC 1123), as Kubernetes names nodes. */
export function checkHostName(value: unknown): RuleResult<string> {
  return matching(value, /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/, 'a lowercase DNS label (1-63 of [a-z0-9-], no leading/trailing -)');
}
export const assertHostName = asserting('host name', checkHostName);

/** external_ids keys (OVSDB maps): `[a-z0-9_:.-]`, as in `iface-id`, `attached-mac`, `vim:vdu-instance`. */
export function checkExternalIdKey(value: unknown): RuleResult<string> {
  return matching(value, /^[a-z0-9_:.-]{1,64}$/, '[a-z0-9_:.-]{1,64}');
}
export const assertExternalIdKey = asserting('external_ids key', checkExternalIdKey);

/** Guest disk targets: virtio (`vda`…) or SCSI/SATA (`sda`…), as libvirt names them. */
export function checkDiskTarget(value: unknown): RuleResult<string> {
  return matching(value, /^(vd|sd)[a-z]{1,2}$/, "'vd' or 'sd' followed by 1-2 letters");
}
export const assertDiskTarget = asserting('disk target', checkDiskTarget);

/** QEMU machine types such as `q35`, `pc-q35-7.2`, `virt`. */
export function checkMachineType(value: unknown): RuleResult<string> {
  return matching(value, /^[a-z0-9][a-z0-9._-]{0,63}$/, '[a-z0-9][a-z0-9._-]{0,63}');
}
export const assertMachineType = asserting('machine type', checkMachineType);

/** CPU feature names as libvirt and QEMU spell them: `arch-capabilities`, `sse4.2`, `tsc_adjust`. */
export function checkCpuFeature(value: unknown): RuleResult<string> {
  return matching(value, /^[a-z0-9][a-z0-9_.-]{0,63}$/, '[a-z0-9][a-z0-9_.-]{0,63}');
}

/** Longest path the kernel takes (PATH_MAX 4096 including the NUL). */
export const PATH_MAX_BYTES = 4095;
/** sun_path of a Unix socket address is 108 bytes including the NUL. */
export const UNIX_SOCKET_PATH_MAX_BYTES = 107;
const PATH_SEGMENT = /^[A-Za-z0-9._+-]+$/;

/**
 * Host file paths (disk images, ISOs, sockets): absolute, segments of `[A-Za-z0-9._+-]`, no `.`
 * or `..` segment, no empty segment or trailing `/`. No `,` (QEMU's option separator), no `:`
 * (QEMU protocol prefixes), no spaces or quotes, so the path means one file everywhere.
 */
export function checkHostPath(value: unknown, maxBytes = PATH_MAX_BYTES): RuleResult<string> {
  if (typeof value !== 'string') return fail(`must be a string, got ${quote(value)}`);
  if (!value.startsWith('/')) return fail(`${quote(value)} is not an absolute path`);
  const segments = value.slice(1).split('/');
  for (const segment of segments) {
    if (segment === '.' || segment === '..') return fail(`${quote(value)} contains a '${segment}' segment`);
    if (!PATH_SEGMENT.test(segment)) {
      return fail(`${quote(value)} has an empty segment or a character outside [A-Za-z0-9._+-/]`);
    }
  }
  if (value.length > maxBytes) return fail(`is longer than ${maxBytes} bytes`);
  return ok(value);
}
export const assertHostPath = asserting('host path', checkHostPath);

/** Paths of vhost-user sockets: host paths that fit in sun_path. */
export function checkSocketPath(value: unknown): RuleResult<string> {
  return checkHostPath(value, UNIX_SOCKET_PATH_MAX_BYTES);
}
export const assertSocketPath = asserting('socket path', checkSocketPath);
