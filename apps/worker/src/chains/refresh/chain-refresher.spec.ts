import { describe, expect, test } from '@jest/globals';
import { chainsHarness } from '../testing/harness.js';
import { chainThrough } from '../testing/memory-chain-store.js';
import { refreshFor, triggerRefresh } from './refresh-trigger.js';

async function installed(h: ReturnType<typeof chainsHarness>, hops = [['fw'], ['dpi']]) {
  const chain = h.store.addChain(chainThrough('web', hops));
  await h.applier.apply(h.store.addOp(chain, 'CREATE').id);
  h.events.events.length = 0;
  return chain;
}

const repairOps = (h: ReturnType<typeof chainsHarness>) => [...h.store.ops.values()].filter((o) => o.operation === 'REPAIR');

describe('ChainRefresher', () => {
  test('nothing changed: no repair, counters read (ingress and per hop instance)', async () => {
    const h = chainsHarness();
    const chain = await installed(h);
    h.bridges.packets = 7;
    const summary = await h.refresher.refresh({ reason: 'periodic check' });
    expect(summary).toEqual({ chains: 1, results: { unchanged: 1, repaired: 0, 'repair-failed': 0, resumed: 0, busy: 0, skipped: 0, failed: 0 } });
    expect(repairOps(h)).toEqual([]);
    expect(h.store.chains.get(chain.id)!.counters).toEqual({
      ingress: { packets: 7, bytes: 700 },
      hops: [{ instances: [{ vnfInstanceId: 'fw', live: true, packets: 7, bytes: 700 }] }, { instances: [{ vnfInstanceId: 'dpi', live: true, packets: 7, bytes: 700 }] }],
      at: '2026-12-07T23:00:00.000Z',
    });
  });

  test('the bridge lost the rules (ovs-vswitchd restarted): reinstalled as a new generation under a REPAIR, counted and logged', async () => {
    const h = chainsHarness();
    const chain = await installed(h);
    h.bridges.wipe('br-int');
    expect((await h.refresher.refresh({ reason: 'periodic check' })).results.repaired).toBe(1);
    const [op] = repairOps(h);
    expect(op).toMatchObject({ operationState: 'COMPLETED', isAutomaticInvocation: true, params: { reason: 'periodic check', renderingChanged: false, drift: { missingFlows: 3, extraFlows: 0, missingGroups: 0, extraGroups: 0 } } });
    expect(h.store.chains.get(chain.id)).toMatchObject({ generation: 2, repairs: 1, state: 'ACTIVE', lastRepairAt: expect.any(Date) });
    expect(h.bridges.flows.get('br-int')).toHaveLength(3);
    expect(h.log.lines.some((l) => /^warn chain .* repaired \(periodic check\): 3 flow\(s\) missing, 0 extra, 0 group\(s\) missing, 0 extra; generation 2 installed, ACTIVE/.test(l))).toBe(true);
    expect(h.events.events.map((e) => [e.operation, e.operationState, e.chainState])).toEqual([['REPAIR', 'PROCESSING', 'ACTIVE'], ['REPAIR', 'COMPLETED', 'ACTIVE']]);
  });

  test('a hop of two instances (a select group): no drift when nothing changed; its group deleted by hand is repaired', async () => {
    const h = chainsHarness(['fw', 'fw2', 'dpi']);
    await installed(h, [['fw', 'fw2'], ['dpi']]);
    expect((await h.refresher.refresh({ reason: 'periodic check' })).results.unchanged).toBe(1);
    h.bridges.groups.set('br-int', []);
    expect((await h.refresher.refresh({ reason: 'periodic check' })).results.repaired).toBe(1);
    expect(repairOps(h)[0]!.params!.drift).toMatchObject({ missingGroups: 1, extraGroups: 0 });
    expect(h.bridges.groups.get('br-int')).toHaveLength(1);
  });

  test("one dump of a bridge's groups per pass, however many chains", async () => {
    const h = chainsHarness(['fw', 'fw2', 'dpi', 'lb']);
    await installed(h, [['fw', 'fw2']]);
    const other = h.store.addChain(chainThrough('other', [['dpi', 'lb']], { classifier: { ethertype: 'ipv4', destinationPrefix: '10.0.9.0/24' } }));
    await h.applier.apply(h.store.addOp(other, 'CREATE').id);
    h.bridges.groupDumps = 0;
    expect((await h.refresher.refresh({ reason: 'periodic check' })).results.unchanged).toBe(2);
    expect(h.bridges.groupDumps).toBe(1);
  });

  test('an extra flow of the cookie on the bridge is drift too, and goes with the repair', async () => {
    const h = chainsHarness();
    await installed(h);
    h.bridges.flows.get('br-int')!.push('cookie=0x10001,priority=32768,in_port=99,actions=output:2');
    await h.refresher.refresh({ reason: 'periodic check' });
    expect(repairOps(h)[0]!.params!.drift).toEqual({ missingFlows: 0, extraFlows: 1, missingGroups: 0, extraGroups: 0 });
    expect(h.bridges.flows.get('br-int')!.some((f) => f.includes('in_port=99'))).toBe(false);
  });

  test("an instance's VM crashed: the rendering changed, failMode closed drops at that hop, DEGRADED; healed: ACTIVE again", async () => {
    const h = chainsHarness();
    const chain = await installed(h);
    h.store.instances.get('dpi')!.vms[0]!.powerState = 'CRASHED';
    await h.refresher.refresh({ vnfInstanceId: 'dpi', reason: 'VM crashed' });
    expect(h.store.chains.get(chain.id)).toMatchObject({ state: 'DEGRADED', generation: 2, repairs: 1 });
    expect(repairOps(h)[0]!.params).toMatchObject({ reason: 'VM crashed', renderingChanged: true });
    expect(h.bridges.flows.get('br-int')!.some((f) => /in_port=11,.*actions=drop/.test(f))).toBe(true);
    h.store.instances.get('dpi')!.vms[0]!.powerState = 'RUNNING';
    h.drivers.setPort('h1', 'dpi-in', 40);
    await h.refresher.refresh({ vnfInstanceId: 'dpi', reason: 'HEAL COMPLETED' });
    expect(h.store.chains.get(chain.id)).toMatchObject({ state: 'ACTIVE', stateReason: null, generation: 3, repairs: 2 });
    expect(h.bridges.flows.get('br-int')!.some((f) => /in_port=11,.*actions=output:40/.test(f))).toBe(true);
  });

  test('a terminated instance (its VMs gone) keeps its last ports in the facts: not live, the chain is DEGRADED, not ERROR', async () => {
    const h = chainsHarness();
    const chain = await installed(h);
    h.store.instances.set('dpi', { instantiationState: 'NOT_INSTANTIATED', vms: [] });
    await h.refresher.refresh({ vnfInstanceId: 'dpi', reason: 'TERMINATE COMPLETED' });
    expect(h.store.chains.get(chain.id)).toMatchObject({ state: 'DEGRADED' });
  });

  test('a chain with an unfinished operation is busy: no REPAIR, next pass', async () => {
    const h = chainsHarness();
    const chain = await installed(h);
    h.store.addOp(chain, 'UPDATE');
    h.bridges.wipe('br-int');
    expect((await h.refresher.refresh({ reason: 'periodic check' })).results.busy).toBe(1);
    expect(repairOps(h)).toEqual([]);
    expect(h.bridges.flows.get('br-int')).toBeUndefined();
  });

  test('a REPAIR left PROCESSING by a worker that died is failed, and the chain repaired', async () => {
    const h = chainsHarness();
    const chain = await installed(h);
    const stuck = (await h.store.startRepair(h.store.chains.get(chain.id)!, { reason: 'x', drift: { missingFlows: 0, extraFlows: 0, missingGroups: 0, extraGroups: 0 }, renderingChanged: false }))!;
    h.bridges.wipe('br-int');
    expect((await h.refresher.refresh({ reason: 'periodic check' })).results.repaired).toBe(1);
    expect(h.store.ops.get(stuck.id)).toMatchObject({ operationState: 'FAILED', error: { title: 'Repair abandoned' } });
  });

  test('an API operation whose job is gone: still waiting (busy) for 30 s, then run by the refresh itself', async () => {
    const h = chainsHarness();
    const chain = await installed(h);
    h.store.chains.get(chain.id)!.spec = chainThrough('web', [['dpi'], ['fw']]);
    const op = h.store.addOp(chain, 'UPDATE');
    expect((await h.refresher.refresh({ reason: 'periodic check' })).results.busy).toBe(1);
    h.store.ops.get(op.id)!.stateEnteredTime = new Date(Date.parse('2026-12-07T23:00:00Z') - 31_000);
    expect((await h.refresher.refresh({ reason: 'periodic check' })).results.resumed).toBe(1);
    expect(h.store.ops.get(op.id)!.operationState).toBe('COMPLETED');
    expect(h.store.chains.get(chain.id)).toMatchObject({ generation: 2, state: 'ACTIVE' });
    expect(h.log.lines.some((l) => /UPDATE operation .* STARTING for 31 s with no worker on it; running it now/.test(l))).toBe(true);
    expect(await h.applier.apply(op.id)).toMatchObject({ operationState: 'COMPLETED' }); // its job, should it come after all
  });

  test('a chain whose lock another worker holds: the periodic check skips it, a triggered refresh waits for it', async () => {
    const h = chainsHarness();
    const chain = await installed(h);
    h.store.locked.add(chain.id);
    expect((await h.refresher.refresh({ reason: 'periodic check' })).results.busy).toBe(1);
    const triggered = h.refresher.refresh({ vnfInstanceId: 'dpi', reason: 'VM crashed' });
    await new Promise((resolve) => setTimeout(resolve, 5));
    h.store.instances.get('dpi')!.vms[0]!.powerState = 'CRASHED';
    h.store.locked.delete(chain.id);
    expect((await triggered).results.repaired).toBe(1);
    expect(h.store.waited).toEqual([chain.id]);
    expect(h.store.chains.get(chain.id)!.state).toBe('DEGRADED');
  });

  test('only the chains through the instance; a PENDING chain whose CREATE has not run is left to it', async () => {
    const h = chainsHarness(['fw', 'dpi', 'lb']);
    await installed(h, [['fw']]);
    const pending = h.store.addChain(chainThrough('other', [['lb']], { classifier: { ethertype: 'ipv4', destinationPrefix: '10.0.9.0/24' } }));
    expect((await h.refresher.refresh({ vnfInstanceId: 'dpi', reason: 'x' })).chains).toBe(0);
    expect((await h.refresher.refresh({ vnfInstanceId: 'lb', reason: 'x' })).results.skipped).toBe(1);
    expect(h.store.chains.get(pending.id)!.state).toBe('PENDING');
  });

  test('a chain that can no longer be steered goes ERROR once (a failed REPAIR with the pointers), and back when it can', async () => {
    const h = chainsHarness();
    const chain = await installed(h);
    h.store.instances.get('dpi')!.instantiationState = 'NOT_INSTANTIATED';
    await h.refresher.refresh({ reason: 'periodic check' });
    await h.refresher.refresh({ reason: 'periodic check' });
    expect(repairOps(h)).toHaveLength(1);
    expect(repairOps(h)[0]).toMatchObject({ operationState: 'FAILED', error: { status: 422, errors: [expect.objectContaining({ path: expect.stringMatching(/^\/hops\/1/) })] } });
    expect(h.store.chains.get(chain.id)).toMatchObject({ state: 'ERROR', stateReason: expect.stringMatching(/^the chain cannot be steered/) });
    h.store.instances.get('dpi')!.instantiationState = 'INSTANTIATED';
    await h.refresher.refresh({ reason: 'periodic check' });
    expect(h.store.chains.get(chain.id)).toMatchObject({ state: 'ACTIVE', stateReason: null });
  });

  test('a switch that cannot be read: that chain fails this pass with a warning, others go on', async () => {
    const h = chainsHarness();
    await installed(h);
    h.drivers.portsFail = new Error('ovsdb-server not answering');
    expect((await h.refresher.refresh({ reason: 'periodic check' })).results.failed).toBe(1);
    expect(h.log.lines.some((l) => l.includes('ovsdb-server not answering'))).toBe(true);
  });
});

