import { chainOfCookie, type FlowTrace, type TraceRule } from '#vim/ovs';
import { type ChainFacts, isNetworkPoint, type ServiceChain } from './model.js';

/**
 * What `ofproto/trace` says of a packet, in the chain's terms. ofproto/trace follows one packet
 * through one bridge, and a packet sent into a VM's port ends there; so a path is walked in
 * segments: from the ingress, then from the egress port of each hop instance the packet reached,
 * until it reaches the chain's egress, is dropped or leaves the chain. `traceStart` says where a
 * segment starts, `explainSegment` reads one, `nextTraceStart` where the next starts, and
 * `combineSegments` puts the segments together.
 */

/** Where a packet is sent: a hop instance's ingress port, or the chain's egress. */
export type ChainTraceHop = { hop: number; vnfInstanceId: string; ofport: number } | { egress: true; ofport: number };

/** A rule the packet hit, as the API shows it. */
export interface ChainTraceRule {
  bridge: string;
  table: number;
  /** `0x…` */
  cookie: string;
  priority: number;
  match: string;
  actions: string[];
  /** Whether the rule is the chain's (its cookie's upper 48 bits). */
  ofChain: boolean;
}

/** Where one segment of the walk starts: -1 is the ingress, N the egress port of hop N's instance. */
export interface TraceStart {
  from: number;
  vnfInstanceId?: string;
  host: string;
  bridge: string;
  inPort: number;
  /** The VLAN a tagged network ingress's frames carry. */
  vlan?: number;
}

export interface ChainTraceSegment {
  from: number;
  bridge: string;
  inPort: number;
  /** A rule of the chain's cookie matched the packet in this segment. */
  matchedChain: boolean;
  reached: ChainTraceHop[];
  dropped: boolean;
  dropReason?: string;
  /** OpenFlow ports the packet leaves by (empty when dropped, or when NORMAL forwards it). */
  output: number[];
  rules: ChainTraceRule[];
}

export interface ChainTrace {
  /** A rule of the chain's cookie matched the packet where it entered (the ingress, or hop N's egress with `from`). */
  entersChain: boolean;
  /** In order, every place the chain sends the packet: hop instances, then the egress. */
  hops: ChainTraceHop[];
  dropped: boolean;
  dropReason?: string;
  /** The OpenFlow ports the packet leaves by at the end of the walk. */
  output: number[];
  /** Every rule hit, in order, over all segments. */
  rules: ChainTraceRule[];
  segments: ChainTraceSegment[];
}

/** Why there is no start: the chain's ports are not known or not live. */
export class TraceStartError extends Error {
  override readonly name = 'TraceStartError';
}

/** Where the packet enters: the ingress (from = -1, default) or the egress port of hop `from`'s instance. */
export function traceStart(chain: ServiceChain, facts: ChainFacts, from = -1, vnfInstanceId?: string): TraceStart {
  if (from < 0) return ingressStart(chain, facts);
  const hop = chain.hops[from];
  if (!hop) throw new TraceStartError(`the chain has no hop ${from} (hops 0..${chain.hops.length - 1})`);
  const candidates = hop.instances.filter((inst) => (vnfInstanceId === undefined ? facts.instances[inst.vnfInstanceId]?.live : inst.vnfInstanceId === vnfInstanceId));
  const inst = candidates[0];
  if (!inst) throw new TraceStartError(vnfInstanceId === undefined ? `hop ${from} has no live instance` : `hop ${from} has no instance ${vnfInstanceId}`);
  const port = facts.instances[inst.vnfInstanceId]?.ports[inst.egressCpd];
  if (!port || port.ofport < 1) throw new TraceStartError(`instance ${inst.vnfInstanceId} of hop ${from} has no OpenFlow port for '${inst.egressCpd}'`);
  return { from, vnfInstanceId: inst.vnfInstanceId, host: port.host, bridge: port.bridge, inPort: port.ofport };
}

function ingressStart(chain: ServiceChain, facts: ChainFacts): TraceStart {
  const point = chain.ingress;
  if (!isNetworkPoint(point)) {
    const port = facts.instances[point.vnfInstanceId]?.ports[point.cpdId];
    if (!port || port.ofport < 1) throw new TraceStartError(`the ingress connection point ${point.vnfInstanceId}/${point.cpdId} has no OpenFlow port`);
    return { from: -1, host: port.host, bridge: port.bridge, inPort: port.ofport };
  }
  const ofport = facts.ingress?.ofport;
  if (ofport === undefined) throw new TraceStartError('the ingress network names no port, so the trace does not know where the packet enters');
  const tagged = point.vlan !== undefined && facts.ingress?.tagged !== false;
  return { from: -1, host: point.host, bridge: point.bridge, inPort: ofport, ...(tagged && { vlan: point.vlan }) };
}

