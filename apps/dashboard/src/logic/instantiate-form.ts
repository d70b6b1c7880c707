import type { InstantiateVnfRequest } from '../api/types.js';

/** What the instantiate form needs of a descriptor's normalised model (VnfdDetail.model, camelCase). */
export interface FlavourChoice {
  id: string;
  levels: string[];
  defaultLevel?: string;
}

export interface ExtCpdField {
  cpdId: string;
  /** bridge for VIRTIO/PARAVIRT (vhost-user), physnet for SR-IOV/PCI-PASSTHROUGH (VFs). */
  kind: 'bridge' | 'physnet';
  interfaceType?: string;
}

export interface BindingDraft {
  kind: 'bridge' | 'physnet';
  name: string;
  vlan: string;
}

const arr = (v: unknown): Record<string, unknown>[] => (Array.isArray(v) ? v.filter((x): x is Record<string, unknown> => typeof x === 'object' && x !== null) : []);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

export function flavoursOf(model: Record<string, unknown> | undefined): FlavourChoice[] {
  return arr(model?.deploymentFlavours).map((df) => ({
    id: String(df.id),
    levels: arr(df.instantiationLevels).map((l) => String(l.id)),
    defaultLevel: str(df.defaultInstantiationLevelId),
  }));
}

const PHYSNET_TYPES = new Set(['SR-IOV', 'PCI-PASSTHROUGH']);

/** One field per ext-cpd, its kind from the interface type of the int-cpd behind it. */
export function extCpdFields(model: Record<string, unknown> | undefined): ExtCpdField[] {
  const vdus = arr(model?.vdus);
  return arr(model?.extCpds).map((cpd) => {
    const vdu = vdus.find((v) => v.id === cpd.vduId);
    const iface = arr(vdu?.interfaces).find((i) => i.cpdId === cpd.intCpdId);
    const interfaceType = str(iface?.type);
    return { cpdId: String(cpd.id), kind: interfaceType && PHYSNET_TYPES.has(interfaceType) ? 'physnet' : 'bridge', ...(interfaceType && { interfaceType }) };
  });
}

export const defaultBinding = (field: ExtCpdField): BindingDraft => ({ kind: field.kind, name: field.kind === 'bridge' ? 'br-int' : '', vlan: '' });

/** The request body; a VLAN left empty is left out, one that is not a number is sent as is for the API to refuse. */
export function toInstantiateRequest(flavourId: string, level: string, bindings: Record<string, BindingDraft>): InstantiateVnfRequest {
  return {
    flavourId,
    ...(level && { instantiationLevelId: level }),
    extCpBindings: Object.fromEntries(
      Object.entries(bindings).map(([cpd, b]) => {
        const vlan = b.vlan.trim();
        const vlanValue = vlan === '' ? undefined : /^\d+$/.test(vlan) ? Number(vlan) : (vlan as unknown as number);
        return [cpd, { [b.kind]: b.name.trim(), ...(vlanValue !== undefined && { vlan: vlanValue }) }];
      }),
    ),
  };
}

/** The ext-cpd a problem pointer names (`/extCpBindings/left/vlan` is left). */
export const cpdOfPointer = (path: string): string | undefined => /^\/extCpBindings\/([^/]+)/.exec(path)?.[1]?.replace(/~1/g, '/').replace(/~0/g, '~');
