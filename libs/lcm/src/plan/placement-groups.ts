import { type AffinityGroupModel, type DeploymentFlavourModel, SUPPORTED_AFFINITY_SCOPE, type VduModel } from '../../../descriptors/src/index.js';
import type { PlacementRequest } from '../../../placement/src/index.js';

export type GroupFields = Pick<PlacementRequest, 'antiAffinityGroups' | 'affinityGroups' | 'affinityNeed' | 'spreadGroup'>;

/**
 * The placement groups of each VDU of a flavour, as request fields. A VDU whose vdu-profile names
 * affinity-or-anti-affinity-groups gets exactly those (fleet-wide names `<instance>:<group id>`,
 * so two instances of one descriptor never share a group). A VDU that names none and can ever
 * have two VMs gets a spread group `<instance>/<vdu id>`: placement prefers hosts without one of
 * its VMs but does not insist. Group ids that do not resolve, or scopes other than nfvi-node, are
 * refused at onboarding; a model stored before groups were read has none of either.
 */
export function placementGroups(
  flavour: DeploymentFlavourModel,
  vdus: readonly VduModel[],
  counts: ReadonlyMap<string, number>,
  vnfInstanceId: string,
): Map<string, GroupFields> {
  const groups = new Map((flavour.affinityGroups ?? []).filter((g) => g.scope === SUPPORTED_AFFINITY_SCOPE).map((g) => [g.id, g]));
  const memberships = new Map(flavour.vduProfiles.map((p) => [p.vduId, (p.affinityGroupIds ?? []).flatMap((id) => groups.get(id) ?? [])]));
  const name = (g: AffinityGroupModel) => `${vnfInstanceId}:${g.id}`;
  const out = new Map<string, GroupFields>();
  for (const vdu of vdus) {
    const mine = memberships.get(vdu.id) ?? [];
    const fields: GroupFields = {};
    const anti = mine.filter((g) => g.type === 'anti-affinity').map(name);
    const affinity = mine.filter((g) => g.type === 'affinity');
    if (anti.length > 0) fields.antiAffinityGroups = anti;
    if (affinity.length > 0) {
      fields.affinityGroups = affinity.map(name);
      fields.affinityNeed = groupNeed(affinity, vdus, memberships, counts);
    }
    const max = flavour.vduProfiles.find((p) => p.vduId === vdu.id)?.maxInstances ?? 0;
    if (mine.length === 0 && Math.max(counts.get(vdu.id) ?? 0, max) > 1) fields.spreadGroup = `${vnfInstanceId}/${vdu.id}`;
    out.set(vdu.id, fields);
  }
  return out;
}

/** What the VMs of every VDU in any of `affinity` take together: dedicated CPUs and memory. */
function groupNeed(
  affinity: readonly AffinityGroupModel[],
  vdus: readonly VduModel[],
  memberships: ReadonlyMap<string, AffinityGroupModel[]>,
  counts: ReadonlyMap<string, number>,
): NonNullable<GroupFields['affinityNeed']> {
  const need = { dedicatedCpus: 0, memoryMb: 0 };
  for (const vdu of vdus) {
    if (!(memberships.get(vdu.id) ?? []).some((g) => affinity.includes(g))) continue;
    const n = counts.get(vdu.id) ?? 0;
    if (vdu.pinningPolicy === 'static') need.dedicatedCpus += n * vdu.vcpus;
    need.memoryMb += n * vdu.memoryMb;
  }
  return need;
}
