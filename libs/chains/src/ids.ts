/**
 * Cookies and group ids of a chain's rules (the installer relies on both).
 *
 * Cookie: `(chainCookie << 16) | generation`. The high 48 bits name the chain (its row's
 * `cookie`), the low 16 bits the rendering generation, so `cookie=<chainCookie<<16>/0xffffffffffff0000`
 * matches every generation of one chain and an exact cookie one generation of it; the installer
 * adds generation g+1 and deletes generation g in one bundle. Limits: 1 <= chainCookie < 2^48
 * (0 is refused: cookie 0 is every hand-made flow's), generation < 2^16 (the caller wraps it).
 * The same scheme as libs/ovs's chain bundles.
 *
 * Group id (32 bits in OpenFlow, ids from 0xffffff00 reserved): `generation mod 16` in bits
 * 28..31, `chainCookie mod 0xfffff` in bits 8..27, a slot in bits 0..7 (2 * hop index, +1 for
 * the reverse direction). So a chain's new generation never reuses the ids of the 15 before it
 * (make-before-break keeps two alive at once), and two chains collide only when their cookies are
 * equal modulo 1,048,575: with cookies from one increasing sequence, only when over a million
 * chains separate them. The chain field is never 0xfffff, so no id reaches the reserved range.
 * The field cannot be made collision-free: 32-bit group ids leave 20 bits for 48-bit cookies. So
 * the worker refuses a chain whose field (`groupField`) an older live chain (a smaller cookie)
 * already has: it goes ERROR saying so, and its deletion leaves the groups of that field alone
 * (they are the older chain's); the older chain is never touched. Deleting the refused chain and
 * creating it again gives it a new cookie, and so a new field.
 * A chain can spread at most 128 hops over groups. A chain across hosts also has receive groups
 * (a hop's instances on the host that a tunnel delivered to): slots 128..255, i.e. 2 * (64 + hop)
 * + reverse, so such a chain has at most 64 hops.
 *
 * Tunnel key (`tun_id`, the VNI on the wire): 24 bits, because VXLAN and Geneve carry 24 (GRE
 * 32, OpenFlow's tun_id 64; OvS keeps only the low 24 bits of tun_id on a VXLAN or Geneve port,
 * and VXLAN is what OvS-DPDK tunnels with), so a wider key would be cut and two keys merge on the
 * wire. `(chainCookie mod 0x7fff) + 1` in bits 9..23, a slot in bits 0..8: 2 * position + 1 for
 * the reverse direction, where position is the hop the frame is carried to (0..127) or 128 for
 * the chain's end. The key names where the frame goes, not the generation: generations replace
 * each other in one bundle, as the same-host flows matching an in_port do. Within a chain no two
 * (position, direction) share a key; two chains share keys only when their cookies are equal
 * modulo 32,767 (with cookies from one increasing sequence, when over 32,766 chains separate
 * them). Keys are never below 512, so never 0, the key of frames that came in untunnelled.
 */
import { generationCookie } from '#vim/ovs';

export const MAX_GROUP_HOPS = 128;
export const MAX_TUNNELED_HOPS = 64;
/** The tunnel key position of the chain's end (after the last hop). */
export const END_POSITION = MAX_GROUP_HOPS;
const CHAIN_MODULUS = 0xfffffn;
const KEY_CHAIN_MODULUS = 0x7fffn;

/**
 * The 64-bit cookie of one generation of a chain's flows: libs/ovs's `generationCookie`, which the
 * installer uses too (throws InvalidSpecError outside the limits above). `chainCookieMatch` there
 * matches every generation of a chain.
 */
export function flowCookie(chainCookie: bigint, generation: number): bigint {
  return generationCookie(chainCookie, generation);
}

/** The group id of a hop's select group in one direction of one generation. */
export function groupId(chainCookie: bigint, generation: number, hopIndex: number, reverse: boolean): number {
  if (!Number.isInteger(hopIndex) || hopIndex < 0 || hopIndex >= MAX_GROUP_HOPS) throw new RangeError(`hop index ${hopIndex} is outside 0..${MAX_GROUP_HOPS - 1}`);
  flowCookie(chainCookie, generation);
  const chain = Number(chainCookie % CHAIN_MODULUS);
  return ((generation % 16) * 2 ** 28) + chain * 256 + hopIndex * 2 + (reverse ? 1 : 0);
}

/** The select group, on the host a tunnel delivered to, over that host's instances of a hop. */
export function receiveGroupId(chainCookie: bigint, generation: number, hopIndex: number, reverse: boolean): number {
  if (!Number.isInteger(hopIndex) || hopIndex < 0 || hopIndex >= MAX_TUNNELED_HOPS) throw new RangeError(`hop index ${hopIndex} is outside 0..${MAX_TUNNELED_HOPS - 1}`);
  return groupId(chainCookie, generation, MAX_TUNNELED_HOPS + hopIndex, reverse);
}

/** The 24-bit tunnel key of frames carried to `position` (a hop index, or END_POSITION) of a chain. */
export function tunnelKey(chainCookie: bigint, position: number, reverse: boolean): number {
  if (!Number.isInteger(position) || position < 0 || position > END_POSITION) throw new RangeError(`position ${position} is outside 0..${END_POSITION}`);
  flowCookie(chainCookie, 0);
  const chain = Number(chainCookie % KEY_CHAIN_MODULUS) + 1;
  return chain * 512 + position * 2 + (reverse ? 1 : 0);
}

/** The chain's field in its group ids (bits 8..27): two chains with the same field would delete each other's groups. */
export function groupField(chainCookie: bigint): number {
  return Number(chainCookie % CHAIN_MODULUS);
}

/**
 * Whether a group id on a bridge has this chain's field (any generation, any hop): how the worker
 * finds a chain's groups in a bridge's dump (two chains share it only when their cookies are equal
 * modulo 1,048,575, see above).
 */
export function isChainGroupId(chainCookie: bigint, id: number): boolean {
  return Number.isInteger(id) && id >= 0 && Math.floor(id / 256) % 0x100000 === Number(chainCookie % CHAIN_MODULUS);
}
