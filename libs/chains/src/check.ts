import { checkBridgeName, checkHostName, checkInterfaceName, checkOpenFlowPort, checkVlanId, Problems, type SpecProblem } from '#vim/naming';
import { classifierProblems, classifiersOverlap } from './classifier.js';
import { MAX_GROUP_HOPS, MAX_TUNNELED_HOPS } from './ids.js';
import {
  type ChainFacts, type ChainPoint, type ConnectionPoint, type InstanceFacts, isNetworkPoint, MAX_CHAIN_PRIORITY, type NetworkFacts,
  type PortFacts, type ServiceChain,
} from './model.js';
import { matchPoints } from './points.js';

type Path = (string | number)[];
/** The chain's bridge on one host: that of the first of its ports seen there (the ingress first). */
interface Anchor {
  host: string;
  bridge: string;
  what: string;
}
/** By host; undefined when the ingress's host is unknown, so no port can be compared with it. */
type Anchors = Map<string, Anchor> | undefined;

/**
 * Every reason the chain cannot be steered as sent, each with a JSON pointer into the chain;
 * empty when it can. Never throws. `others` are the other chains already steered (not this one:
 * leave it out when checking a change); classifiers are compared where both match traffic.
 */
export function checkChain(chain: ServiceChain, facts: ChainFacts, others: readonly ServiceChain[] = []): SpecProblem[] {
  const p = new Problems();
  checkHeader(chain, p);
  for (const problem of classifierProblems(chain.classifier ?? { ethertype: undefined as never })) p.add(['classifier', ...problem.path], problem.message);
  const first = endpointAnchor(chain, facts, p);
  const anchors: Anchors = first && new Map([[first.host, first]]);
  checkEnd(chain, 'ingress', facts, anchors, p);
  checkEnd(chain, 'egress', facts, anchors, p);
  checkHops(chain, facts, anchors, p);
  if (anchors && anchors.size > 1) checkTunnels(chain, facts, anchors, p);
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

/** The ingress's host and bridge: every other port of the chain on that host must share the bridge. */
function endpointAnchor(chain: ServiceChain, facts: ChainFacts, p: Problems): Anchor | undefined {
  const ingress = chain.ingress;
  if (ingress === undefined || ingress === null) return void p.add(['ingress'], 'is required');
  if (isNetworkPoint(ingress)) return { host: ingress.host, bridge: ingress.bridge, what: 'the ingress' };
  const port = facts.instances[ingress.vnfInstanceId]?.ports[ingress.cpdId];
  return port && { host: port.host, bridge: port.bridge, what: 'the ingress' };
}

function checkEnd(chain: ServiceChain, end: 'ingress' | 'egress', facts: ChainFacts, anchors: Anchors, p: Problems): void {
  const point: ChainPoint | undefined = chain[end];
  if (point === undefined || point === null) return end === 'egress' ? p.add([end], 'is required') : undefined;
  if (isNetworkPoint(point)) return checkNetworkEnd(chain, end, facts[end], anchors, p);
  const cp = point as ConnectionPoint;
  const inst = instanceFacts(facts, cp.vnfInstanceId, [end, 'vnfInstanceId'], p);
  if (inst?.state === 'INSTANTIATED') checkPort(inst, cp.cpdId, [end, 'cpdId'], `the ${end}`, anchors, p);
}

function checkNetworkEnd(chain: ServiceChain, end: 'ingress' | 'egress', facts: NetworkFacts | undefined, anchors: Anchors, p: Problems): void {
  const point = chain[end] as { host: unknown; bridge: unknown; vlan?: unknown; port?: unknown };
  p.take([end, 'host'], checkHostName(point.host));
  p.take([end, 'bridge'], checkBridgeName(point.bridge));
  if (point.vlan !== undefined) p.take([end, 'vlan'], checkVlanId(point.vlan));
  if (point.port !== undefined) p.take([end, 'port'], checkInterfaceName(point.port));
  if (facts?.ofport !== undefined) p.take([end], checkOpenFlowPort(facts.ofport));
  const vlanOnly = end === 'ingress' && !chain.symmetric && point.vlan !== undefined && facts?.tagged !== false;
  if (facts?.ofport === undefined && !vlanOnly) p.add([end], `has no port on bridge ${String(point.bridge)}: the ${end} needs the OpenFlow port where its traffic ${end === 'ingress' ? 'arrives' : 'leaves'}`);
  if (end === 'egress' && anchors) sameSwitch({ host: point.host as string, bridge: point.bridge as string }, [end], 'the egress', anchors, p);
}

function instanceFacts(facts: ChainFacts, id: string, path: Path, p: Problems): InstanceFacts | undefined {
  const inst = facts.instances[id];
  if (!inst) return void p.add(path, `VNF instance ${id} does not exist`);
  if (inst.state !== 'INSTANTIATED') p.add(path, `VNF instance ${id} is ${inst.state}, not INSTANTIATED`);
  return inst;
}

function checkPort(inst: InstanceFacts, cpd: string, path: Path, what: string, anchors: Anchors, p: Problems): PortFacts | undefined {
  const port = inst.ports[cpd];
  if (!port) return void p.add(path, `${what}: the instance has no port for connection point ${cpd} (ports: ${Object.keys(inst.ports).sort().join(', ') || 'none'})`);
  // Nothing else about a VF matters: it has no bridge and no OpenFlow port.
  if (port.kind === 'sriov') return void p.add(path, `${what}: connection point ${cpd} is an SR-IOV port; a VF bypasses OvS, so it cannot be steered`);
  p.take(path, checkOpenFlowPort(port.ofport));
  if (anchors) sameSwitch(port, path, `${what} (connection point ${cpd})`, anchors, p);
  return port;
}

/**
 * One bridge per host: bridges of one host would need a patch port between them, which chains do
 * not set up. Other hosts are reached through tunnels (checkTunnels).
 */
function sameSwitch(port: { host: string; bridge: string }, path: Path, what: string, anchors: Map<string, Anchor>, p: Problems): void {
  const anchor = anchors.get(port.host);
  if (anchor === undefined) return void anchors.set(port.host, { host: port.host, bridge: port.bridge, what });
  if (port.bridge !== anchor.bridge) {
    p.add(path, `${what} is on bridge ${port.bridge}, but ${anchor.what} is on bridge ${anchor.bridge} of host ${anchor.host}: different bridges need a patch port between them, which chains do not set up`);
  }
}

function checkHops(chain: ServiceChain, facts: ChainFacts, anchors: Anchors, p: Problems): void {
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
      // An instance that is not INSTANTIATED has no ports: saying so for each cpd adds nothing.
      if (found?.state !== 'INSTANTIATED') return;
      checkPort(found, inst.ingressCpd, [...path, 'ingressCpd'], `hop ${h}`, anchors, p);
      checkPort(found, inst.egressCpd, [...path, 'egressCpd'], `hop ${h}`, anchors, p);
    });
  });
}

