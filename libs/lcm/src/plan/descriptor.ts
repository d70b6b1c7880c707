import type {
  DeploymentFlavourModel, ExtCpdModel, InterfaceModel, InterfaceType, VduModel, VnfdModel,
} from '#vim/descriptors';

// What planning reads from a normalised descriptor, shared by the params check and planVms so
// that both see the same ports and images.

export type PortKind = 'vhostuser' | 'sriov';

/** One VDU interface at its place in the guest's port order, with the ext-cpd that exposes it. */
export interface VduPort {
  index: number;
  iface: InterfaceModel;
  /** Absent: the interface is only on an internal virtual link. */
  extCpd?: ExtCpdModel;
}

const KINDS: Partial<Record<InterfaceType, PortKind>> = {
  PARAVIRT: 'vhostuser',
  VIRTIO: 'vhostuser',
  'SR-IOV': 'sriov',
  'PCI-PASSTHROUGH': 'sriov',
};

/** How an interface type is plugged in; undefined for the types placement refuses. */
export function portKind(type: InterfaceType): PortKind | undefined {
  return KINDS[type];
}

const unpositioned = Number.MAX_SAFE_INTEGER;

/**
 * A VDU's interfaces in guest port order: by `position` where the descriptor gives one (OSM's
 * NIC order in the guest), then the others in descriptor order (the sort is stable).
 */
export function vduPorts(vnfd: VnfdModel, vdu: VduModel): VduPort[] {
  return [...vdu.interfaces]
    .sort((a, b) => (a.position ?? unpositioned) - (b.position ?? unpositioned))
    .map((iface, index) => ({ index, iface, extCpd: extCpdOf(vnfd, vdu.id, iface) }));
}

/**
 * The ext-cpd an interface is reached through: one naming its int-cpd, else one exposing the
 * internal virtual link it is on (every interface on that link then shares that binding).
 */
function extCpdOf(vnfd: VnfdModel, vduId: string, iface: InterfaceModel): ExtCpdModel | undefined {
  const direct = vnfd.extCpds.find((e) => e.vduId === vduId && e.intCpdId === iface.cpdId);
  if (direct !== undefined || iface.vlIntRef === undefined) return direct;
  return vnfd.extCpds.find((e) => e.intVirtualLinkDesc === iface.vlIntRef);
}

export function findFlavour(vnfd: VnfdModel, flavourId: string): DeploymentFlavourModel | undefined {
  return vnfd.deploymentFlavours.find((df) => df.id === flavourId);
}

/** The VDUs a flavour deploys (those with a vdu-profile), in descriptor order. */
export function flavourVdus(vnfd: VnfdModel, flavour: DeploymentFlavourModel): VduModel[] {
  return vnfd.vdus.filter((vdu) => flavour.vduProfiles.some((p) => p.vduId === vdu.id));
}

export type ImageFormat = 'qcow2' | 'raw';

/** The disk formats a VDU image may have: the overlay is qcow2, its backing file either. */
export const IMAGE_FORMATS: readonly ImageFormat[] = ['qcow2', 'raw'];

/**
 * The VDU's image file, relative to the host's image directory: `image` (the name OSM looks up
 * in the VIM), else the descriptor's name or id. The format is lower-cased; absent means qcow2.
 */
export function vduImage(vdu: VduModel): { name: string; format: string } | undefined {
  const sw = vdu.swImage;
  if (sw === undefined) return undefined;
  return { name: sw.image ?? sw.name ?? sw.id, format: sw.diskFormat?.toLowerCase() ?? 'qcow2' };
}
