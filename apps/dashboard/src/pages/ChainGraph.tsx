import { useMemo } from 'react';
import { Background, Handle, Position, ReactFlow, type Edge, type Node, type NodeProps } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import type { ChainGraph as Graph, GraphNode } from '../logic/chain-graph.js';
import { StateBadge } from '../ui.js';

type NodeData = { node: GraphNode; problems: string[]; traced: boolean };
type ChainNode = Node<NodeData, 'chain'>;

function ChainNodeView({ data }: NodeProps<ChainNode>) {
  const { node, problems, traced } = data;
  const classes = ['graph-node', `graph-${node.kind}`, node.down ? 'down' : '', problems.length ? 'has-error' : '', traced ? 'traced' : ''].filter(Boolean).join(' ');
  return (
    <div className={classes} data-testid={`graph-node-${node.id}`} data-traced={traced ? 'true' : 'false'} data-errors={problems.length} role="group" aria-label={`${node.label}: ${node.detail}`}>
      {node.kind !== 'ingress' && <Handle type="target" position={Position.Left} isConnectable={false} />}
      <div className="graph-title">{node.label}</div>
      {node.kind === 'hop' ? (
        <ul className="graph-instances">
          {node.instances.map((i) => (
            <li key={i.vnfInstanceId} className={i.live === false ? 'not-live' : i.live ? 'live' : ''} data-testid={`graph-instance-${i.vnfInstanceId}`}>
              <span className="dot" aria-hidden="true">●</span> {i.name}{' '}
              <span className="muted">
                {i.ingressCpd}→{i.egressCpd}
              </span>
              {i.packets !== null && <span className="pkts"> {i.packets} pkts</span>}
              {i.live === false && <span className="sr-only"> (not live)</span>}
            </li>
          ))}
        </ul>
      ) : (
        <div className="graph-detail">{node.detail}</div>
      )}
      {node.kind !== 'hop' && node.packets !== null && <div className="pkts">{node.packets} pkts</div>}
      {problems.map((p, k) => (
        <div key={k} className="graph-problem" data-testid={`graph-error-${node.id}`}>
          {p}
        </div>
      ))}
      {node.kind !== 'egress' && <Handle type="source" position={Position.Right} isConnectable={false} />}
    </div>
  );
}

const nodeTypes = { chain: ChainNodeView };

/** The chain drawn left to right: ingress, hops, egress; its state in a corner; refusals on their nodes; a trace's path highlighted. */
export function ChainGraphView({ graph, problems, trace, state }: { graph: Graph; problems: Map<string, string[]>; trace?: { nodes: Set<string>; edges: Set<string> }; state?: { state: string; reason?: string | null; draft: boolean } }) {
  const nodes = useMemo<ChainNode[]>(
    () =>
      graph.nodes.map((node, index) => ({
        id: node.id,
        type: 'chain',
        position: { x: index * 230, y: node.kind === 'hop' ? 0 : 10 },
        data: { node, problems: problems.get(node.id) ?? [], traced: trace?.nodes.has(node.id) ?? false },
        draggable: false,
        connectable: false,
        selectable: false,
      })),
    [graph, problems, trace],
  );
  const edges = useMemo<Edge[]>(
    () =>
      graph.edges.map((edge) => ({
        id: edge.id,
        source: edge.source,
        target: edge.target,
        animated: trace?.edges.has(edge.id) ?? false,
        className: trace?.edges.has(edge.id) ? 'traced' : undefined,
        style: trace?.edges.has(edge.id) ? { stroke: '#d9480f', strokeWidth: 3 } : undefined,
      })),
    [graph, trace],
  );
  return (
    <div className="graph" data-testid="chain-graph">
      {state && (
        <div className="graph-state" data-testid="graph-chain-state" data-state={state.state}>
          <StateBadge state={state.state} />
          {state.draft ? <span className="muted"> (the saved chain; the graph shows the draft)</span> : state.reason ? <span className="muted"> {state.reason}</span> : null}
        </div>
      )}
      <ReactFlow
        key={graph.nodes.length}
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        fitView
        fitViewOptions={{ padding: 0.15 }}
        nodesDraggable={false}
        nodesConnectable={false}
        elementsSelectable={false}
        // The edges are no Tab stop: they have nothing to do and React Flow draws no focus on them (the nodes are, with the page's focus outline).
        edgesFocusable={false}
        proOptions={{ hideAttribution: true }}
        zoomOnScroll={false}
        preventScrolling={false}
      >
        <Background gap={16} />
      </ReactFlow>
    </div>
  );
}
