import { describe, expect, test } from '@jest/globals';
import { chainsHarness } from '../testing/harness.js';
import { chainThrough } from '../testing/memory-chain-store.js';
import { currentFacts } from './chain-facts.js';
import { cachesGroups, passDrivers } from './pass-drivers.js';
import { renderAt, Rollout } from './rollout.js';

const H1 = { name: 'h1', ovsdbRemote: 'unix:/run/openvswitch/db.sock' };

describe('passDrivers', () => {
  test("a bridge's groups are dumped once, again after an installation there or when forgotten", async () => {
    const h = chainsHarness();
    const installer = passDrivers(h.drivers).installer(H1)!;
    expect(cachesGroups(installer)).toBe(true);
    await installer.dumpGroups('br-int');
    await installer.dumpGroups('br-int');
    expect(h.bridges.groupDumps).toBe(1);
    await installer.install('br-int', { file: 'ovs-ofctl', args: ['bundle', 'br-int', '-'], stdin: 'group add group_id=5,type=select,bucket=actions=output:1\n' });
    expect(await installer.dumpGroups('br-int')).toHaveLength(1);
    if (cachesGroups(installer)) installer.forgetGroups('br-int');
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
    h.store.chains.get(chain.id)!.spec = chainThrough('web', [['fw', 'dpi']]);
    await h.applier.apply(h.store.addOp(chain, 'UPDATE').id); // another worker, after that
    const now = h.store.chains.get(chain.id)!;
    const { facts, hosts } = await currentFacts(h.store, pass, now);
    const drift = await new Rollout(pass, hosts).drift(now, renderAt(now.spec, now.cookie, now.generation, facts));
    expect(drift).toEqual({ missingFlows: 0, extraFlows: 0, missingGroups: 0, extraGroups: 0 });
  });
});
