import {
  type DeploymentFlavourModel, type FieldProblem, type InterfaceModel, PLACEABLE_INTERFACE_TYPES, type VduModel, type VnfdModel,
} from '#vim/descriptors';
import { checkBridgeName, checkHostPath, checkPhysnet, checkVlanId, Problems, quote } from '#vim/naming';
import { findFlavour, flavourVdus, IMAGE_FORMATS, type ImageFormat, portKind, type PortKind, vduImage, vduPorts } from './descriptor.js';

export type ExtCpBinding = { bridge: string; vlan?: number } | { physnet: string; vlan?: number };

export interface InstantiateParams {
  flavourId: string;
  instantiationLevelId?: string;
  /** ext-cpd id -> network: an OvS bridge (VIRTIO/PARAVIRT ports) or an SR-IOV physnet (SR-IOV ports). */
  extCpBindings: Record<string, ExtCpBinding>;
}

/** planVms was given params that checkInstantiateParams refuses; `problems` lists every one. */
export class InvalidInstantiateParamsError extends Error {
  override readonly name = 'InvalidInstantiateParamsError';

  constructor(readonly problems: readonly FieldProblem[]) {
    super(`invalid instantiate params: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`);
  }
}

/** A binding as it may arrive from JSON: the union above is what a valid one looks like. */
type RawBinding = Partial<Record<'bridge' | 'physnet' | 'vlan', unknown>>;
type Path = (string | number)[];

const NETWORK: Record<PortKind, { needs: 'bridge' | 'physnet'; refuses: 'bridge' | 'physnet'; types: string }> = {
  vhostuser: { needs: 'bridge', refuses: 'physnet', types: 'VIRTIO/PARAVIRT' },
  sriov: { needs: 'physnet', refuses: 'bridge', types: 'SR-IOV/PCI-PASSTHROUGH' },
};

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const portLabel = (vduId: string, iface: InterfaceModel) => `vdu '${vduId}' cpd '${iface.cpdId}' (${iface.type})`;

/** Every problem (JSON pointer under the request body, e.g. /extCpBindings/mgmt/bridge, and a message); [] when the params fit the descriptor. */
export function checkInstantiateParams(vnfd: VnfdModel, params: InstantiateParams): FieldProblem[] {
  const p = new Problems();
  const flavour = checkFlavour(p, vnfd, params);
  const bindings = readBindings(p, params.extCpBindings);
  for (const [id, binding] of bindings) checkBinding(p, vnfd, id, binding);
  // Without a flavour there is no telling which VDUs, hence which ports, would be launched.
  const bound = (id: string) => isRecord(params.extCpBindings) && Object.hasOwn(params.extCpBindings, id);
  if (flavour !== undefined) checkFlavourVdus(p, vnfd, flavour, bound);
  return p.list;
}

/** Throws InvalidInstantiateParamsError unless checkInstantiateParams finds nothing. */
export function assertInstantiateParams(vnfd: VnfdModel, params: InstantiateParams): void {
  const problems = checkInstantiateParams(vnfd, params);
  if (problems.length > 0) throw new InvalidInstantiateParamsError(problems);
}

function checkFlavour(p: Problems, vnfd: VnfdModel, params: InstantiateParams): DeploymentFlavourModel | undefined {
  const flavour = findFlavour(vnfd, params.flavourId);
  if (flavour === undefined) {
    p.add(['flavourId'], `flavour ${quote(params.flavourId)} does not exist (flavours: ${vnfd.deploymentFlavours.map((df) => df.id).join(', ')})`);
    return undefined;
  }
  const levelId = params.instantiationLevelId;
  if (levelId !== undefined && !flavour.instantiationLevels.some((l) => l.id === levelId)) {
    const levels = flavour.instantiationLevels.map((l) => l.id).join(', ') || 'none';
    p.add(['instantiationLevelId'], `instantiation level ${quote(levelId)} does not exist in flavour '${flavour.id}' (levels: ${levels})`);
  }
  return flavour;
}

/** The bindings that are objects; anything else is reported and left out. */
function readBindings(p: Problems, value: unknown): Map<string, RawBinding> {
  if (!isRecord(value)) {
    p.add(['extCpBindings'], 'must be an object of ext-cpd id to binding');
    return new Map();
  }
  const bindings = new Map<string, RawBinding>();
  for (const [id, binding] of Object.entries(value)) {
    if (isRecord(binding)) bindings.set(id, binding);
    else p.add(['extCpBindings', id], 'must be an object with a bridge or a physnet, and optionally a vlan');
  }
  return bindings;
}

