import { createHash } from 'node:crypto';

/** Namespace of our name-based UUIDs (RFC 4122 version 5); fixed, so ids never change meaning. */
const NAMESPACE = Buffer.from('6f1c7e52b0a94c3e9d5b2a7f4e8c1d03', 'hex');

/** RFC 4122 version 5: SHA-1 of namespace and name, with the version and variant bits set. */
function nameUuid(name: string): string {
  const bytes = createHash('sha1').update(NAMESPACE).update(name).digest().subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x50;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * The id of a VNF instance's `ordinal`-th VM of a VDU. Derived rather than random: a step that
 * runs again creates no second row, and any later operation finds which planned VM a row is
 * (its cloud-init hostname, for one, depends on the ordinal) without storing the plan.
 */
export function vmIdFor(vnfInstanceId: string, vm: { vduId: string; ordinal: number }): string {
  return nameUuid(JSON.stringify(['vm', vnfInstanceId, vm.vduId, vm.ordinal]));
}

/** The row that holds a healed VM's old host and claims while the VM moves (LcmStore.parkVm). */
export function holderIdFor(opId: string, vmId: string): string {
  return nameUuid(JSON.stringify(['holder', opId, vmId]));
}
