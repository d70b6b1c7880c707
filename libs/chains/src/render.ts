import { InvalidSpecError } from '#vim/naming';
import { checkFlowLine } from '#vim/ovs';
import { portRangeMasks, reverseClassifier } from './classifier.js';
import { checkChain } from './check.js';
import { END_POSITION, flowCookie, groupId, receiveGroupId, tunnelKey } from './ids.js';
import {
  type ChainFacts, type ChainPoint, type Classifier, FLOW_PRIORITY_BASE, isNetworkPoint, L4_PROTOCOLS, type PortRange, type ServiceChain,
} from './model.js';

/** What one bridge needs for one generation of a chain: groups first, then the flows using them. */
export interface BridgeRules {
  /**
   * The host of the bridge, set only when the chain spans several hosts (then bridge names alone,
   * br-int on each, would not say where to install); a one-host chain's rules are on its ingress's host.
   */
  host?: string;
  bridge: string;
  flows: string[];
  groups: string[];
}

/**
 * Where traffic is matched: `in_port=…`, `dl_vlan=…`, `tun_id=…`; `tagged` frames lose their tag.
 * OpenFlow drops `output:` to the port a frame came in on, so sending it back there (ingress and
 * egress on one trunk, every hop skipped) must say `in_port`.
 */
interface Source {
  host: string;
  match: string;
  tagged: boolean;
  port?: number;
}

interface Port {
  host: string;
  ofport: number;
}

/** One hop as rendering sees it: its live instances' entry and exit ports in this direction. */
interface LiveHop {
  index: number;
  ports: { enter: Port; leave: Port }[];
}

/** Where one step takes the traffic of its sources. */
type Target = { kind: 'drop' } | { kind: 'hop'; hop: LiveHop } | { kind: 'end'; host: string; actions: string[] };

interface Direction {
  classifier: Classifier;
  start: Source;
  hops: LiveHop[];
  end: { host: string; actions: string[] };
  reverse: boolean;
}

/**
 * The OpenFlow 1.3+ flows and groups (ovs-ofctl syntax) of one generation of a chain, one entry
 * per host the chain touches (the ingress's first), even a host left without rules (a dead hop's),
 * so the installer removes the previous generation there too. Throws InvalidSpecError with
 * checkChain's problems when the chain cannot be steered; otherwise pure and deterministic. See
 * the library's README for what each flow does.
 */
export function renderChain(chain: ServiceChain, chainCookie: bigint, generation: number, facts: ChainFacts): BridgeRules[] {
  const problems = checkChain(chain, facts);
  if (problems.length > 0) throw new InvalidSpecError('service chain', problems);
  const cookie = `cookie=0x${flowCookie(chainCookie, generation).toString(16)},priority=${FLOW_PRIORITY_BASE + (chain.priority ?? 0)}`;
  const bridges = bridgesOf(chain, facts);
  const rules = new Map([...bridges].map(([host, bridge]) => [host, { bridge, flows: [] as string[], groups: [] as string[] }]));
  const ctx: Context = { chain, facts, cookie, chainCookie, generation, rules };
  renderDirection(ctx, forward(chain, facts));
  if (chain.symmetric) renderDirection(ctx, backward(chain, facts));
  for (const line of [...rules.values()].flatMap((r) => [...r.groups, ...r.flows])) {
    const result = checkFlowLine(line);
    if (!result.ok) throw new Error(`rendered an invalid line (${result.message}): ${line}`);
  }
  if (rules.size === 1) return [...rules.values()];
  return [...rules].map(([host, r]) => ({ host, ...r }));
}

interface Context {
  chain: ServiceChain;
  facts: ChainFacts;
  cookie: string;
  chainCookie: bigint;
  generation: number;
  rules: Map<string, { bridge: string; flows: string[]; groups: string[] }>;
}

/** The chain's bridge of each host it touches, the ingress's host first (checkChain allows one per host). */
function bridgesOf(chain: ServiceChain, facts: ChainFacts): Map<string, string> {
  const bridges = new Map<string, string>();
  const add = (point: ChainPoint) => {
    const at = isNetworkPoint(point) ? point : facts.instances[point.vnfInstanceId]!.ports[point.cpdId]!;
    if (!bridges.has(at.host)) bridges.set(at.host, at.bridge);
  };
  add(chain.ingress);
  for (const hop of chain.hops) {
    for (const inst of hop.instances) [inst.ingressCpd, inst.egressCpd].forEach((cpdId) => add({ vnfInstanceId: inst.vnfInstanceId, cpdId }));
  }
  add(chain.egress);
  return bridges;
}

function portOf(facts: ChainFacts, id: string, cpd: string): Port {
  const port = facts.instances[id]!.ports[cpd]!;
  return { host: port.host, ofport: port.ofport };
}

