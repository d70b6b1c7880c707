import { type AffinityType, type DeploymentFlavourModel, SUPPORTED_AFFINITY_SCOPE, type VduModel } from '#vim/descriptors';
import type { PlacementRequest } from '#vim/placement';

export type GroupFields = Pick<PlacementRequest, 'antiAffinityGroups' | 'affinityGroups' | 'affinityNeed' | 'spreadGroup'>;

/** A placement group a VDU's VMs belong to, by fleet-wide name. */
interface Membership {
  name: string;
  type: AffinityType;
}

/**
 * The placement groups of each VDU of a flavour, as request fields. A VDU gets what its
 * vdu-profile says: the df's affinity-or-anti-affinity-groups it names (`<instance>:<group id>`,
 * so two instances of one descriptor never share a group) and its local-affinity-or-anti-affinity-
 * rules, a group of its own VMs (`<instance>/<vdu id>`). A VDU that says nothing and can ever have
 * two VMs gets that same name as a spread group: placement prefers hosts without one of its VMs
 * but does not insist. Unresolved group ids and scopes other than nfvi-node are refused at
 * onboarding; a model stored before groups were read has neither groups nor rules.
 */
export function placementGroups(
  flavour: DeploymentFlavourModel,
  vdus: readonly VduModel[],
  counts: ReadonlyMap<string, number>,
  vnfInstanceId: string,
): Map<string, GroupFields> {
  const memberships = membershipsOf(flavour, vnfInstanceId);
  const out = new Map<string, GroupFields>();
  for (const vdu of vdus) {
    const mine = memberships.get(vdu.id) ?? [];
    const fields: GroupFields = {};
    const anti = mine.filter((m) => m.type === 'anti-affinity').map((m) => m.name);
    const affinity = mine.filter((m) => m.type === 'affinity').map((m) => m.name);
    if (anti.length > 0) fields.antiAffinityGroups = anti;
    if (affinity.length > 0) {
      fields.affinityGroups = affinity;
      fields.affinityNeed = groupNeed(affinity, vdus, memberships, counts);
    }
    const max = flavour.vduProfiles.find((p) => p.vduId === vdu.id)?.maxInstances ?? 0;
    if (mine.length === 0 && Math.max(counts.get(vdu.id) ?? 0, max) > 1) fields.spreadGroup = `${vnfInstanceId}/${vdu.id}`;
    out.set(vdu.id, fields);
  }
  return out;
}

/** Per VDU id, the groups its profile places it in (nfvi-node scope only; duplicates dropped). */
function membershipsOf(flavour: DeploymentFlavourModel, vnfInstanceId: string): Map<string, Membership[]> {
  const placed = (scope: string) => scope === SUPPORTED_AFFINITY_SCOPE;
  const groups = new Map((flavour.affinityGroups ?? []).filter((g) => placed(g.scope)).map((g) => [g.id, g]));
  return new Map(
    flavour.vduProfiles.map((p) => {
      const shared = (p.affinityGroupIds ?? []).flatMap((id) => {
        const g = groups.get(id);
        return g === undefined ? [] : [{ name: `${vnfInstanceId}:${g.id}`, type: g.type }];
      });
      const local = (p.localAffinityRules ?? []).filter((r) => placed(r.scope)).map((r) => ({ name: `${vnfInstanceId}/${p.vduId}`, type: r.type }));
      const all = [...shared, ...local];
      return [p.vduId, all.filter((m, i) => all.findIndex((o) => o.name === m.name && o.type === m.type) === i)];
    }),
  );
}

/** What the VMs of every VDU in any of the `affinity` groups take together: dedicated CPUs and memory. */
function groupNeed(
  affinity: readonly string[],
  vdus: readonly VduModel[],
  memberships: ReadonlyMap<string, Membership[]>,
  counts: ReadonlyMap<string, number>,
): NonNullable<GroupFields['affinityNeed']> {
  const need = { dedicatedCpus: 0, memoryMb: 0 };
  for (const vdu of vdus) {
    if (!(memberships.get(vdu.id) ?? []).some((m) => m.type === 'affinity' && affinity.includes(m.name))) continue;
    const n = counts.get(vdu.id) ?? 0;
    if (vdu.pinningPolicy === 'static') need.dedicatedCpus += n * vdu.vcpus;
    need.memoryMb += n * vdu.memoryMb;
  }
  return need;
}
