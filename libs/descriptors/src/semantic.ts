import { SUPPORTED_AFFINITY_SCOPE } from './model.js';
import { toInteger } from './numbers.js';
import { type FieldProblem, pointer } from './problem.js';
import { isRecord, type Rec, records, text, texts } from './raw.js';

type Path = (string | number)[];

/** Lists at most this many known ids in a message. */
const MAX_LISTED = 12;

function listed(ids: Iterable<string>): string {
  const all = [...ids];
  if (all.length === 0) return 'none';
  const shown = all.slice(0, MAX_LISTED).join(', ');
  return all.length > MAX_LISTED ? `${shown}, … ${all.length - MAX_LISTED} more` : shown;
}

class Checker {
  readonly problems: FieldProblem[] = [];

  add(path: Path, message: string): void {
    this.problems.push({ path: pointer(path), message });
  }

  /**
   * Ids of a list, in order, reporting each repeated one. `kind` names the list in messages,
   * `key` the field holding the id (`id` for nearly everything, `vdu-id` for vdu-level).
   */
  ids(kind: string, list: { item: Rec; index: number }[], base: Path, key = 'id'): Set<string> {
    const seen = new Map<string, number>();
    for (const { item, index } of list) {
      const id = text(item[key]);
      if (id === undefined) continue;
      const first = seen.get(id);
      if (first === undefined) seen.set(id, index);
      else this.add([...base, index, key], `duplicate ${kind} ${key} '${id}' (already used at index ${first})`);
    }
    return new Set(seen.keys());
  }

  /** Reports `value` when it is present and not one of `known`. */
  ref(path: Path, value: unknown, what: string, kind: string, known: Set<string>, knownLabel = `${kind}s`): boolean {
    const id = text(value);
    if (id === undefined) return false;
    if (known.has(id)) return true;
    this.add(path, `${what} references ${kind} '${id}', which does not exist (${knownLabel}: ${listed(known)})`);
    return false;
  }
}

/**
 * Checks what the structure cannot: every reference resolves, ids are unique within their list,
 * and instance counts are consistent. Runs on the structurally valid document as submitted
 * (numbers may still be strings). Returns every problem found, not only the first.
 */
export function validateVnfdSemantics(doc: unknown): FieldProblem[] {
  const c = new Checker();
  const vnfd = isRecord(doc) && isRecord(doc.vnfd) ? doc.vnfd : undefined;
  if (!vnfd) {
    c.add(['vnfd'], 'document has no vnfd object');
    return c.problems;
  }
  const at = (...p: Path): Path => ['vnfd', ...p];

  const vdus = records(vnfd.vdu);
  const vduIds = c.ids('vdu', vdus, at('vdu'));
  const computeIds = c.ids('virtual-compute-desc', records(vnfd['virtual-compute-desc']), at('virtual-compute-desc'));
  const storages = records(vnfd['virtual-storage-desc']);
  const storageIds = c.ids('virtual-storage-desc', storages, at('virtual-storage-desc'));
  const imageIds = c.ids('sw-image-desc', records(vnfd['sw-image-desc']), at('sw-image-desc'));
  const vlIds = c.ids('int-virtual-link-desc', records(vnfd['int-virtual-link-desc']), at('int-virtual-link-desc'));
  const extCpds = records(vnfd['ext-cpd']);
  const extCpdIds = c.ids('ext-cpd', extCpds, at('ext-cpd'));

  for (const { item: storage, index } of storages) {
    const what = `virtual-storage-desc '${text(storage.id)}'`;
    c.ref(at('virtual-storage-desc', index, 'sw-image-desc'), storage['sw-image-desc'], what, 'sw-image-desc', imageIds);
  }

  const intCpdsByVdu = new Map<string, Set<string>>();
  for (const { item: vdu, index } of vdus) {
    const vduId = text(vdu.id) ?? '';
    const base = at('vdu', index);
    const what = `vdu '${vduId}'`;
    c.ref([...base, 'virtual-compute-desc'], vdu['virtual-compute-desc'], what, 'virtual-compute-desc', computeIds);
    c.ref([...base, 'sw-image-desc'], vdu['sw-image-desc'], what, 'sw-image-desc', imageIds);
    for (const { value, index: i } of texts(vdu['alternative-sw-image-desc'])) {
      c.ref([...base, 'alternative-sw-image-desc', i], value, what, 'sw-image-desc', imageIds);
    }
    for (const { value, index: i } of texts(vdu['virtual-storage-desc'])) {
      c.ref([...base, 'virtual-storage-desc', i], value, what, 'virtual-storage-desc', storageIds);
    }
    const cpds = records(vdu['int-cpd']);
    const cpdIds = c.ids(`int-cpd (in vdu '${vduId}')`, cpds, [...base, 'int-cpd']);
    if (!intCpdsByVdu.has(vduId)) intCpdsByVdu.set(vduId, cpdIds);
    for (const { item: cpd, index: i } of cpds) {
      const p = [...base, 'int-cpd', i, 'int-virtual-link-desc'];
      c.ref(p, cpd['int-virtual-link-desc'], `int-cpd '${text(cpd.id)}' of vdu '${vduId}'`, 'int-virtual-link-desc', vlIds);
    }
  }

  for (const { item: ext, index } of extCpds) {
    const base = at('ext-cpd', index);
    const what = `ext-cpd '${text(ext.id)}'`;
    const intCpd = ext['int-cpd'];
    if (isRecord(intCpd)) {
      const vduId = text(intCpd['vdu-id']);
      if (c.ref([...base, 'int-cpd', 'vdu-id'], intCpd['vdu-id'], what, 'vdu', vduIds) && vduId !== undefined) {
        const known = intCpdsByVdu.get(vduId) ?? new Set<string>();
        c.ref([...base, 'int-cpd', 'cpd'], intCpd.cpd, what, 'int-cpd', known, `int-cpds of vdu '${vduId}'`);
      }
      if (ext['int-virtual-link-desc'] !== undefined && ext['int-virtual-link-desc'] !== null) {
        c.add([...base, 'int-virtual-link-desc'], `${what} has both int-cpd and int-virtual-link-desc; SOL006 allows one`);
      }
    }
    c.ref([...base, 'int-virtual-link-desc'], ext['int-virtual-link-desc'], what, 'int-virtual-link-desc', vlIds);
  }

  c.ref(at('mgmt-cp'), vnfd['mgmt-cp'], 'mgmt-cp', 'ext-cpd', extCpdIds);

  const dfs = records(vnfd.df);
  c.ids('df', dfs, at('df'));
  for (const { item: df, index } of dfs) checkDf(c, df, at('df', index), vduIds);

  return c.problems;
}

