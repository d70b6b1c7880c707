import type { DeploymentFlavourModel, MempageSize, VduModel, VnfdModel } from '#vim/descriptors';
import type { PageSize, PlacementRequest } from '#vim/placement';
import { assertInstantiateParams, type ExtCpBinding, type InstantiateParams } from './instantiate-params.js';
import { findFlavour, flavourVdus, type ImageFormat, portKind, vduImage, vduPorts } from './descriptor.js';
import { type GroupFields, placementGroups } from './placement-groups.js';

export interface PlannedPort {
  index: number;
  cpdId: string;
  extCpdId?: string;
  kind: 'vhostuser' | 'sriov';
  bridge?: string;
  physnet?: string;
  vlan?: number;
}

export interface PlannedVm {
  vduId: string;
  /** 0-based per VDU. */
  ordinal: number;
  request: Omit<PlacementRequest, 'requestId'>;
  ports: PlannedPort[];
  image?: { name: string; format: 'qcow2' | 'raw' };
  cloudInit?: string;
}

/**
 * Where ports on internal virtual links only go: one untagged integration bridge per host, so
 * every internal link of every instance shares one segment until internal links get their own
 * (a VLAN or flows per link).
 */
export const INTERNAL_BRIDGE = 'br-int';

/** PREFER_LARGE is OSM's "hugepages if there are any": placement's 'any'. */
const PAGE_SIZES: Record<MempageSize, PageSize> = {
  SMALL: 'small',
  LARGE: 'large',
  SIZE_2MB: 2048,
  SIZE_1GB: 1048576,
  PREFER_LARGE: 'any',
};

/**
 * The VMs of the flavour's instantiation level (the given one, else the default, else each VDU's
 * min instances), in VDU then ordinal order. Throws InvalidInstantiateParamsError when
 * checkInstantiateParams finds a problem, so every port below has its network.
 */
export function planVms(vnfd: VnfdModel, params: InstantiateParams, vnfInstanceId: string): PlannedVm[] {
  assertInstantiateParams(vnfd, params);
  const flavour = findFlavour(vnfd, params.flavourId) as DeploymentFlavourModel;
  const counts = instanceCounts(flavour, params.instantiationLevelId);
  const vdus = flavourVdus(vnfd, flavour);
  const groups = placementGroups(flavour, vdus, counts, vnfInstanceId);
  return vdus.flatMap((vdu) => {
    const count = counts.get(vdu.id) ?? 0;
    return Array.from({ length: count }, (_, ordinal) => plannedVm(vnfd, vdu, ordinal, params.extCpBindings, groups.get(vdu.id) ?? {}));
  });
}

/** A VDU missing from the level gets its profile's minimum, as if the level did not exist. */
function instanceCounts(flavour: DeploymentFlavourModel, levelId: string | undefined): Map<string, number> {
  const wanted = levelId ?? flavour.defaultInstantiationLevelId;
  const level = flavour.instantiationLevels.find((l) => l.id === wanted);
  return new Map(
    flavour.vduProfiles.map((p) => [p.vduId, level?.vduLevels.find((l) => l.vduId === p.vduId)?.instances ?? p.minInstances]),
  );
}

function plannedVm(vnfd: VnfdModel, vdu: VduModel, ordinal: number, bindings: Record<string, ExtCpBinding>, groups: GroupFields): PlannedVm {
  const ports = plannedPorts(vnfd, vdu, bindings);
  const vm: PlannedVm = { vduId: vdu.id, ordinal, request: placementRequest(vdu, ports, groups), ports };
  const image = vduImage(vdu);
  // Checked: the format is one of IMAGE_FORMATS.
  if (image !== undefined) vm.image = { name: image.name, format: image.format as ImageFormat };
  // cloud-init-file names a file in the VNF package, which is not stored: only inline cloud-init is used.
  if (vdu.cloudInit !== undefined) vm.cloudInit = vdu.cloudInit;
  return vm;
}

function plannedPorts(vnfd: VnfdModel, vdu: VduModel, bindings: Record<string, ExtCpBinding>): PlannedPort[] {
  return vduPorts(vnfd, vdu).map(({ index, iface, extCpd }): PlannedPort => {
    // Checked: every port is placeable and every ext-cpd port is bound.
    const kind = portKind(iface.type) as PlannedPort['kind'];
    const binding = extCpd === undefined ? undefined : bindings[extCpd.id];
    const port: PlannedPort = { index, cpdId: iface.cpdId, kind };
    if (extCpd !== undefined) port.extCpdId = extCpd.id;
    if (binding === undefined) return { ...port, bridge: INTERNAL_BRIDGE };
    if ('bridge' in binding) port.bridge = binding.bridge;
    if ('physnet' in binding) port.physnet = binding.physnet;
    if (binding.vlan !== undefined) port.vlan = binding.vlan;
    return port;
  });
}

/**
 * VFs must sit on the VM's NUMA cell ('required'): the descriptor's numa-node-policy is kept as
 * submitted and read nowhere, and its mem-policy is about memory, not devices.
 */
function placementRequest(vdu: VduModel, ports: PlannedPort[], groups: GroupFields): Omit<PlacementRequest, 'requestId'> {
  const request: Omit<PlacementRequest, 'requestId'> = {
    vcpus: vdu.vcpus,
    cpuPolicy: vdu.pinningPolicy === 'static' ? 'dedicated' : 'shared',
    memoryMb: vdu.memoryMb,
    pageSize: vdu.mempageSize === undefined ? 'small' : PAGE_SIZES[vdu.mempageSize],
    virtioPorts: ports.filter((p) => p.kind === 'vhostuser').length,
    sriovPorts: ports.filter((p) => p.kind === 'sriov').map((p) => ({ physnet: p.physnet as string })),
    vfNumaAffinity: 'required',
  };
  // Copies: each VM gets its own objects.
  return structuredClone({ ...request, ...groups });
}
