import type { ChainCounters, ChainPoint, ChainTraceResult, Hop, HopInstance } from '../api/types.js';

/** What the graph needs of a chain: a saved chain's view, or the builder's draft. */
export interface ChainLike {
  state?: string;
  ingress: ChainPoint;
  egress: ChainPoint;
  hops: Hop[];
  counters?: ChainCounters | null;
}

/** What the graph shows of an instance (by id). */
export interface InstanceInfo {
  id: string;
  name: string;
  state?: string;
}

export interface GraphInstance {
  vnfInstanceId: string;
  name: string;
  ingressCpd: string;
  egressCpd: string;
  packets: number | null;
  bytes: number | null;
  /** null: no counters read yet. */
  live: boolean | null;
}

export type NodeKind = 'ingress' | 'hop' | 'egress';

export interface GraphNode {
  id: string;
  kind: NodeKind;
  label: string;
  /** Hop index for hops. */
  index?: number;
  detail: string;
  instances: GraphInstance[];
  packets: number | null;
  /** A hop with no live instance, when counters say so. */
  down: boolean;
}

export interface GraphEdge {
  id: string;
  source: string;
  target: string;
}

export interface ChainGraph {
  nodes: GraphNode[];
  edges: GraphEdge[];
}

export const hopNodeId = (index: number): string => `hop-${index}`;

export function pointLabel(point: ChainPoint, instances: Map<string, InstanceInfo>): string {
  if (point.vnfInstanceId) return `${instances.get(point.vnfInstanceId)?.name ?? point.vnfInstanceId.slice(0, 8)}:${point.cpdId ?? '?'}`;
  const parts = [point.host, point.bridge, point.vlan !== undefined ? `vlan ${point.vlan}` : undefined, point.port].filter((p) => p !== undefined && p !== '');
  return parts.length ? parts.join(' / ') : '(not set)';
}

/** Nodes ingress, one per hop (with its instances, counters and live flags), egress; edges in order. */
export function buildChainGraph(chain: ChainLike, instances: Map<string, InstanceInfo> = new Map()): ChainGraph {
  const counters = chain.counters ?? null;
  const nodes: GraphNode[] = [
    { id: 'ingress', kind: 'ingress', label: 'ingress', detail: pointLabel(chain.ingress, instances), instances: [], packets: counters?.ingress.packets ?? null, down: false },
  ];
  chain.hops.forEach((hop, index) => {
    const counted = counters?.hops[index]?.instances ?? [];
    const hopInstances: GraphInstance[] = hop.instances.map((inst) => {
      const count = counted.find((c) => c.vnfInstanceId === inst.vnfInstanceId);
      return {
        vnfInstanceId: inst.vnfInstanceId,
        name: instances.get(inst.vnfInstanceId)?.name ?? inst.vnfInstanceId.slice(0, 8),
        ingressCpd: inst.ingressCpd,
        egressCpd: inst.egressCpd,
        packets: count?.packets ?? null,
        bytes: count?.bytes ?? null,
        live: count ? count.live : null,
      };
    });
    const known = hopInstances.filter((i) => i.packets !== null);
    nodes.push({
      id: hopNodeId(index),
      kind: 'hop',
      index,
      label: `hop ${index + 1}`,
      detail: hopInstances.map((i) => i.name).join(', '),
      instances: hopInstances,
      packets: known.length ? known.reduce((sum, i) => sum + (i.packets ?? 0), 0) : null,
      down: hopInstances.length > 0 && hopInstances.every((i) => i.live === false),
    });
  });
  nodes.push({ id: 'egress', kind: 'egress', label: 'egress', detail: pointLabel(chain.egress, instances), instances: [], packets: null, down: false });
  const edges = nodes.slice(1).map((node, i) => ({ id: `e-${nodes[i].id}-${node.id}`, source: nodes[i].id, target: node.id }));
  return { nodes, edges };
}

