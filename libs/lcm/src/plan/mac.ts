import { createHash } from 'node:crypto';
import { assertUuid, quote } from '#vim/naming';

/**
 * The MAC of a VDU instance's `index`-th port: derived, not random, so a relaunch gives the guest
 * the same NICs (and its udev/netplan names stay put). The first octet is locally administered
 * unicast (low bits 10) with 6 hashed bits, the next four octets are hashed from the instance id,
 * and the last is the port index, so the ports of one VM never collide.
 */
export function portMac(vduInstanceId: string, index: number): string {
  if (!Number.isInteger(index) || index < 0 || index > 0xff) throw new RangeError(`port index must be an integer in 0..255, got ${quote(index)}`);
  const hash = createHash('sha256').update(assertUuid(vduInstanceId)).digest();
  const octets = [(hash[0]! & 0xfc) | 0x02, hash[1]!, hash[2]!, hash[3]!, hash[4]!, index];
  return octets.map((o) => o.toString(16).padStart(2, '0')).join(':');
}