function liveHops(chain: ServiceChain, facts: ChainFacts, reverse: boolean): LiveHop[] {
  return chain.hops.map((hop, index) => ({
    index,
    ports: hop.instances
      .filter((inst) => facts.instances[inst.vnfInstanceId]!.live)
      .map((inst) => {
        const ingress = portOf(facts, inst.vnfInstanceId, inst.ingressCpd);
        const egress = portOf(facts, inst.vnfInstanceId, inst.egressCpd);
        return reverse ? { enter: egress, leave: ingress } : { enter: ingress, leave: egress };
      }),
  }));
}

function forward(chain: ServiceChain, facts: ChainFacts): Direction {
  return {
    classifier: chain.classifier,
    start: sourceOf(chain.ingress, facts.ingress, facts),
    hops: liveHops(chain, facts, false),
    end: deliverTo(chain.egress, facts.egress, facts),
    reverse: false,
  };
}

function backward(chain: ServiceChain, facts: ChainFacts): Direction {
  return {
    classifier: reverseClassifier(chain.classifier),
    start: sourceOf(chain.egress, facts.egress, facts),
    hops: liveHops(chain, facts, true).reverse(),
    end: deliverTo(chain.ingress, facts.ingress, facts),
    reverse: true,
  };
}

/** Whether frames of a network point carry its VLAN's 802.1Q header in the OpenFlow pipeline. */
const isTagged = (point: ChainPoint, net: ChainFacts['ingress']): boolean => isNetworkPoint(point) && point.vlan !== undefined && net?.tagged !== false;

function sourceOf(point: ChainPoint, net: ChainFacts['ingress'], facts: ChainFacts): Source {
  if (!isNetworkPoint(point)) {
    const port = portOf(facts, point.vnfInstanceId, point.cpdId);
    return { host: port.host, match: `in_port=${port.ofport}`, tagged: false, port: port.ofport };
  }
  const tagged = isTagged(point, net);
  // Untagged means no 802.1Q header at all, so a trunk's tagged frames never match an untagged point.
  const parts = [net?.ofport !== undefined ? `in_port=${net.ofport}` : '', tagged ? `dl_vlan=${point.vlan}` : 'vlan_tci=0x0000/0x1fff'];
  return { host: point.host, match: parts.filter(Boolean).join(','), tagged, ...(net?.ofport === undefined ? {} : { port: net.ofport }) };
}

/** The actions that hand a frame to the end point: a trunk gets the VLAN's tag pushed back. */
function deliverTo(point: ChainPoint, net: ChainFacts['ingress'], facts: ChainFacts): { host: string; actions: string[] } {
  if (!isNetworkPoint(point)) {
    const port = portOf(facts, point.vnfInstanceId, point.cpdId);
    return { host: port.host, actions: [`output:${port.ofport}`] };
  }
  const push = isTagged(point, net) ? ['push_vlan:0x8100', `set_field:${4096 + point.vlan!}->vlan_vid`] : [];
  return { host: point.host, actions: [...push, `output:${net!.ofport}`] };
}

/**
 * Walks one direction: the traffic arriving at the current sources goes to the next hop with a
 * live instance (one: `output`; several: a select group); a hop without one drops it (closed) or
 * is skipped (open); after the last hop it goes to the end point.
 */
function renderDirection(ctx: Context, dir: Direction): void {
  let sources: Source[] = [dir.start];
  for (const hop of dir.hops) {
    if (hop.ports.length === 0) {
      if ((ctx.chain.failMode ?? 'closed') === 'open') continue;
      return step(ctx, dir, sources, { kind: 'drop' }, hop.index);
    }
    step(ctx, dir, sources, { kind: 'hop', hop }, hop.index);
    sources = hop.ports.map(({ leave }) => ({ host: leave.host, match: `in_port=${leave.ofport}`, tagged: false, port: leave.ofport }));
  }
  step(ctx, dir, sources, { kind: 'end', ...dir.end }, END_POSITION);
}

/**
 * One step of a walk on every host involved: each source host sends (locally, or with the key of
 * `position` through its tunnel to the target's host), and each target host that some other host
 * sends to takes the frames arriving from that host's tunnel with that key on to the target.
 */
function step(ctx: Context, dir: Direction, sources: readonly Source[], target: Target, position: number): void {
  const key = `0x${tunnelKey(ctx.chainCookie, position, dir.reverse).toString(16)}`;
  const senders = unique(sources.map((s) => s.host));
  for (const host of senders) {
    emit(ctx, host, sources.filter((s) => s.host === host), dir.classifier, sendActions(ctx, dir, host, target, key));
  }
  for (const host of targetHosts(target)) {
    const remotes = senders.filter((s) => s !== host);
    if (remotes.length === 0) continue;
    const actions = receiveActions(ctx, dir, host, target);
    const arrivals = remotes.map((remote) => {
      const port = tunnelPort(ctx, host, remote);
      return { host, match: `in_port=${port},tun_id=${key}`, tagged: false, port };
    });
    emit(ctx, host, arrivals, dir.classifier, actions);
  }
}

const unique = <T>(items: readonly T[]): T[] => [...new Set(items)];