function checkBinding(p: Problems, vnfd: VnfdModel, id: string, binding: RawBinding): void {
  const at: Path = ['extCpBindings', id];
  if (!vnfd.extCpds.some((e) => e.id === id)) {
    p.add(at, `ext-cpd ${quote(id)} does not exist (ext-cpds: ${vnfd.extCpds.map((e) => e.id).join(', ') || 'none'})`);
  }
  if (binding.bridge !== undefined) p.take([...at, 'bridge'], checkBridgeName(binding.bridge));
  if (binding.physnet !== undefined) p.take([...at, 'physnet'], checkPhysnet(binding.physnet));
  if (binding.vlan !== undefined) p.take([...at, 'vlan'], checkVlanId(binding.vlan));
  for (const [kind, example] of kindsBehind(vnfd, id)) {
    const { needs, refuses, types } = NETWORK[kind];
    if (binding[needs] === undefined) p.add([...at, needs], `is required: ext-cpd '${id}' leads to ${example}, a ${types} port`);
    if (binding[refuses] !== undefined) {
      p.add([...at, refuses], `must be left out: ext-cpd '${id}' leads to ${example}, a ${types} port, which takes a ${needs}`);
    }
  }
}

/** The placeable port kinds an ext-cpd leads to, each with the first interface of that kind. */
function kindsBehind(vnfd: VnfdModel, extCpdId: string): Map<PortKind, string> {
  const kinds = new Map<PortKind, string>();
  for (const vdu of vnfd.vdus) {
    for (const { iface, extCpd } of vduPorts(vnfd, vdu)) {
      const kind = portKind(iface.type);
      if (extCpd?.id === extCpdId && kind !== undefined && !kinds.has(kind)) kinds.set(kind, portLabel(vdu.id, iface));
    }
  }
  return kinds;
}

/**
 * Every VDU the flavour may launch counts, even one with no instance at the chosen level: a
 * later scale-out launches it with these same params. Problems of the descriptor itself point at
 * /flavourId, the choice that brings the VDU in.
 */
function checkFlavourVdus(p: Problems, vnfd: VnfdModel, flavour: DeploymentFlavourModel, bound: (extCpdId: string) => boolean): void {
  const missing = new Set<string>();
  for (const vdu of flavourVdus(vnfd, flavour)) {
    checkImage(p, vdu);
    checkPorts(p, vnfd, vdu, bound, missing);
  }
}

/** `missing` collects ext-cpds already reported unbound, as several ports may share one. */
function checkPorts(p: Problems, vnfd: VnfdModel, vdu: VduModel, bound: (extCpdId: string) => boolean, missing: Set<string>): void {
  for (const { iface, extCpd } of vduPorts(vnfd, vdu)) {
    const what = portLabel(vdu.id, iface);
    if (!PLACEABLE_INTERFACE_TYPES.includes(iface.type)) {
      p.add(['flavourId'], `${what}: placement cannot place this interface type (placeable: ${PLACEABLE_INTERFACE_TYPES.join(', ')})`);
    } else if (extCpd === undefined) {
      // Internal-only ports go on the integration bridge; a VF has no bridge, only a physnet.
      if (portKind(iface.type) === 'sriov') {
        p.add(['flavourId'], `${what} is on an internal virtual link only: an SR-IOV port needs an ext-cpd bound to a physnet`);
      }
    } else if (!bound(extCpd.id) && !missing.has(extCpd.id)) {
      missing.add(extCpd.id);
      p.add(['extCpBindings', extCpd.id], `is required: ext-cpd '${extCpd.id}' leads to ${what}`);
    }
  }
}

/** The image becomes a file under the host's image directory, so its name must be a safe relative path there. */
function checkImage(p: Problems, vdu: VduModel): void {
  const image = vduImage(vdu);
  if (image === undefined) return;
  const path = checkHostPath('/' + image.name);
  if (!path.ok) p.add(['flavourId'], `vdu '${vdu.id}' image ${quote(image.name)} cannot be a file in the image directory: ${path.message}`);
  if (!IMAGE_FORMATS.includes(image.format as ImageFormat)) {
    const formats = IMAGE_FORMATS.join(' and ');
    p.add(['flavourId'], `vdu '${vdu.id}' image ${quote(image.name)} has disk-format ${quote(image.format)}; only ${formats} can be launched`);
  }
}
