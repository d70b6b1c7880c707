import { describe, expect, test } from '@jest/globals';
import { chainOfCookie } from '#vim/ovs';
import { chainsHarness } from '../testing/harness.js';
import { chainThrough } from '../testing/memory-chain-store.js';
import { ChainSteering } from './chain-steering.js';
import { freeGeneration } from './rollout.js';

const cookieOf = (line: string) => BigInt(/cookie=(0x[0-9a-f]+)/.exec(line)![1]!);

describe('freeGeneration', () => {
  test('the wanted one unless held; never one sharing group ids (mod 16) with a held one', () => {
    expect(freeGeneration(2, [1])).toBe(2);
    expect(freeGeneration(2, [2])).toBe(3);
    expect(freeGeneration(2, [1, 2, 3])).toBe(4);
    expect(freeGeneration(2, [18])).toBe(3);
    expect(freeGeneration(65535, [65535])).toBe(1);
  });
});

describe('Rollout after a crash between a bundle and its record', () => {
  test('the switch holds generation g+1, the row says g: the repair never leaves a moment without the chain\'s rules, and no generation is reused', async () => {
    const h = chainsHarness(['fw', 'fw2', 'dpi']);
    const chain = h.store.addChain(chainThrough('web', [['fw', 'fw2'], ['dpi']]));
    await h.applier.apply(h.store.addOp(chain, 'CREATE').id);
    // A worker installs generation 2 and dies before recording it.
    const outcome = await new ChainSteering(h.store, h.drivers).steer(h.store.chains.get(chain.id)!);
    expect(outcome.changes.generation).toBe(2);
    expect(h.store.chains.get(chain.id)!.generation).toBe(1);
    const live = (bridge: string) => (h.bridges.flows.get(bridge) ?? []).filter((f) => chainOfCookie(cookieOf(f)) === chain.cookie);
    const counts: number[] = [];
    const install = h.bridges.install.bind(h.bridges);
    h.bridges.install = async (bridge, invocation) => {
      const done = await install(bridge, invocation);
      counts.push(live(bridge).length);
      return done;
    };
    const summary = await h.refresher.refresh({ reason: 'periodic check' });
    expect(summary.results.repaired).toBe(1);
    expect(counts.length).toBeGreaterThan(0);
    expect(counts.every((n) => n > 0)).toBe(true);
    // No bundle deletes flows of the chain without adding the new ones in the same bundle.
    const bundles = h.bridges.bundles.slice(-counts.length);
    for (const b of bundles) if (b.lines.some((l) => l.startsWith('flow delete'))) expect(b.lines.some((l) => l.startsWith('flow add'))).toBe(true);
    expect(h.store.chains.get(chain.id)).toMatchObject({ generation: 3, state: 'ACTIVE' });
    expect(new Set(live('br-int').map((f) => cookieOf(f) & 0xffffn))).toEqual(new Set([3n]));
    // Only generation 3's groups remain (the select group of hop 0).
    expect(h.bridges.groups.get('br-int')).toHaveLength(1);
    expect((await h.refresher.refresh({ reason: 'periodic check' })).results.unchanged).toBe(1);
  });
});