/** The chain's ports after position `from`, in order: each live hop instance's ingress port, then the egress. */
function destinations(chain: ServiceChain, facts: ChainFacts, from: number): Map<number, ChainTraceHop> {
  const map = new Map<number, ChainTraceHop>();
  chain.hops.forEach((hop, index) => {
    if (index <= from) return;
    for (const inst of hop.instances) {
      const port = facts.instances[inst.vnfInstanceId]?.ports[inst.ingressCpd];
      if (port && !map.has(port.ofport)) map.set(port.ofport, { hop: index, vnfInstanceId: inst.vnfInstanceId, ofport: port.ofport });
    }
  });
  const egress = chain.egress;
  const egressPort = isNetworkPoint(egress) ? facts.egress?.ofport : facts.instances[egress.vnfInstanceId]?.ports[egress.cpdId]?.ofport;
  if (egressPort !== undefined && !map.has(egressPort)) map.set(egressPort, { egress: true, ofport: egressPort });
  return map;
}

const isDrop = (rule: TraceRule) => rule.actions.length === 0 || rule.actions.every((a) => a === 'drop');

/** The first hop after `from` without a live instance: where failMode closed drops. */
function deadHopAfter(chain: ServiceChain, facts: ChainFacts, from: number): number | undefined {
  const index = chain.hops.findIndex((hop, i) => i > from && !hop.instances.some((inst) => facts.instances[inst.vnfInstanceId]?.live));
  return index < 0 ? undefined : index;
}

function dropReason(chain: ServiceChain, facts: ChainFacts, from: number, chainRules: readonly TraceRule[], trace: FlowTrace): string {
  const last = chainRules.at(-1);
  if (last && isDrop(last)) {
    const dead = deadHopAfter(chain, facts, from);
    return dead === undefined
      ? `the chain's rule drops it (priority ${last.priority}, ${last.match})`
      : `hop ${dead} has no live instance and the chain's failMode is closed: its traffic is dropped where it would enter hop ${dead}`;
  }
  if (chainRules.length === 0) {
    return trace.misses.length > 0 ? `no rule of the chain matched, and table ${trace.misses[0]!.table} has no rule for it` : "no rule of the chain matched, and the bridge's own rules drop it";
  }
  return 'the switch drops it after the chain\'s rules (datapath actions: drop)';
}

export function traceRule(rule: TraceRule, chainCookie: bigint): ChainTraceRule {
  return {
    bridge: rule.bridge,
    table: rule.table,
    cookie: `0x${rule.cookie.toString(16)}`,
    priority: rule.priority,
    match: rule.match,
    actions: [...rule.actions],
    ofChain: rule.cookie !== 0n && chainOfCookie(rule.cookie) === chainCookie,
  };
}

/** One segment: the trace of the packet entering at `start`. */
export function explainSegment(chain: ServiceChain, facts: ChainFacts, chainCookie: bigint, start: TraceStart, trace: FlowTrace): ChainTraceSegment {
  const rules = trace.rules.map((rule) => traceRule(rule, chainCookie));
  const chainRules = trace.rules.filter((rule) => rule.cookie !== 0n && chainOfCookie(rule.cookie) === chainCookie);
  const output = trace.output === 'drop' ? [] : trace.output;
  const chainDrop = chainRules.length > 0 && isDrop(chainRules.at(-1)!);
  // NORMAL (the bridge's own forwarding) names no OpenFlow port in the trace: no output port is no drop.
  const dropped = trace.output === 'drop' || chainDrop;
  const places = destinations(chain, facts, start.from);
  // Only where the chain's own rules sent it counts as a hop: NORMAL may flood to a hop's port too.
  const reached = chainRules.length === 0 || chainDrop ? [] : output.flatMap((port) => (places.has(port) ? [places.get(port)!] : []));
  return {
    from: start.from,
    bridge: start.bridge,
    inPort: start.inPort,
    matchedChain: chainRules.length > 0,
    reached,
    dropped,
    ...(dropped && { dropReason: dropReason(chain, facts, start.from, chainRules, trace) }),
    output,
    rules,
  };
}

/**
 * Where the walk goes on after `segment`: from the egress port of the hop instance it reached (the
 * first, since the chain sends a packet to one instance of a hop); undefined when it reached the
 * egress, was dropped, left the chain or reached nothing it knows.
 */
export function nextTraceStart(chain: ServiceChain, facts: ChainFacts, segment: ChainTraceSegment): TraceStart | undefined {
  if (segment.dropped) return undefined;
  const next = segment.reached[0];
  if (!next || 'egress' in next) return undefined;
  return traceStart(chain, facts, next.hop, next.vnfInstanceId);
}

/** The walk as one answer: the segments in the order they were traced (at least one). */
export function combineSegments(segments: readonly ChainTraceSegment[]): ChainTrace {
  const first = segments[0];
  const last = segments.at(-1);
  if (!first || !last) throw new RangeError('a chain trace needs at least one segment');
  return {
    entersChain: first.matchedChain,
    hops: segments.flatMap((s) => s.reached),
    dropped: last.dropped,
    ...(last.dropReason !== undefined && { dropReason: last.dropReason }),
    output: last.output,
    rules: segments.flatMap((s) => s.rules),
    segments: [...segments],
  };
}