function targetHosts(target: Target): string[] {
  if (target.kind === 'drop') return [];
  return target.kind === 'end' ? [target.host] : unique(target.hop.ports.map((p) => p.enter.host));
}

const tunnelPort = (ctx: Context, host: string, remote: string): number => ctx.facts.tunnels![host]![remote]!.ofport;

/** To a port on `to.host` from `host`: out of it, or keyed into the tunnel towards its host. */
function toward(ctx: Context, host: string, to: { host: string; actions: string[] }, key: string): string[] {
  return to.host === host ? to.actions : [`set_field:${key}->tun_id`, `output:${tunnelPort(ctx, host, to.host)}`];
}

function sendActions(ctx: Context, dir: Direction, host: string, target: Target, key: string): string[] {
  if (target.kind === 'drop') return ['drop'];
  if (target.kind === 'end') return toward(ctx, host, target, key);
  const choices = target.hop.ports.map(({ enter }) => toward(ctx, host, { host: enter.host, actions: [`output:${enter.ofport}`] }, key));
  if (choices.length === 1) return choices[0]!;
  return [`group:${addGroup(ctx, host, groupId(ctx.chainCookie, ctx.generation, target.hop.index, dir.reverse), dir.classifier, choices)}`];
}

/**
 * The sender's hash already chose this host, so what arrives goes to one of the hop's instances
 * here only; its own group hashes the same fields over them, so a flow stays on one instance.
 */
function receiveActions(ctx: Context, dir: Direction, host: string, target: Target): string[] {
  if (target.kind !== 'hop') return target.kind === 'end' ? target.actions : ['drop'];
  const local = target.hop.ports.filter(({ enter }) => enter.host === host).map(({ enter }) => [`output:${enter.ofport}`]);
  if (local.length === 1) return local[0]!;
  return [`group:${addGroup(ctx, host, receiveGroupId(ctx.chainCookie, ctx.generation, target.hop.index, dir.reverse), dir.classifier, local)}`];
}

function addGroup(ctx: Context, host: string, id: number, classifier: Classifier, buckets: readonly string[][]): number {
  const listed = buckets.map((actions, i) => `bucket=bucket_id:${i},actions=${actions.join(',')}`);
  ctx.rules.get(host)!.groups.push([`group_id=${id},type=select,selection_method=hash,fields(${hashFields(classifier)})`, ...listed].join(','));
  return id;
}

/** The 5-tuple in ovs-fields(7) names; L4 fields of the chain's protocol, or of all three when it has none. */
function hashFields(c: Classifier): string {
  const l3 = c.ethertype === 'ipv4' ? ['ip_src', 'ip_dst'] : ['ipv6_src', 'ipv6_dst'];
  const l4 = c.protocol !== undefined && L4_PROTOCOLS[c.protocol] ? [L4_PROTOCOLS[c.protocol]!] : c.protocol === undefined ? ['tcp', 'udp', 'sctp'] : [];
  return [...l3, 'nw_proto', ...l4.flatMap((p) => [`${p}_src`, `${p}_dst`])].join(',');
}

function emit(ctx: Context, host: string, sources: readonly Source[], classifier: Classifier, actions: readonly string[]): void {
  const matches = classifierMatches(classifier);
  const flows = ctx.rules.get(host)!.flows;
  for (const source of sources) {
    const tagged = source.tagged && actions[0] !== 'drop' ? ['strip_vlan', ...actions] : actions;
    const act = tagged.map((a) => (a === `output:${source.port}` ? 'in_port' : a));
    for (const match of matches) flows.push(`${ctx.cookie},${source.match},${match},actions=${act.join(',')}`);
  }
}

/** The classifier as OpenFlow matches: one per combination of the port ranges' value/mask pairs. */
export function classifierMatches(c: Classifier): string[] {
  const v4 = c.ethertype === 'ipv4';
  const base = [v4 ? 'ip' : 'ipv6'];
  if (c.sourcePrefix !== undefined) base.push(`${v4 ? 'nw_src' : 'ipv6_src'}=${c.sourcePrefix}`);
  if (c.destinationPrefix !== undefined) base.push(`${v4 ? 'nw_dst' : 'ipv6_dst'}=${c.destinationPrefix}`);
  if (c.protocol !== undefined) base.push(`nw_proto=${c.protocol}`);
  const l4 = c.protocol === undefined ? undefined : L4_PROTOCOLS[c.protocol];
  const src = portMatches(`${l4}_src`, c.sourcePorts);
  const dst = portMatches(`${l4}_dst`, c.destinationPorts);
  return src.flatMap((s) => dst.map((d) => [...base, s, d].filter(Boolean).join(',')));
}

function portMatches(field: string, range: PortRange | undefined): string[] {
  if (range === undefined || (range.from === 0 && range.to === 65535)) return [''];
  return portRangeMasks(range).map(({ value, mask }) => (mask === 0xffff ? `${field}=${value}` : `${field}=0x${value.toString(16)}/0x${mask.toString(16)}`));
}
