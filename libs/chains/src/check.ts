import { checkBridgeName, checkHostName, checkInterfaceName, checkOpenFlowPort, checkVlanId, Problems, type SpecProblem } from '#vim/naming';
import { classifierProblems, classifiersOverlap } from './classifier.js';
import { MAX_GROUP_HOPS } from './ids.js';
import {
  type ChainFacts, type ChainPoint, type ConnectionPoint, type InstanceFacts, isNetworkPoint, MAX_CHAIN_PRIORITY, type NetworkFacts,
  type PortFacts, type ServiceChain,
} from './model.js';
import { matchPoints } from './points.js';

type Path = (string | number)[];
/** Where the chain's traffic is: the host and bridge of its ingress. */
interface Anchor {
  host: string;
  bridge: string;
  what: string;
}

/**
 * Every reason the chain cannot be steered as sent, each with a JSON pointer into the chain;
 * empty when it can. Never throws. `others` are the other chains already steered (not this one:
 * leave it out when checking a change); classifiers are compared where both match traffic.
 */
export function checkChain(chain: ServiceChain, facts: ChainFacts, others: readonly ServiceChain[] = []): SpecProblem[] {
  const p = new Problems();
  checkHeader(chain, p);
  for (const problem of classifierProblems(chain.classifier ?? { ethertype: undefined as never })) p.add(['classifier', ...problem.path], problem.message);
  const anchor = endpointAnchor(chain, facts, p);
  checkEnd(chain, 'ingress', facts, anchor, p);
  checkEnd(chain, 'egress', facts, anchor, p);
  checkHops(chain, facts, anchor, p);
  if (p.list.length === 0) checkOverlaps(chain, facts, others, p);
  return p.list;
}

function checkHeader(chain: ServiceChain, p: Problems): void {
  if (typeof chain.name !== 'string' || chain.name.trim() === '') p.add(['name'], 'must be a non-empty string');
  if (chain.failMode !== undefined && chain.failMode !== 'closed' && chain.failMode !== 'open') p.add(['failMode'], "must be 'closed' or 'open'");
  if (chain.priority !== undefined && !(Number.isInteger(chain.priority) && chain.priority >= 0 && chain.priority <= MAX_CHAIN_PRIORITY)) {
    p.add(['priority'], `must be an integer 0..${MAX_CHAIN_PRIORITY}`);
  }
  if (typeof chain.symmetric !== 'boolean') p.add(['symmetric'], 'must be true or false');
  if (!Array.isArray(chain.hops) || chain.hops.length === 0) p.add(['hops'], 'must list at least one hop');
  else if (chain.hops.length > MAX_GROUP_HOPS) p.add(['hops'], `has ${chain.hops.length} hops; at most ${MAX_GROUP_HOPS}`);
}

/** The ingress's host and bridge, which every other port of the chain must share. */
function endpointAnchor(chain: ServiceChain, facts: ChainFacts, p: Problems): Anchor | undefined {
  const ingress = chain.ingress;
  if (ingress === undefined || ingress === null) return void p.add(['ingress'], 'is required');
  if (isNetworkPoint(ingress)) return { host: ingress.host, bridge: ingress.bridge, what: 'the ingress' };
  const port = facts.instances[ingress.vnfInstanceId]?.ports[ingress.cpdId];
  return port && { host: port.host, bridge: port.bridge, what: 'the ingress' };
}

function checkEnd(chain: ServiceChain, end: 'ingress' | 'egress', facts: ChainFacts, anchor: Anchor | undefined, p: Problems): void {
  const point: ChainPoint | undefined = chain[end];
  if (point === undefined || point === null) return end === 'egress' ? p.add([end], 'is required') : undefined;
  if (isNetworkPoint(point)) return checkNetworkEnd(chain, end, facts[end], anchor, p);
  const cp = point as ConnectionPoint;
  const inst = instanceFacts(facts, cp.vnfInstanceId, [end, 'vnfInstanceId'], p);
  if (inst) checkPort(inst, cp.cpdId, [end, 'cpdId'], `the ${end}`, anchor, p);
}

function checkNetworkEnd(chain: ServiceChain, end: 'ingress' | 'egress', facts: NetworkFacts | undefined, anchor: Anchor | undefined, p: Problems): void {
  const point = chain[end] as { host: unknown; bridge: unknown; vlan?: unknown; port?: unknown };
  p.take([end, 'host'], checkHostName(point.host));
  p.take([end, 'bridge'], checkBridgeName(point.bridge));
  if (point.vlan !== undefined) p.take([end, 'vlan'], checkVlanId(point.vlan));
  if (point.port !== undefined) p.take([end, 'port'], checkInterfaceName(point.port));
  if (facts?.ofport !== undefined) p.take([end], checkOpenFlowPort(facts.ofport));
  const vlanOnly = end === 'ingress' && !chain.symmetric && point.vlan !== undefined && facts?.tagged !== false;
  if (facts?.ofport === undefined && !vlanOnly) p.add([end], `has no port on bridge ${String(point.bridge)}: the ${end} needs the OpenFlow port where its traffic ${end === 'ingress' ? 'arrives' : 'leaves'}`);
  if (end === 'egress' && anchor) sameSwitch({ host: point.host as string, bridge: point.bridge as string }, [end], 'the egress', anchor, p);
}

