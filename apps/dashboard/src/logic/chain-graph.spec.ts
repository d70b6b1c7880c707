import { describe, expect, test } from '@jest/globals';
import {
  addHop, addInstanceToHop, buildChainGraph, moveHop, moveHopDown, moveHopUp, nodeOfPointer, problemsByNode, removeHop, removeInstanceFromHop,
  sameHops, tracePath,
} from './chain-graph.js';
import type { Hop } from '../api/types.js';

const A = '11111111-1111-1111-1111-111111111111';
const B = '22222222-2222-2222-2222-222222222222';
const C = '33333333-3333-3333-3333-333333333333';
const hop = (id: string): Hop => ({ instances: [{ vnfInstanceId: id, ingressCpd: 'left', egressCpd: 'right' }] });
const names = new Map([
  [A, { id: A, name: 'fw' }],
  [B, { id: B, name: 'fwd' }],
  [C, { id: C, name: 'nat' }],
]);

const chain = {
  state: 'ACTIVE',
  ingress: { host: 'h1', bridge: 'br-int', vlan: 3101, port: 'nsA' },
  egress: { host: 'h1', bridge: 'br-int', vlan: 3102 },
  hops: [hop(A), { instances: [...hop(B).instances, ...hop(C).instances] }],
  counters: {
    ingress: { packets: 300, bytes: 1 },
    hops: [
      { instances: [{ vnfInstanceId: A, live: true, packets: 200, bytes: 2 }] },
      { instances: [{ vnfInstanceId: B, live: false, packets: 5, bytes: 3 }, { vnfInstanceId: C, live: false, packets: 7, bytes: 4 }] },
    ],
    at: '2026-01-01T00:00:00Z',
  },
};

describe('buildChainGraph', () => {
  test('ingress, hops in order with their instances, egress; edges in order', () => {
    const graph = buildChainGraph(chain, names);
    expect(graph.nodes.map((n) => n.id)).toEqual(['ingress', 'hop-0', 'hop-1', 'egress']);
    expect(graph.edges.map((e) => [e.source, e.target])).toEqual([
      ['ingress', 'hop-0'],
      ['hop-0', 'hop-1'],
      ['hop-1', 'egress'],
    ]);
    expect(graph.nodes[0]).toMatchObject({ packets: 300, detail: 'h1 / br-int / vlan 3101 / nsA' });
    expect(graph.nodes[1]).toMatchObject({ packets: 200, down: false, detail: 'fw' });
    expect(graph.nodes[1].instances[0]).toMatchObject({ name: 'fw', live: true, packets: 200 });
    expect(graph.nodes[2]).toMatchObject({ packets: 12, down: true });
  });
  test('without counters: packets and live unknown', () => {
    const graph = buildChainGraph({ ...chain, counters: null });
    expect(graph.nodes[1].packets).toBeNull();
    expect(graph.nodes[1].instances[0].live).toBeNull();
    expect(graph.nodes[1].down).toBe(false);
    expect(graph.nodes[1].instances[0].name).toBe(A.slice(0, 8));
  });
  test('an instance connection point as ingress', () => {
    const graph = buildChainGraph({ ...chain, ingress: { vnfInstanceId: A, cpdId: 'right' } }, names);
    expect(graph.nodes[0].detail).toBe('fw:right');
  });
});

describe('reordering', () => {
  const hops = [hop(A), hop(B), hop(C)];
  const order = (h: Hop[]) => h.map((x) => x.instances[0].vnfInstanceId);
  test('move, up, down, out of range', () => {
    expect(order(moveHop(hops, 0, 2))).toEqual([B, C, A]);
    expect(order(moveHopUp(hops, 1))).toEqual([B, A, C]);
    expect(order(moveHopDown(hops, 1))).toEqual([A, C, B]);
    expect(order(moveHopUp(hops, 0))).toEqual([A, B, C]);
    expect(order(moveHopDown(hops, 2))).toEqual([A, B, C]);
    expect(order(hops)).toEqual([A, B, C]);
  });
  test('add, remove, share a hop', () => {
    const added = addHop([hop(A)], { vnfInstanceId: B, ingressCpd: 'l', egressCpd: 'r' });
    expect(order(added)).toEqual([A, B]);
    expect(order(removeHop(added, 0))).toEqual([B]);
    const shared = addInstanceToHop(added, 0, { vnfInstanceId: C, ingressCpd: 'l', egressCpd: 'r' });
    expect(shared[0].instances).toHaveLength(2);
    expect(addInstanceToHop(shared, 0, { vnfInstanceId: C, ingressCpd: 'l', egressCpd: 'r' })[0].instances).toHaveLength(2);
    expect(removeInstanceFromHop(shared, 0, A)[0].instances[0].vnfInstanceId).toBe(C);
    expect(removeInstanceFromHop([hop(A), hop(B)], 0, A)).toHaveLength(1);
    expect(sameHops(hops, moveHop(hops, 1, 1))).toBe(true);
    expect(sameHops(hops, moveHop(hops, 0, 1))).toBe(false);
  });
});

describe('refusals on nodes', () => {
  test('pointers to nodes', () => {
    expect(nodeOfPointer('/hops/1/instances/0/egressCpd')).toBe('hop-1');
    expect(nodeOfPointer('/hops/12')).toBe('hop-12');
    expect(nodeOfPointer('/ingress/port')).toBe('ingress');
    expect(nodeOfPointer('/egress')).toBe('egress');
    expect(nodeOfPointer('/classifier/sourcePrefix')).toBe('chain');
    expect(nodeOfPointer('/hopsx')).toBe('chain');
  });
  test('grouped', () => {
    const map = problemsByNode([
      { path: '/hops/1/instances/0/vnfInstanceId', message: 'not INSTANTIATED' },
      { path: '/hops/1/instances/0/egressCpd', message: 'no port' },
      { path: '/classifier', message: 'overlaps' },
    ]);
    expect(map.get('hop-1')).toEqual(['not INSTANTIATED', 'no port']);
    expect(map.get('chain')).toEqual(['/classifier: overlaps']);
  });
});

describe('tracePath', () => {
  const graph = buildChainGraph(chain, names);
  test('through every hop to the egress', () => {
    const path = tracePath({ entersChain: true, hops: [{ hop: 0, vnfInstanceId: A, ofport: 3 }, { hop: 1, vnfInstanceId: B, ofport: 4 }, { egress: true, ofport: 9 }] }, graph);
    expect([...path.nodes]).toEqual(['ingress', 'hop-0', 'hop-1', 'egress']);
    expect(path.edges.size).toBe(3);
  });
  test('a packet that does not enter', () => {
    const path = tracePath({ entersChain: false, hops: [] }, graph);
    expect(path.nodes.size).toBe(0);
  });
  test('dropped after the first hop', () => {
    const path = tracePath({ entersChain: true, hops: [{ hop: 0, vnfInstanceId: A, ofport: 3 }] }, graph);
    expect([...path.edges]).toEqual(['e-ingress-hop-0']);
  });
});
