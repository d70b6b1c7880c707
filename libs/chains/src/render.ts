import { InvalidSpecError } from '#vim/naming';
import { checkFlowLine } from '#vim/ovs';
import { portRangeMasks, reverseClassifier } from './classifier.js';
import { checkChain } from './check.js';
import { flowCookie, groupId } from './ids.js';
import {
  type ChainFacts, type ChainPoint, type Classifier, FLOW_PRIORITY_BASE, isNetworkPoint, L4_PROTOCOLS, type PortRange, type ServiceChain,
} from './model.js';

/** What one bridge needs for one generation of a chain: groups first, then the flows using them. */
export interface BridgeRules {
  bridge: string;
  flows: string[];
  groups: string[];
}

/**
 * Where traffic is matched: `in_port=…`, `dl_vlan=…` or both; `tagged` frames lose their tag.
 * OpenFlow drops `output:` to the port a frame came in on, so sending it back there (ingress and
 * egress on one trunk, every hop skipped) must say `in_port`.
 */
interface Source {
  match: string;
  tagged: boolean;
  port?: number;
}

/** One hop as rendering sees it: its live instances' entry and exit ports in this direction. */
interface LiveHop {
  index: number;
  ports: { enter: number; leave: number }[];
}

interface Direction {
  classifier: Classifier;
  start: Source;
  hops: LiveHop[];
  end: string[];
  reverse: boolean;
}

/**
 * The OpenFlow 1.3+ flows and groups (ovs-ofctl syntax) of one generation of a chain. Throws
 * InvalidSpecError with checkChain's problems when the chain cannot be steered; otherwise pure
 * and deterministic. See the library's README for what each flow does.
 */
export function renderChain(chain: ServiceChain, chainCookie: bigint, generation: number, facts: ChainFacts): BridgeRules[] {
  const problems = checkChain(chain, facts);
  if (problems.length > 0) throw new InvalidSpecError('service chain', problems);
  const cookie = `cookie=0x${flowCookie(chainCookie, generation).toString(16)},priority=${FLOW_PRIORITY_BASE + (chain.priority ?? 0)}`;
  const ctx: Context = { chain, cookie, chainCookie, generation, flows: [], groups: [] };
  renderDirection(ctx, forward(chain, facts));
  if (chain.symmetric) renderDirection(ctx, backward(chain, facts));
  for (const line of [...ctx.groups, ...ctx.flows]) {
    const result = checkFlowLine(line);
    if (!result.ok) throw new Error(`rendered an invalid line (${result.message}): ${line}`);
  }
  return [{ bridge: bridgeOf(chain, facts), flows: ctx.flows, groups: ctx.groups }];
}

interface Context {
  chain: ServiceChain;
  cookie: string;
  chainCookie: bigint;
  generation: number;
  flows: string[];
  groups: string[];
}

function bridgeOf(chain: ServiceChain, facts: ChainFacts): string {
  const ingress = chain.ingress;
  return isNetworkPoint(ingress) ? ingress.bridge : facts.instances[ingress.vnfInstanceId]!.ports[ingress.cpdId]!.bridge;
}

const portOf = (facts: ChainFacts, id: string, cpd: string): number => facts.instances[id]!.ports[cpd]!.ofport;

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
    return { match: `in_port=${port}`, tagged: false, port };
  }
  const tagged = isTagged(point, net);
  // Untagged means no 802.1Q header at all, so a trunk's tagged frames never match an untagged point.
  const parts = [net?.ofport !== undefined ? `in_port=${net.ofport}` : '', tagged ? `dl_vlan=${point.vlan}` : 'vlan_tci=0x0000/0x1fff'];
  return { match: parts.filter(Boolean).join(','), tagged, ...(net?.ofport === undefined ? {} : { port: net.ofport }) };
}

/** The actions that hand a frame to the end point: a trunk gets the VLAN's tag pushed back. */
function deliverTo(point: ChainPoint, net: ChainFacts['ingress'], facts: ChainFacts): string[] {
  if (!isNetworkPoint(point)) return [`output:${portOf(facts, point.vnfInstanceId, point.cpdId)}`];
  const push = isTagged(point, net) ? ['push_vlan:0x8100', `set_field:${4096 + point.vlan!}->vlan_vid`] : [];
  return [...push, `output:${net!.ofport}`];
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
      return emit(ctx, sources, dir.classifier, ['drop']);
    }
    emit(ctx, sources, dir.classifier, hopActions(ctx, dir, hop));
    sources = hop.ports.map((port) => ({ match: `in_port=${port.leave}`, tagged: false, port: port.leave }));
  }
  emit(ctx, sources, dir.classifier, dir.end);
}

function hopActions(ctx: Context, dir: Direction, hop: LiveHop): string[] {
  if (hop.ports.length === 1) return [`output:${hop.ports[0]!.enter}`];
  const id = groupId(ctx.chainCookie, ctx.generation, hop.index, dir.reverse);
  const buckets = hop.ports.map((port, i) => `bucket=bucket_id:${i},actions=output:${port.enter}`);
  ctx.groups.push([`group_id=${id},type=select,selection_method=hash,fields(${hashFields(dir.classifier)})`, ...buckets].join(','));
  return [`group:${id}`];
}

/** The 5-tuple in ovs-fields(7) names; L4 fields of the chain's protocol, or of all three when it has none. */
function hashFields(c: Classifier): string {
  const l3 = c.ethertype === 'ipv4' ? ['ip_src', 'ip_dst'] : ['ipv6_src', 'ipv6_dst'];
  const l4 = c.protocol !== undefined && L4_PROTOCOLS[c.protocol] ? [L4_PROTOCOLS[c.protocol]!] : c.protocol === undefined ? ['tcp', 'udp', 'sctp'] : [];
  return [...l3, 'nw_proto', ...l4.flatMap((p) => [`${p}_src`, `${p}_dst`])].join(',');
}

function emit(ctx: Context, sources: readonly Source[], classifier: Classifier, actions: readonly string[]): void {
  const matches = classifierMatches(classifier);
  for (const source of sources) {
    const tagged = source.tagged && actions[0] !== 'drop' ? ['strip_vlan', ...actions] : actions;
    const act = tagged.map((a) => (a === `output:${source.port}` ? 'in_port' : a));
    for (const match of matches) ctx.flows.push(`${ctx.cookie},${source.match},${match},actions=${act.join(',')}`);
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
