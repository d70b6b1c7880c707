import { type SpecProblem } from '#vim/naming';
import { classifierProblems } from './classifier.js';
import type { ChainHop, ChainPoint, Classifier, FailMode, HopInstance, PortRange } from './model.js';
import type { ServiceChain } from './model.js';

/**
 * From an NSD's forwarding graphs (SOL006 `vnffgd[].nfpd[]`, as OSM writes them) to chains.
 * The mapping follows OSM's own reading of the tree: each `position-desc-id[]` entry is one path,
 * its `cp-profile-id[]` entries are the hops in list order, a hop's `constituent-profile-elements[]`
 * are its instances (sorted by `order`), and each `match-attributes[]` entry is one classifier, so
 * a position with two match attributes gives two chains over the same hops. The NSD does not say
 * where traffic enters or leaves the chain, nor whether it is symmetric: the caller does.
 */
export interface NsdChainOptions {
  /** Constituent base element id (the NSD's vnf-profile id) -> instantiated VNF instance id. */
  instances: Readonly<Record<string, string>>;
  ingress: ChainPoint;
  egress: ChainPoint;
  symmetric?: boolean;
  failMode?: FailMode;
}

export interface NsdChains {
  chains: ServiceChain[];
  /** Paths are JSON pointers into the NSD object passed in (one element of `nsd:nsd[]`). */
  problems: SpecProblem[];
}

