import {
  AFFINITY_SCOPES,
  AFFINITY_TYPES,
  type AffinityGroupModel,
  type AffinityScope,
  type AffinityType,
  type DeploymentFlavourModel,
  type ExtCpdModel,
  type InterfaceModel,
  type InterfaceType,
  type MempageSize,
  type PinningPolicy,
  type ScalingAspectModel,
  type StorageModel,
  type SwImageModel,
  type ThreadPolicy,
  type VduModel,
  type VnfdModel,
  INTERFACE_TYPES,
  MEMPAGE_SIZES,
  PINNING_POLICIES,
  THREAD_POLICIES,
} from './model.js';
import { toInteger, toNumber } from './numbers.js';
import { bool, isRecord, type Rec, records, text, texts } from './raw.js';

/**
 * Builds the normalised model of a VNFD. Call it only on a document that passed structural and
 * semantic validation; it throws when a reference it needs (the vnfd itself, a vdu's
 * virtual-compute-desc) is missing.
 */
export function normalizeVnfd(doc: unknown): VnfdModel {
  const vnfd = isRecord(doc) && isRecord(doc.vnfd) ? doc.vnfd : undefined;
  if (!vnfd) throw new Error('normalizeVnfd: document has no vnfd object');
  const byId = (list: unknown) => new Map(records(list).map(({ item }) => [text(item.id) ?? '', item] as const));
  const computes = byId(vnfd['virtual-compute-desc']);
  const images = byId(vnfd['sw-image-desc']);
  const storages = byId(vnfd['virtual-storage-desc']);

  return {
    vnfdId: required(text(vnfd.id), 'vnfd.id'),
    provider: text(vnfd.provider),
    productName: required(text(vnfd['product-name']), 'vnfd.product-name'),
    version: required(text(vnfd.version), 'vnfd.version'),
    softwareVersion: text(vnfd['software-version']),
    description: text(vnfd.description),
    mgmtCp: text(vnfd['mgmt-cp']),
    vdus: records(vnfd.vdu).map(({ item }) => normalizeVdu(item, computes, images, storages)),
    intVirtualLinkDescs: records(vnfd['int-virtual-link-desc']).map(({ item }) => ({ id: text(item.id) ?? '' })),
    extCpds: records(vnfd['ext-cpd']).map(({ item }) => normalizeExtCpd(item)),
    deploymentFlavours: records(vnfd.df).map(({ item }) => normalizeDf(item)),
  };
}

function required(v: string | undefined, what: string): string {
  if (v === undefined) throw new Error(`normalizeVnfd: ${what} is missing`);
  return v;
}

/** Matches `v` against an upper- or lower-case enum, ignoring case; undefined when it is not one. */
function oneOf<T extends string>(v: unknown, allowed: readonly T[]): T | undefined {
  const s = text(v)?.trim().toLowerCase();
  return s === undefined ? undefined : allowed.find((a) => a.toLowerCase() === s);
}

function normalizeVdu(vdu: Rec, computes: Map<string, Rec>, images: Map<string, Rec>, storageDescs: Map<string, Rec>): VduModel {
  const id = required(text(vdu.id), 'vdu.id');
  const computeDescId = required(text(vdu['virtual-compute-desc']), `vdu '${id}' virtual-compute-desc`);
  const compute = computes.get(computeDescId);
  if (!compute) throw new Error(`normalizeVnfd: vdu '${id}' references missing virtual-compute-desc '${computeDescId}'`);
  const cpu = isRecord(compute['virtual-cpu']) ? compute['virtual-cpu'] : {};
  const pinning = isRecord(cpu.pinning) ? cpu.pinning : {};
  const memory = isRecord(compute['virtual-memory']) ? compute['virtual-memory'] : {};
  const memoryGb = toNumber(memory.size);
  if (memoryGb === undefined) throw new Error(`normalizeVnfd: virtual-compute-desc '${computeDescId}' has no virtual-memory.size`);

  const storages: StorageModel[] = texts(vdu['virtual-storage-desc']).flatMap(({ value }) => {
    const s = storageDescs.get(value);
    if (!s) return [];
    return [{ id: value, type: text(s['type-of-storage']), sizeGb: toNumber(s['size-of-storage']), swImageDescId: text(s['sw-image-desc']) }];
  });
  const root = storages.find((s) => s.type === 'root-storage') ?? storages[0];
  const imageId = text(vdu['sw-image-desc']) ?? root?.swImageDescId;
  const image = imageId === undefined ? undefined : images.get(imageId);

  return {
    id,
    name: text(vdu.name),
    description: text(vdu.description),
    computeDescId,
    vcpus: toInteger(cpu['num-virtual-cpu']) ?? 1,
    cpuArchitecture: text(cpu['cpu-architecture']),
    pinningPolicy: oneOf<PinningPolicy>(pinning.policy, PINNING_POLICIES),
    threadPolicy: oneOf<ThreadPolicy>(pinning['thread-policy'], THREAD_POLICIES),
    memoryMb: Math.round(memoryGb * 1024),
    mempageSize: oneOf<MempageSize>(memory['mempage-size'], MEMPAGE_SIZES),
    numaEnabled: bool(memory['numa-enabled']),
    numaNodePolicy: isRecord(memory['numa-node-policy']) ? memory['numa-node-policy'] : undefined,
    swImage: image ? normalizeImage(image) : undefined,
    storageGb: root?.sizeGb,
    storages,
    interfaces: records(vdu['int-cpd']).flatMap(({ item }) => normalizeInterfaces(item)),
    cloudInit: text(vdu['cloud-init']),
    cloudInitFile: text(vdu['cloud-init-file']),
  };
}