/** A port of the chain (or a network end) on a host, as a problem names it. */
interface Place {
  host: string;
  path: Path;
  what: string;
}

/** Where one stage of a walk takes traffic in and lets it out (the ingress only lets out, the egress only takes in). */
interface Stage {
  enter: Place[];
  leave: Place[];
}

/**
 * Both sides of every pair of hosts the traffic may cross between need a tunnel port (the sender
 * sends by its own, the receiver matches arrival on its own). From one stage to the next; with
 * failMode open a dead hop is skipped, so from any stage to any later one, since which hops die
 * is not known when the chain is accepted.
 */
function checkTunnels(chain: ServiceChain, facts: ChainFacts, anchors: Map<string, Anchor>, p: Problems): void {
  if (!Array.isArray(chain.hops)) return;
  if (chain.hops.length > MAX_TUNNELED_HOPS) p.add(['hops'], `has ${chain.hops.length} hops across hosts; at most ${MAX_TUNNELED_HOPS} (a tunnel's receiving side needs group ids of its own)`);
  const reach = chain.failMode === 'open' ? undefined : 2;
  const seen = new Set<string>();
  for (const walk of walks(chain, facts)) {
    walk.forEach((from, i) =>
      walk.slice(i + 1, reach && i + reach).forEach((to) => from.leave.forEach((a) => to.enter.forEach((b) => checkTunnel(a, b, facts, anchors, seen, p)))),
    );
  }
}