type Json = Record<string, unknown>;
type Path = (string | number)[];
const pointer = (path: Path) => path.map((s) => '/' + String(s).replace(/~/g, '~0').replace(/\//g, '~1')).join('');
const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const isJson = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
type Add = (path: Path, message: string) => void;

/**
 * The list's entries with their index, each an object; any other entry (a null left in a YAML
 * list, a number) is named as a problem and skipped.
 */
function objects(value: unknown, path: Path, add: Add): [Json, number][] {
  return list(value).flatMap((entry, i): [Json, number][] => (isJson(entry) ? [[entry, i]] : (add([...path, i], 'must be an object'), [])));
}

export function chainsFromNsd(nsd: Json, options: NsdChainOptions): NsdChains {
  const out: NsdChains = { chains: [], problems: [] };
  const add = (path: Path, message: string) => out.problems.push({ path: pointer(path), message });
  if (list(nsd.vnffgd).length === 0) add(['vnffgd'], 'the NSD has no forwarding graph (vnffgd)');
  for (const [graph, g] of objects(nsd.vnffgd, ['vnffgd'], add)) {
    for (const [nfpd, n] of objects(graph.nfpd, ['vnffgd', g, 'nfpd'], add)) {
      const at: Path = ['vnffgd', g, 'nfpd', n, 'position-desc-id'];
      for (const [position, p] of objects(nfpd['position-desc-id'], at, add)) positionChains([graph, nfpd, position], [...at, p], options, add, out.chains);
    }
  }
  // A graph without one usable path would otherwise be accepted as making nothing.
  if (out.chains.length === 0 && out.problems.length === 0) add(['vnffgd'], 'gives no chain: no nfpd has a position-desc-id with hops (cp-profile-id) and match-attributes');
  return out;
}

/** One chain per match attribute of a position, over its hops. */
function positionChains(owners: [Json, Json, Json], path: Path, options: NsdChainOptions, add: Add, chains: ServiceChain[]): void {
  const [graph, nfpd, position] = owners;
  const hops = objects(position['cp-profile-id'], [...path, 'cp-profile-id'], add).map(([profile, h]) => hopOf(profile, [...path, 'cp-profile-id', h], options, add));
  if (list(position['cp-profile-id']).length === 0) add([...path, 'cp-profile-id'], 'lists no hop');
  const matches = objects(position['match-attributes'], [...path, 'match-attributes'], add);
  if (list(position['match-attributes']).length === 0) add([...path, 'match-attributes'], 'has no match attributes: a chain needs a classifier');
  for (const [match, m] of matches) {
    const classifier = classifierOf(match, [...path, 'match-attributes', m], add);
    const name = [graph.id, nfpd.id, position.id, match.id].map(String).join('.');
    if (classifier && hops.length > 0 && hops.every((hop) => hop !== undefined)) chains.push(chainOf(name, classifier, hops as ChainHop[], options));
  }
}

function chainOf(name: string, classifier: Classifier, hops: ChainHop[], options: NsdChainOptions): ServiceChain {
  return { name, ingress: options.ingress, egress: options.egress, classifier, hops, symmetric: options.symmetric ?? false, failMode: options.failMode ?? 'closed' };
}

function hopOf(profile: Json, path: Path, options: NsdChainOptions, add: Add): ChainHop | undefined {
  if (list(profile['constituent-profile-elements']).length === 0) return void add([...path, 'constituent-profile-elements'], 'lists no constituent');
  const elements = objects(profile['constituent-profile-elements'], [...path, 'constituent-profile-elements'], add);
  const sorted = elements.map(([element, e]) => ({ element, e })).sort((a, b) => Number(a.element.order ?? 0) - Number(b.element.order ?? 0));
  const instances: HopInstance[] = [];
  for (const { element, e } of sorted) {
    const at = [...path, 'constituent-profile-elements', e];
    const base = String(element['constituent-base-element-id'] ?? '');
    // Own entries only: an id such as `toString` must not find Object's.
    const vnfInstanceId = Object.hasOwn(options.instances, base) ? options.instances[base] : undefined;
    const ingressCpd = element['ingress-constituent-cpd-id'];
    const egressCpd = element['egress-constituent-cpd-id'];
    if (vnfInstanceId === undefined) add([...at, 'constituent-base-element-id'], `constituent ${JSON.stringify(base)} is not mapped to an instantiated VNF (mapped: ${Object.keys(options.instances).sort().join(', ') || 'none'})`);
    if (typeof ingressCpd !== 'string' || ingressCpd === '') add([...at, 'ingress-constituent-cpd-id'], 'must name the ext-cpd facing the ingress');
    if (typeof egressCpd !== 'string' || egressCpd === '') add([...at, 'egress-constituent-cpd-id'], 'must name the ext-cpd facing the egress');
    if (vnfInstanceId !== undefined && typeof ingressCpd === 'string' && typeof egressCpd === 'string') instances.push({ vnfInstanceId, ingressCpd, egressCpd });
  }
  return instances.length === list(profile['constituent-profile-elements']).length ? { instances } : undefined;
}

const FIELDS: Readonly<Record<string, keyof Classifier>> = {
  'source-ip-address': 'sourcePrefix',
  'destination-ip-address': 'destinationPrefix',
  'source-port': 'sourcePorts',
  'destination-port': 'destinationPorts',
};

/** A match-attributes entry: single addresses become /32 or /128 prefixes; port 0 means any (OSM's examples write it so). */
function classifierOf(match: Json, path: Path, add: Add): Classifier | undefined {
  const addresses = [match['source-ip-address'], match['destination-ip-address']].filter((a) => a !== undefined);
  const ethertype = addresses.some((a) => String(a).includes(':')) ? 'ipv6' : 'ipv4';
  const c: Classifier = { ethertype };
  if (match['ip-proto'] !== undefined) c.protocol = Number(match['ip-proto']);
  for (const key of ['source-ip-address', 'destination-ip-address'] as const) {
    const value = match[key];
    // A single address becomes a host prefix of its own family, so a mixed pair is reported as such.
    if (value !== undefined) (c as unknown as Json)[FIELDS[key]!] = String(value).includes('/') ? String(value) : `${String(value)}/${String(value).includes(':') ? 128 : 32}`;
  }
  for (const key of ['source-port', 'destination-port'] as const) {
    const port = match[key];
    if (port !== undefined && Number(port) !== 0) (c as unknown as Json)[FIELDS[key]!] = { from: Number(port), to: Number(port) } satisfies PortRange;
  }
  const problems = classifierProblems(c);
  const names = Object.fromEntries(Object.entries(FIELDS).map(([yang, ours]) => [ours, yang]));
  problems.forEach((problem) => add([...path, names[String(problem.path[0])] ?? (problem.path[0] === 'protocol' ? 'ip-proto' : String(problem.path[0]))], problem.message));
  return problems.length === 0 ? c : undefined;
}