function normalizeImage(image: Rec): SwImageModel {
  const checksum = isRecord(image.checksum)
    ? { algorithm: text(image.checksum.algorithm), hash: text(image.checksum.hash) }
    : typeof image.checksum === 'string'
      ? { hash: image.checksum }
      : undefined;
  return {
    id: text(image.id) ?? '',
    name: text(image.name),
    image: text(image.image),
    version: text(image.version),
    diskFormat: text(image['disk-format']),
    containerFormat: text(image['container-format']),
    minDiskGb: toNumber(image['min-disk']),
    minRamGb: toNumber(image['min-ram']),
    sizeGb: toNumber(image.size),
    checksum,
  };
}

/**
 * One interface per virtual-network-interface-requirement of an int-cpd. An int-cpd without one,
 * or without a virtual-interface type, is a PARAVIRT interface, as OSM treats it.
 */
function normalizeInterfaces(cpd: Rec): InterfaceModel[] {
  const cpdId = text(cpd.id) ?? '';
  const vlIntRef = text(cpd['int-virtual-link-desc']);
  const requirements = records(cpd['virtual-network-interface-requirement']);
  if (requirements.length === 0) return [{ cpdId, type: 'PARAVIRT', vlIntRef }];
  return requirements.map(({ item }) => {
    const vif = isRecord(item['virtual-interface']) ? item['virtual-interface'] : {};
    return {
      cpdId,
      name: text(item.name),
      type: oneOf<InterfaceType>(vif.type, INTERFACE_TYPES) ?? 'PARAVIRT',
      vlIntRef,
      position: toInteger(item.position),
      vpci: text(vif.vpci),
      bandwidth: toNumber(vif.bandwidth),
    };
  });
}

function normalizeExtCpd(ext: Rec): ExtCpdModel {
  const intCpd = isRecord(ext['int-cpd']) ? ext['int-cpd'] : undefined;
  return {
    id: text(ext.id) ?? '',
    vduId: intCpd ? text(intCpd['vdu-id']) : undefined,
    intCpdId: intCpd ? text(intCpd.cpd) : undefined,
    intVirtualLinkDesc: text(ext['int-virtual-link-desc']),
  };
}

function normalizeDf(df: Rec): DeploymentFlavourModel {
  return {
    id: text(df.id) ?? '',
    vduProfiles: records(df['vdu-profile']).map(({ item }) => {
      // SOL006 defaults min to 1. When max is absent we take max = min (no scaling beyond the
      // minimum) rather than SOL006's fixed default of 1, which would contradict any min > 1.
      const minInstances = toInteger(item['min-number-of-instances']) ?? 1;
      const maxInstances = toInteger(item['max-number-of-instances']) ?? minInstances;
      const affinityGroupIds = records(item['affinity-or-anti-affinity-group']).flatMap(({ item: ref }) => text(ref.id) ?? []);
      const localAffinityRules = records(item['local-affinity-or-anti-affinity-rule']).map(({ item: rule }) =>
        affinityOf(rule['affinity-type'], rule['affinity-scope']),
      );
      return { vduId: text(item.id) ?? '', minInstances, maxInstances, affinityGroupIds, localAffinityRules };
    }),
    instantiationLevels: records(df['instantiation-level']).map(({ item }) => ({
      id: text(item.id) ?? '',
      vduLevels: records(item['vdu-level']).map(({ item: l }) => ({
        vduId: text(l['vdu-id']) ?? '',
        instances: toInteger(l['number-of-instances']) ?? 1,
      })),
      scaleInfo: records(item['scale-info']).map(({ item: s }) => ({
        aspectId: text(s['scaling-aspect-id']) ?? '',
        scaleLevel: toInteger(s['scale-level']) ?? 0,
      })),
    })),
    defaultInstantiationLevelId: text(df['default-instantiation-level-id']),
    scalingAspects: records(df['scaling-aspect']).map(({ item }) => normalizeAspect(item)),
    affinityGroups: records(df['affinity-or-anti-affinity-group']).map(({ item }) => normalizeAffinityGroup(item)),
  };
}

function normalizeAffinityGroup(group: Rec): AffinityGroupModel {
  return { id: text(group.id) ?? '', ...affinityOf(group.type, group.scope) };
}

/** The type is required and checked by the structure (the fallback only keeps the type whole); a group without a scope is nfvi-node, the one scope placed. */
function affinityOf(type: unknown, scope: unknown): { type: AffinityType; scope: AffinityScope } {
  return { type: oneOf<AffinityType>(type, AFFINITY_TYPES) ?? 'affinity', scope: oneOf<AffinityScope>(scope, AFFINITY_SCOPES) ?? 'nfvi-node' };
}

function normalizeAspect(aspect: Rec): ScalingAspectModel {
  const details = isRecord(aspect['aspect-delta-details']) ? aspect['aspect-delta-details'] : {};
  const steps = texts(details['step-deltas']).map(({ value }) => value);
  return {
    id: text(aspect.id) ?? '',
    name: text(aspect.name),
    maxScaleLevel: toInteger(aspect['max-scale-level']) ?? 1, // absent: a single step
    deltas: records(details.deltas).map(({ item }) => ({
      id: text(item.id) ?? '',
      vduDeltas: records(item['vdu-delta']).map(({ item: d }) => ({
        vduId: text(d.id) ?? '',
        instances: toInteger(d['number-of-instances']) ?? 1,
      })),
    })),
    stepDeltas: steps.length > 0 ? steps : undefined,
  };
}