function instanceFacts(facts: ChainFacts, id: string, path: Path, p: Problems): InstanceFacts | undefined {
  const inst = facts.instances[id];
  if (!inst) return void p.add(path, `VNF instance ${id} does not exist`);
  if (inst.state !== 'INSTANTIATED') p.add(path, `VNF instance ${id} is ${inst.state}, not INSTANTIATED`);
  return inst;
}

function checkPort(inst: InstanceFacts, cpd: string, path: Path, what: string, anchor: Anchor | undefined, p: Problems): PortFacts | undefined {
  const port = inst.ports[cpd];
  if (!port) return void p.add(path, `${what}: the instance has no port for connection point ${cpd} (ports: ${Object.keys(inst.ports).sort().join(', ') || 'none'})`);
  // Nothing else about a VF matters: it has no bridge and no OpenFlow port.
  if (port.kind === 'sriov') return void p.add(path, `${what}: connection point ${cpd} is an SR-IOV port; a VF bypasses OvS, so it cannot be steered`);
  p.take(path, checkOpenFlowPort(port.ofport));
  if (anchor) sameSwitch(port, path, `${what} (connection point ${cpd})`, anchor, p);
  return port;
}

/** For now every port must be on the ingress's bridge: no patch ports, no tunnels. */
function sameSwitch(port: { host: string; bridge: string }, path: Path, what: string, anchor: Anchor, p: Problems): void {
  if (port.host !== anchor.host) {
    p.add(path, `${what} is on host ${port.host}, but ${anchor.what} is on host ${anchor.host}: a chain across hosts needs a tunnel, which chains do not render yet`);
  } else if (port.bridge !== anchor.bridge) {
    p.add(path, `${what} is on bridge ${port.bridge}, but ${anchor.what} is on bridge ${anchor.bridge} of host ${anchor.host}: different bridges need a patch port between them, which chains do not set up`);
  }
}

function checkHops(chain: ServiceChain, facts: ChainFacts, anchor: Anchor | undefined, p: Problems): void {
  if (!Array.isArray(chain.hops)) return;
  chain.hops.forEach((hop, h) => {
    if (!Array.isArray(hop?.instances) || hop.instances.length === 0) return p.add(['hops', h, 'instances'], 'must list at least one VNF instance');
    if (chain.symmetric && hop.instances.length > 1) {
      p.add(['hops', h, 'instances'], `hop ${h} has ${hop.instances.length} instances: a symmetric chain cannot spread a hop yet, since the reverse flow must come back through the instance its forward flow took and a select group's hash is not symmetric`);
    }
    const seen = new Set<string>();
    hop.instances.forEach((inst, i) => {
      const path: Path = ['hops', h, 'instances', i];
      if (seen.has(inst.vnfInstanceId)) p.add([...path, 'vnfInstanceId'], `VNF instance ${inst.vnfInstanceId} is listed twice in hop ${h}`);
      seen.add(inst.vnfInstanceId);
      const found = instanceFacts(facts, inst.vnfInstanceId, [...path, 'vnfInstanceId'], p);
      if (!found) return;
      checkPort(found, inst.ingressCpd, [...path, 'ingressCpd'], `hop ${h}`, anchor, p);
      checkPort(found, inst.egressCpd, [...path, 'egressCpd'], `hop ${h}`, anchor, p);
    });
  });
}

/**
 * Classifiers that overlap where both match traffic (the same ingress, or the same instance port
 * in two chains or twice in one) with the same priority: the switch could not tell which chain a
 * packet belongs to.
 */
function checkOverlaps(chain: ServiceChain, facts: ChainFacts, others: readonly ServiceChain[], p: Problems): void {
  const own = matchPoints(chain);
  const exact = matchPoints(chain, facts);
  exact.forEach((a, i) =>
    exact.slice(i + 1).forEach((b) => {
      if (a.key === b.key && classifiersOverlap(a.classifier, b.classifier)) {
        p.add(b.path, `the chain matches overlapping traffic twice at ${a.label} (also at /${a.path.join('/')}): the switch could not tell the two places of the chain apart`);
      }
    }),
  );
  for (const other of others) {
    if ((other.priority ?? 0) !== (chain.priority ?? 0)) continue;
    const theirs = matchPoints(other);
    const clash = own.find((a) => theirs.some((b) => a.key === b.key && classifiersOverlap(a.classifier, b.classifier)));
    if (clash) {
      p.add(['classifier'], `overlaps the classifier of chain '${other.name}' at ${clash.label} with the same priority (${chain.priority ?? 0}): give one of them another priority, or make the classifiers disjoint`);
    }
  }
}