function checkTunnel(a: Place, b: Place, facts: ChainFacts, anchors: Map<string, Anchor>, seen: Set<string>, p: Problems): void {
  const pair = [a.host, b.host].sort().join(' ');
  if (a.host === b.host || seen.has(pair)) return;
  seen.add(pair);
  const sides = [[a.host, b.host], [b.host, a.host]] as const;
  for (const [host, remote] of sides) {
    const tunnel = facts.tunnels?.[host]?.[remote];
    if (tunnel !== undefined) p.take(b.path, checkOpenFlowPort(tunnel.ofport));
  }
  const missing = sides.filter(([host, remote]) => facts.tunnels?.[host]?.[remote] === undefined);
  if (missing.length === 0) return;
  const where = missing.map(([host, remote]) => `on bridge ${anchors.get(host)!.bridge} of host ${host} to host ${remote}`).join(', nor ');
  p.add(b.path, `${b.what} is on host ${b.host} and ${a.what} on host ${a.host}, but the facts have no tunnel port ${where}: add a VXLAN port with options:remote_ip=<the other host's address> and options:key=flow to the chain's bridge of each host, and give its OpenFlow port in the facts' tunnels[host][other host]`);
}

/** The stages of the forward walk and, for a symmetric chain, of the reverse one. */
function walks(chain: ServiceChain, facts: ChainFacts): Stage[][] {
  const forward: Stage[] = [
    { enter: [], leave: endPlaces(chain, 'ingress', facts) },
    ...chain.hops.map((_, h) => ({ enter: hopPlaces(chain, facts, h, 'ingressCpd'), leave: hopPlaces(chain, facts, h, 'egressCpd') })),
    { enter: endPlaces(chain, 'egress', facts), leave: [] },
  ];
  return chain.symmetric ? [forward, forward.map((s) => ({ enter: s.leave, leave: s.enter })).reverse()] : [forward];
}

function endPlaces(chain: ServiceChain, end: 'ingress' | 'egress', facts: ChainFacts): Place[] {
  const point = chain[end];
  if (point === undefined || point === null) return [];
  const host = isNetworkPoint(point) ? point.host : facts.instances[point.vnfInstanceId]?.ports[point.cpdId]?.host;
  return host === undefined ? [] : [{ host, path: [end], what: `the ${end}` }];
}

function hopPlaces(chain: ServiceChain, facts: ChainFacts, h: number, side: 'ingressCpd' | 'egressCpd'): Place[] {
  const instances = chain.hops[h]?.instances;
  return (Array.isArray(instances) ? instances : []).flatMap((inst, i) => {
    const port = facts.instances[inst.vnfInstanceId]?.ports[inst[side]];
    return port && port.kind !== 'sriov' ? [{ host: port.host, path: ['hops', h, 'instances', i, side], what: `hop ${h} (connection point ${inst[side]})` }] : [];
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
    // Priority settles an ingress both match. Not an instance's port: every flow of a chain has its
    // priority, so the higher chain's flow there would take the other chain's traffic leaving it.
    const samePriority = (other.priority ?? 0) === (chain.priority ?? 0);
    const theirs = matchPoints(other);
    const clash = own.find((a) => (samePriority || a.key.startsWith('cp:')) && theirs.some((b) => a.key === b.key && classifiersOverlap(a.classifier, b.classifier)));
    if (!clash) continue;
    if (samePriority) {
      p.add(['classifier'], `overlaps the classifier of chain '${other.name}' at ${clash.label} with the same priority (${chain.priority ?? 0}): give one of them another priority, or make the classifiers disjoint`);
    } else {
      p.add(['classifier'], `overlaps the classifier of chain '${other.name}' at ${clash.label}, a port both chains match as traffic leaves an instance: priorities cannot tell them apart there, so make the classifiers disjoint or use another instance`);
    }
  }
}