interface Range {
  min: number;
  max: number;
}

function checkDf(c: Checker, df: Rec, base: Path, vduIds: Set<string>): void {
  const dfName = `df '${text(df.id)}'`;

  const profiles = records(df['vdu-profile']);
  c.ids(`vdu-profile (in ${dfName})`, profiles, [...base, 'vdu-profile']);
  const ranges = new Map<string, Range>();
  for (const { item: profile, index } of profiles) {
    const p = [...base, 'vdu-profile', index];
    const vduId = text(profile.id);
    c.ref([...p, 'id'], profile.id, 'vdu-profile', 'vdu', vduIds);
    // Defaults as in normalizeVnfd: min 1, max = min.
    const min = toInteger(profile['min-number-of-instances']) ?? 1;
    const max = toInteger(profile['max-number-of-instances']) ?? min;
    if (max < min) {
      c.add(
        [...p, 'max-number-of-instances'],
        `vdu-profile '${vduId}': min-number-of-instances (${min}) is greater than max-number-of-instances (${max})`,
      );
    }
    // An inverted range is reported above; checking levels against it would only add noise.
    if (vduId !== undefined && !ranges.has(vduId)) ranges.set(vduId, { min, max: Math.max(min, max) });
  }

  /** Whether an existing vdu has a vdu-profile in this df; reports it when not. */
  const profiled = (path: Path, vduId: string | undefined, what: string): boolean => {
    if (vduId === undefined) return false;
    if (ranges.has(vduId)) return true;
    c.add(path, `${what} uses vdu '${vduId}', which has no vdu-profile in ${dfName}`);
    return false;
  };

  const aspects = records(df['scaling-aspect']);
  const aspectIds = c.ids(`scaling-aspect (in ${dfName})`, aspects, [...base, 'scaling-aspect']);
  const maxLevels = new Map<string, number>();
  for (const { item: aspect, index } of aspects) {
    const p = [...base, 'scaling-aspect', index];
    const aspectId = text(aspect.id) ?? '';
    const what = `scaling-aspect '${aspectId}'`;
    const maxLevel = toInteger(aspect['max-scale-level']) ?? 1; // absent: one step
    if (maxLevel < 1) c.add([...p, 'max-scale-level'], `${what}: max-scale-level must be at least 1 (got ${maxLevel})`);
    if (!maxLevels.has(aspectId)) maxLevels.set(aspectId, maxLevel);

    const details = isRecord(aspect['aspect-delta-details']) ? aspect['aspect-delta-details'] : {};
    const dp = [...p, 'aspect-delta-details'];
    const deltas = records(details.deltas);
    const deltaIds = c.ids(`delta (in ${what})`, deltas, [...dp, 'deltas']);
    for (const { item: delta, index: di } of deltas) {
      const vduDeltas = records(delta['vdu-delta']);
      c.ids(`vdu-delta (in ${what})`, vduDeltas, [...dp, 'deltas', di, 'vdu-delta']);
      for (const { item: vduDelta, index: vi } of vduDeltas) {
        const vp = [...dp, 'deltas', di, 'vdu-delta', vi, 'id'];
        if (c.ref(vp, vduDelta.id, `${what} vdu-delta`, 'vdu', vduIds)) profiled(vp, text(vduDelta.id), what);
      }
    }
    for (const { value, index: si } of texts(details['step-deltas'])) {
      c.ref([...dp, 'step-deltas', si], value, `${what} step-deltas`, 'delta', deltaIds);
    }
  }

  const levels = records(df['instantiation-level']);
  const levelIds = c.ids(`instantiation-level (in ${dfName})`, levels, [...base, 'instantiation-level']);
  for (const { item: level, index } of levels) {
    const p = [...base, 'instantiation-level', index];
    const what = `instantiation-level '${text(level.id)}'`;
    const vduLevels = records(level['vdu-level']);
    c.ids(`vdu-level (in ${what})`, vduLevels, [...p, 'vdu-level'], 'vdu-id');
    for (const { item: vduLevel, index: li } of vduLevels) {
      const lp = [...p, 'vdu-level', li];
      const vduId = text(vduLevel['vdu-id']);
      if (!c.ref([...lp, 'vdu-id'], vduLevel['vdu-id'], `${what} vdu-level`, 'vdu', vduIds)) continue;
      if (!profiled([...lp, 'vdu-id'], vduId, what) || vduId === undefined) continue;
      const range = ranges.get(vduId) as Range;
      const count = toInteger(vduLevel['number-of-instances']) ?? 1;
      if (count < range.min || count > range.max) {
        c.add(
          [...lp, 'number-of-instances'],
          `${what} asks for ${count} instance(s) of vdu '${vduId}', outside its vdu-profile range [${range.min}, ${range.max}]`,
        );
      }
    }
    const scaleInfos = records(level['scale-info']);
    c.ids(`scale-info (in ${what})`, scaleInfos, [...p, 'scale-info'], 'scaling-aspect-id');
    for (const { item: info, index: si } of scaleInfos) {
      const sp = [...p, 'scale-info', si];
      const aspectId = text(info['scaling-aspect-id']);
      if (!c.ref([...sp, 'scaling-aspect-id'], info['scaling-aspect-id'], `${what} scale-info`, 'scaling-aspect', aspectIds)) continue;
      const scaleLevel = toInteger(info['scale-level']);
      const maxLevel = maxLevels.get(aspectId ?? '') ?? 1;
      if (scaleLevel !== undefined && scaleLevel > maxLevel) {
        c.add([...sp, 'scale-level'], `${what} sets scaling-aspect '${aspectId}' to level ${scaleLevel}, above its max-scale-level ${maxLevel}`);
      }
    }
  }

  checkAffinityGroups(c, df, base, profiles);

  const defaultLevel = df['default-instantiation-level-id'];
  c.ref([...base, 'default-instantiation-level-id'], defaultLevel, dfName, 'instantiation-level', levelIds);
  if (levels.length > 1 && text(defaultLevel) === undefined) {
    c.add(
      [...base, 'default-instantiation-level-id'],
      `${dfName} has ${levels.length} instantiation-levels but no default-instantiation-level-id`,
    );
  }
}