describe('refreshFor', () => {
  const op = { opId: 'o', vnfInstanceId: 'i1', tenantId: 't', operation: 'HEAL', currentStep: null, isCancelPending: false, at: '' };
  test('a lifecycle operation that settled, or a VM power change, refreshes the chains through that instance', () => {
    expect(refreshFor({ ...op, operationState: 'COMPLETED' })).toEqual({ vnfInstanceId: 'i1', reason: 'HEAL of instance i1 COMPLETED' });
    for (const state of ['FAILED', 'ROLLED_BACK', 'FAILED_TEMP'] as const) expect(refreshFor({ ...op, operationState: state })).toBeDefined();
    for (const state of ['STARTING', 'PROCESSING', 'ROLLING_BACK'] as const) expect(refreshFor({ ...op, operationState: state })).toBeUndefined();
    const vm = { kind: 'vm-state' as const, tenantId: 't', vnfInstanceId: 'i1', vduInstanceId: 'v1', vduId: 'fw', powerState: 'CRASHED', powerStateReason: null, previousPowerState: 'RUNNING', at: '' };
    expect(refreshFor(vm)).toEqual({ vnfInstanceId: 'i1', reason: 'VM v1 of instance i1 is CRASHED (was RUNNING)' });
  });
});

describe('triggerRefresh', () => {
  const settled = { opId: 'o', vnfInstanceId: 'i1', tenantId: 't', operation: 'TERMINATE', operationState: 'COMPLETED' as const, currentStep: null, isCancelPending: false, at: '' };

  test('adds refresh-chains for the instance; a queue that refuses is a warning, never an error', async () => {
    const added: unknown[] = [];
    const warnings: string[] = [];
    await triggerRefresh({ add: async (...args) => void added.push(args) }, settled, (m) => void warnings.push(m));
    expect(added).toEqual([['refresh-chains', { vnfInstanceId: 'i1', reason: 'TERMINATE of instance i1 COMPLETED' }, { removeOnComplete: true, removeOnFail: 100 }]]);
    await triggerRefresh({ add: async () => Promise.reject(new Error('Redis gone')) }, settled, (m) => void warnings.push(m));
    expect(warnings).toEqual([expect.stringMatching(/not refreshed after "TERMINATE of instance i1 COMPLETED" \(the periodic check will\): Error: Redis gone/)]);
    await triggerRefresh({ add: async (...args) => void added.push(args) }, { ...settled, operationState: 'PROCESSING' }, () => undefined);
    expect(added).toHaveLength(1);
  });

  test('a repair the switch refuses again for the same reason is not a new FAILED REPAIR every pass', async () => {
    const h = chainsHarness();
    const chain = await installed(h);
    h.bridges.wipe('br-int');
    h.bridges.failNext('OFPBFC_MSG_FAILED: refused');
    expect((await h.refresher.refresh({ reason: 'periodic check' })).results['repair-failed']).toBe(1);
    expect(h.store.chains.get(chain.id)).toMatchObject({ state: 'ERROR' });
    const events = h.events.events.length;
    for (let pass = 0; pass < 3; pass++) {
      h.bridges.failNext('OFPBFC_MSG_FAILED: refused');
      expect((await h.refresher.refresh({ reason: 'periodic check' })).results['repair-failed']).toBe(1);
    }
    expect(repairOps(h).map((o) => o.operationState)).toEqual(['FAILED']);
    expect(h.events.events).toHaveLength(events);
    h.bridges.failNext('OFPBFC_MSG_FAILED: another reason');
    await h.refresher.refresh({ reason: 'periodic check' });
    expect(repairOps(h).map((o) => o.operationState)).toEqual(['FAILED', 'FAILED']);
    expect((await h.refresher.refresh({ reason: 'periodic check' })).results.repaired).toBe(1);
    expect(repairOps(h).map((o) => o.operationState)).toEqual(['FAILED', 'FAILED', 'COMPLETED']);
  });
});
