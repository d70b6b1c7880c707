import { describe, expect, test } from '@jest/globals';
import { chainsHarness } from '../testing/harness.js';
import { chainThrough } from '../testing/memory-chain-store.js';
import { currentFacts } from './chain-facts.js';
import { cachesDumps, passDrivers } from './pass-drivers.js';
import { renderAt, Rollout } from './rollout.js';

const H1 = { name: 'h1', ovsdbRemote: 'unix:/run/openvswitch/db.sock' };

describe('passDrivers', () => {
  test("a bridge's groups are dumped once, again after an installation there or when forgotten", async () => {
    const h = chainsHarness();
    const installer = passDrivers(h.drivers).installer(H1)!;
    expect(cachesDumps(installer)).toBe(true);
    await installer.dumpGroups('br-int');
    await installer.dumpGroups('br-int');
    expect(h.bridges.groupDumps).toBe(1);
    await installer.install('br-int', { file: 'ovs-ofctl', args: ['bundle', 'br-int', '-'], stdin: 'group add group_id=5,type=select,bucket=actions=output:1\n' });
    expect(await installer.dumpGroups('br-int')).toHaveLength(1);
    if (cachesDumps(installer)) installer.forget('br-int');
    await installer.dumpGroups('br-int');
    expect(h.bridges.groupDumps).toBe(3);
    expect(passDrivers(h.drivers).installer({ name: 'far', ovsdbRemote: 'tcp:10.0.0.7:6640' })).toBeUndefined();
  });

  test('a dump older than a change another worker made is read again before it counts as drift', async () => {
    const h = chainsHarness(['fw', 'fw2', 'dpi']);
    const chain = h.store.addChain(chainThrough('web', [['fw', 'fw2']]));
    await h.applier.apply(h.store.addOp(chain, 'CREATE').id);
    const pass = passDrivers(h.drivers);
    await pass.installer(H1)!.dumpGroups('br-int'); // the pass read the bridge here
    await pass.installer(H1)!.dumpChainFlows('br-int', chain.cookie);
    h.store.chains.get(chain.id)!.spec = chainThrough('web', [['fw', 'dpi']]);
    await h.applier.apply(h.store.addOp(chain, 'UPDATE').id); // another worker, after that
    const now = h.store.chains.get(chain.id)!;
    const { facts, hosts } = await currentFacts(h.store, pass, now);
    const drift = await new Rollout(pass, hosts).drift(now, renderAt(now.spec, now.cookie, now.generation, facts));
    expect(drift).toEqual({ missingFlows: 0, extraFlows: 0, missingGroups: 0, extraGroups: 0 });
  });

  test("a bridge's flows are dumped once (with statistics), split by cookie, for every chain's drift and counters", async () => {
    const h = chainsHarness();
    const installer = passDrivers(h.drivers).installer(H1)!;
    await h.bridges.install('br-int', { file: 'ovs-ofctl', args: [], stdin: 'flow add cookie=0x10001,in_port=1,actions=output:2\nflow add cookie=0x20003,in_port=3,actions=output:4\n' });
    h.bridges.packets = 2;
    expect(await installer.dumpChainFlowStats('br-int', 1n)).toEqual(['cookie=0x10001, n_packets=2, n_bytes=200, in_port=1,actions=output:2']);
    expect(await installer.dumpChainFlows('br-int', 2n)).toEqual(['cookie=0x20003, in_port=3,actions=output:4']);
    expect(await installer.dumpChainFlows('br-int', 3n)).toEqual([]);
    expect([h.bridges.bridgeFlowDumps, h.bridges.chainFlowDumps]).toEqual([1, 0]);
  });
});

describe('one refresh pass over many chains', () => {
  test('one flow dump and one group dump per bridge, whatever the number of chains', async () => {
    const ids = Array.from({ length: 40 }, (_, i) => `vnf${i}`);
    const h = chainsHarness(ids);
    for (let i = 0; i < ids.length; i += 2) {
      const chain = h.store.addChain(chainThrough(`c${i}`, [[ids[i]!, ids[i + 1]!]], { classifier: { ethertype: 'ipv4', destinationPrefix: `10.${i}.0.0/16` } }));
      await h.applier.apply(h.store.addOp(chain, 'CREATE').id);
    }
    Object.assign(h.bridges, { bridgeFlowDumps: 0, chainFlowDumps: 0, groupDumps: 0 });
    const started = performance.now();
    const summary = await h.refresher.refresh({ reason: 'periodic check' });
    const ms = performance.now() - started;
    expect(summary.results.unchanged).toBe(20);
    expect([h.bridges.bridgeFlowDumps, h.bridges.chainFlowDumps, h.bridges.groupDumps]).toEqual([1, 0, 1]);
    expect(ms).toBeLessThan(5_000);
  });
});
