import { describe, expect, test } from '@jest/globals';
import { chainsHarness } from '../testing/harness.js';
import { chainThrough } from '../testing/memory-chain-store.js';
import { currentFacts } from './chain-facts.js';
import { steeredState } from './chain-state.js';

describe('currentFacts', () => {
  test("the switch's port numbers and access tags, one read per host; a VLAN network end on an access port is untagged", async () => {
    const h = chainsHarness();
    h.drivers.setPort('h1', 'up', 1, 100);
    const chain = h.store.addChain(chainThrough('web', [['fw']], { ingress: { host: 'h1', bridge: 'br-int', vlan: 100, port: 'up' }, egress: { host: 'h1', bridge: 'br-int', vlan: 100, port: 'down' } }));
    const { facts, hosts } = await currentFacts(h.store, h.drivers, chain);
    expect(facts.ingress).toEqual({ ofport: 1, tagged: false });
    expect(facts.egress).toEqual({ ofport: 2, tagged: true });
    expect(facts.instances.fw).toMatchObject({ live: true, ports: { in: { ofport: 10 }, out: { ofport: 11 } } });
    expect([...hosts.keys()]).toEqual(['h1']);
  });

  test('a port the switch does not have makes its instance not live; a VM not running too', async () => {
    const h = chainsHarness();
    h.drivers.ports_.set('h1', h.drivers.ports_.get('h1')!.filter((p) => p.name !== 'fw-out'));
    h.store.instances.get('dpi')!.vms[0]!.powerState = 'SHUTOFF';
    const { facts } = await currentFacts(h.store, h.drivers, h.store.addChain(chainThrough('web', [['fw'], ['dpi']])));
    expect([facts.instances.fw!.live, facts.instances.dpi!.live]).toEqual([false, false]);
  });
});

describe('steeredState', () => {
  test('ACTIVE, or DEGRADED naming the dead hops and what the failMode does', () => {
    const live = { state: 'INSTANTIATED', live: true, ports: {} };
    const dead = { ...live, live: false };
    expect(steeredState(chainThrough('c', [['a'], ['b']]), { instances: { a: live, b: live } })).toEqual({ state: 'ACTIVE', stateReason: null });
    expect(steeredState(chainThrough('c', [['a'], ['b', 'x']], { failMode: 'open' }), { instances: { a: dead, b: dead, x: dead } })).toEqual({
      state: 'DEGRADED',
      stateReason: "no live instance in hop 0 (a), hop 1 (b, x); failMode open: the chain's traffic skips them",
    });
  });
});
