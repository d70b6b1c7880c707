import { describe, expect, test } from '@jest/globals';
import type { ChainTraceResult } from '#vim/chains';
import { type FlowTrace, traceFlow, type TracePacket } from '#vim/ovs';
import { chainsHarness } from '../testing/harness.js';
import { chainThrough } from '../testing/memory-chain-store.js';

const PACKET = { ethertype: 'ipv4' as const, source: '10.0.1.5', destination: '10.0.2.7', protocol: 17, sourcePort: 40000, destinationPort: 5201 };

/** ofproto/trace over the fake bridge: the chain's flow for the in_port when the packet is classified (10.0.2.0/24), else NORMAL. */
function traceOn(h: ReturnType<typeof chainsHarness>) {
  return (bridge: string, packet: TracePacket): FlowTrace => {
    traceFlow(packet); // as the real tracer: InvalidSpecError for a packet it cannot write
    const flow = (h.bridges.flows.get(bridge) ?? []).find((f) => f.includes(`in_port=${packet.inPort},`));
    const base = { flow: `udp,in_port=${packet.inPort}`, misses: [], finalFlow: 'unchanged', megaflow: '', raw: '' };
    if (!flow || !packet.destination.startsWith('10.0.2.')) {
      return { ...base, rules: [{ bridge, table: 0, cookie: 0n, priority: 0, match: '', actions: ['NORMAL'], notes: [] }], datapathActions: '1,2', output: [2] };
    }
    const cookie = BigInt(/cookie=(0x[0-9a-f]+)/.exec(flow)![1]!);
    const actions = /actions=(.*)$/.exec(flow)![1]!.split(',');
    const output = actions.flatMap((a) => (/^output:(\d+)$/.exec(a) ? [Number(a.slice(7))] : []));
    return { ...base, rules: [{ bridge, table: 0, cookie, priority: 32768, match: flow.split(',actions=')[0]!, actions, notes: [] }], datapathActions: output.length ? '3' : 'drop', output: output.length ? output : 'drop' };
  };
}

async function installed(h: ReturnType<typeof chainsHarness>) {
  const chain = h.store.addChain(chainThrough('web', [['fw'], ['dpi']]));
  await h.applier.apply(h.store.addOp(chain, 'CREATE').id);
  h.drivers.traces = traceOn(h);
  return chain;
}

describe('ChainTraceRunner', () => {
  test('walks from the ingress through every hop to the egress, in one answer', async () => {
    const h = chainsHarness();
    const chain = await installed(h);
    const result = (await h.tracer.trace({ tenantId: 't1', chainId: chain.id, packet: PACKET })) as ChainTraceResult;
    expect(result).toMatchObject({
      chainId: chain.id,
      generation: 1,
      cookie: '0x10001',
      entersChain: true,
      hops: [{ hop: 0, vnfInstanceId: 'fw', ofport: 10 }, { hop: 1, vnfInstanceId: 'dpi', ofport: 12 }, { egress: true, ofport: 2 }],
      dropped: false,
      output: [2],
    });
    expect(result.segments.map((s) => s.inPort)).toEqual([1, 11, 13]);
    expect(result.rules.every((r) => r.ofChain && r.cookie === '0x10001')).toBe(true);
  });

  test('unclassified traffic does not enter the chain', async () => {
    const h = chainsHarness();
    const chain = await installed(h);
    const result = (await h.tracer.trace({ tenantId: 't1', chainId: chain.id, packet: { ...PACKET, destination: '192.0.2.1' } })) as ChainTraceResult;
    expect(result).toMatchObject({ entersChain: false, hops: [], dropped: false });
  });

  test('failMode closed with a dead hop: dropped, with the reason', async () => {
    const h = chainsHarness();
    const chain = await installed(h);
    h.store.instances.get('dpi')!.vms[0]!.powerState = 'PAUSED';
    await h.refresher.refresh({ reason: 'VM paused' });
    const result = (await h.tracer.trace({ tenantId: 't1', chainId: chain.id, packet: PACKET })) as ChainTraceResult;
    expect(result).toMatchObject({ entersChain: true, hops: [{ hop: 0, vnfInstanceId: 'fw' }], dropped: true });
    expect(result.dropReason).toMatch(/hop 1 has no live instance/);
  });

  test("another tenant's chain, or none, is not found: a typed answer, not a thrown text", async () => {
    const h = chainsHarness();
    const chain = await installed(h);
    expect(await h.tracer.trace({ tenantId: 't2', chainId: chain.id, packet: PACKET })).toEqual({ error: 'not-found', detail: expect.stringContaining(chain.id) });
    expect(await h.tracer.trace({ tenantId: 't1', chainId: 'nope', packet: PACKET })).toMatchObject({ error: 'not-found' });
  });

  test('a walk without a start (a network ingress without a port): cannot-trace', async () => {
    const h = chainsHarness();
    const chain = await installed(h);
    h.store.chains.get(chain.id)!.spec.ingress = { host: 'h1', bridge: 'br-int', vlan: 100 };
    expect(await h.tracer.trace({ tenantId: 't1', chainId: chain.id, packet: PACKET })).toEqual({ error: 'cannot-trace', detail: expect.any(String) });
  });

  test('a packet traceFlow cannot write (an IPv6 source on an IPv4 packet): invalid-packet with the reasons', async () => {
    const h = chainsHarness();
    const chain = await installed(h);
    const answer = await h.tracer.trace({ tenantId: 't1', chainId: chain.id, packet: { ...PACKET, source: '2001:db8::1' } });
    expect(answer).toEqual({ error: 'invalid-packet', detail: expect.stringContaining('source') });
  });

  test('a switch this worker cannot reach still fails the job', async () => {
    const h = chainsHarness();
    const chain = await installed(h);
    h.drivers.traces = undefined;
    await expect(h.tracer.trace({ tenantId: 't1', chainId: chain.id, packet: PACKET })).rejects.toThrow(/not on this worker's machine/);
  });
});