// The builder's operations: each answers the new hops list (what PATCH sends), never changing its input.

export function moveHop(hops: Hop[], from: number, to: number): Hop[] {
  if (from < 0 || from >= hops.length || to < 0 || to >= hops.length || from === to) return hops.slice();
  const next = hops.slice();
  const [moved] = next.splice(from, 1);
  next.splice(to, 0, moved);
  return next;
}

export const moveHopUp = (hops: Hop[], index: number): Hop[] => moveHop(hops, index, index - 1);
export const moveHopDown = (hops: Hop[], index: number): Hop[] => moveHop(hops, index, index + 1);

export const addHop = (hops: Hop[], instance: HopInstance): Hop[] => [...hops, { instances: [{ ...instance }] }];

export const removeHop = (hops: Hop[], index: number): Hop[] => hops.filter((_, i) => i !== index);

/** Adds an instance to an existing hop (load-shared), unless it is there already. */
export function addInstanceToHop(hops: Hop[], index: number, instance: HopInstance): Hop[] {
  return hops.map((hop, i) =>
    i !== index || hop.instances.some((x) => x.vnfInstanceId === instance.vnfInstanceId) ? hop : { instances: [...hop.instances, { ...instance }] },
  );
}

export function removeInstanceFromHop(hops: Hop[], index: number, vnfInstanceId: string): Hop[] {
  return hops
    .map((hop, i) => (i === index ? { instances: hop.instances.filter((x) => x.vnfInstanceId !== vnfInstanceId) } : hop))
    .filter((hop) => hop.instances.length > 0);
}

export function setHopInstance(hops: Hop[], index: number, position: number, change: Partial<HopInstance>): Hop[] {
  return hops.map((hop, i) => (i === index ? { instances: hop.instances.map((x, p) => (p === position ? { ...x, ...change } : x)) } : hop));
}

/** Whether two hop lists are the same chain of instances and ports (nothing for PATCH to send). */
export const sameHops = (a: Hop[], b: Hop[]): boolean => JSON.stringify(a) === JSON.stringify(b);

/** The node an API problem's pointer concerns: a hop (`/hops/1/...`), ingress, egress, or the chain (classifier, name, ...). */
export function nodeOfPointer(path: string): string {
  const hop = /^\/hops\/(\d+)(\/|$)/.exec(path);
  if (hop) return hopNodeId(Number(hop[1]));
  if (/^\/ingress(\/|$)/.test(path)) return 'ingress';
  if (/^\/egress(\/|$)/.test(path)) return 'egress';
  return 'chain';
}

/** The API's refusals by the node they concern. */
export function problemsByNode(errors: { path: string; message: string }[]): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const error of errors) {
    const node = nodeOfPointer(error.path);
    map.set(node, [...(map.get(node) ?? []), error.path && node === 'chain' ? `${error.path}: ${error.message}` : error.message]);
  }
  return map;
}

/** The nodes and edges a traced packet crossed: ingress when it enters the chain, each hop reached, the egress when reached. */
export function tracePath(trace: Pick<ChainTraceResult, 'entersChain' | 'hops'>, graph: ChainGraph): { nodes: Set<string>; edges: Set<string> } {
  const nodes = new Set<string>();
  if (trace.entersChain) nodes.add('ingress');
  const path = trace.entersChain ? ['ingress'] : [];
  for (const hop of trace.hops) {
    // The document gives one shape with optional fields: a hop instance has `hop`, the egress `egress: true`.
    const id = hop.egress || hop.hop === undefined ? 'egress' : hopNodeId(hop.hop);
    nodes.add(id);
    path.push(id);
  }
  const edges = new Set<string>();
  for (let i = 1; i < path.length; i++) {
    const edge = graph.edges.find((e) => e.source === path[i - 1] && e.target === path[i]);
    if (edge) edges.add(edge.id);
  }
  return { nodes, edges };
}
