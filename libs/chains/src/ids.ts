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
 * A chain can spread at most 128 hops over groups.
 */
import { generationCookie } from '#vim/ovs';

export const MAX_GROUP_HOPS = 128;
const CHAIN_MODULUS = 0xfffffn;

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