/**
 * The df's affinity-or-anti-affinity-groups and the vdu-profiles' local rules: unique group ids,
 * the one scope this VIM places (nfvi-node: on one site a zone or NFVI-PoP holds every host, so it
 * could not keep VMs apart and would join them whatever the rule said), and every vdu-profile
 * reference resolving.
 */
function checkAffinityGroups(c: Checker, df: Rec, base: Path, profiles: { item: Rec; index: number }[]): void {
  const key = 'affinity-or-anti-affinity-group';
  const groups = records(df[key]);
  const groupIds = c.ids(`${key} (in df '${text(df.id)}')`, groups, [...base, key]);
  for (const { item: group, index } of groups) checkScope(c, [...base, key, index, 'scope'], group.scope, `${key} '${text(group.id)}'`);
  for (const { item: profile, index } of profiles) {
    const p = [...base, 'vdu-profile', index];
    const refs = records(profile[key]);
    const what = `vdu-profile '${text(profile.id)}'`;
    c.ids(`${key} (in ${what})`, refs, [...p, key]);
    for (const { item: ref, index: r } of refs) c.ref([...p, key, r, 'id'], ref.id, what, key, groupIds);
    const rule = 'local-affinity-or-anti-affinity-rule';
    for (const { item, index: r } of records(profile[rule])) checkScope(c, [...p, rule, r, 'affinity-scope'], item['affinity-scope'], `${what} ${rule}`);
  }
}

/** Reports a scope other than nfvi-node (absent is nfvi-node). */
function checkScope(c: Checker, path: Path, value: unknown, what: string): void {
  const scope = text(value)?.trim().toLowerCase();
  if (scope === undefined || scope === SUPPORTED_AFFINITY_SCOPE) return;
  c.add(path, `${what} has scope '${scope}'; only ${SUPPORTED_AFFINITY_SCOPE} is supported: this VIM is one site, whose hosts share one zone and NFVI-PoP`);
}
