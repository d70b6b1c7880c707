import { describe, expect, test } from '@jest/globals';
import { chainsHarness } from '../testing/harness.js';
import { chainThrough } from '../testing/memory-chain-store.js';

const flowsOn = (h: ReturnType<typeof chainsHarness>) => h.bridges.flows.get('br-int') ?? [];

describe('ChainApplier', () => {
  test('CREATE: renders with the switch\'s port numbers, installs generation 1 in one bundle, ACTIVE, op COMPLETED, every change announced', async () => {
    const h = chainsHarness();
    const chain = h.store.addChain(chainThrough('web', [['fw'], ['dpi']]));
    const op = h.store.addOp(chain, 'CREATE');
    const done = await h.applier.apply(op.id);
    expect(done).toMatchObject({ operationState: 'COMPLETED', error: null });
    expect(h.store.chains.get(chain.id)).toMatchObject({ state: 'ACTIVE', stateReason: null, generation: 1, installed: [{ host: 'h1', bridge: 'br-int', generation: 1 }] });
    expect(h.store.chains.get(chain.id)!.facts!.instances.fw!.ports.in!.ofport).toBe(10);
    expect(flowsOn(h).map((f) => /in_port=(\d+).*actions=(\S+)/.exec(f)!.slice(1).join(' -> '))).toEqual(['1 -> output:10', '11 -> output:12', '13 -> output:2']);
    expect(flowsOn(h).every((f) => f.startsWith('cookie=0x10001,'))).toBe(true);
    expect(h.events.events.map((e) => [e.operation, e.operationState, e.chainState])).toEqual([['CREATE', 'PROCESSING', 'PENDING'], ['CREATE', 'COMPLETED', 'ACTIVE']]);
    expect(h.events.events[0]).toMatchObject({ kind: 'chain', tenantId: 't1', chainId: chain.id, chainName: 'web', opId: op.id });
    expect(await h.applier.apply(op.id)).toMatchObject({ operationState: 'COMPLETED' });
    expect(h.bridges.bundles.filter((b) => b.lines.some((l) => l.startsWith('flow add')))).toHaveLength(1);
  });

  test('UPDATE: the new generation replaces the old one make-before-break in one bundle', async () => {
    const h = chainsHarness();
    const chain = h.store.addChain(chainThrough('web', [['fw'], ['dpi']]));
    await h.applier.apply(h.store.addOp(chain, 'CREATE').id);
    h.store.chains.get(chain.id)!.spec = chainThrough('web', [['dpi'], ['fw']]);
    await h.applier.apply(h.store.addOp(chain, 'UPDATE').id);
    const last = h.bridges.bundles.at(-1)!.lines;
    expect(last.filter((l) => l.startsWith('flow add')).every((l) => l.includes('cookie=0x10002'))).toBe(true);
    expect(last.at(-1)).toBe('flow delete cookie=0x10001/-1');
    expect(flowsOn(h).map((f) => /in_port=(\d+).*actions=(\S+)/.exec(f)!.slice(1).join(' -> '))).toEqual(['1 -> output:12', '13 -> output:10', '11 -> output:2']);
    expect(h.store.chains.get(chain.id)).toMatchObject({ generation: 2, state: 'ACTIVE' });
  });

  test('a hop without a live instance: DEGRADED, naming the hop and what failMode closed does', async () => {
    const h = chainsHarness();
    h.store.instances.get('dpi')!.vms[0]!.powerState = 'PAUSED';
    const chain = h.store.addChain(chainThrough('web', [['fw'], ['dpi']]));
    await h.applier.apply(h.store.addOp(chain, 'CREATE').id);
    expect(h.store.chains.get(chain.id)).toMatchObject({ state: 'DEGRADED', stateReason: expect.stringMatching(/no live instance in hop 1 \(dpi\); failMode closed/) });
    expect(flowsOn(h).some((f) => /in_port=11,.*actions=drop/.test(f))).toBe(true);
  });

  test('refused by checkChain: ERROR with the reasons, op FAILED with a problem listing JSON pointers, nothing installed', async () => {
    const h = chainsHarness();
    h.store.instances.get('dpi')!.instantiationState = 'NOT_INSTANTIATED';
    const chain = h.store.addChain(chainThrough('web', [['fw'], ['dpi']]));
    const done = await h.applier.apply(h.store.addOp(chain, 'CREATE').id);
    expect(done!.operationState).toBe('FAILED');
    expect(done!.error).toMatchObject({ type: 'urn:vim:problem:validation', status: 422, errors: [expect.objectContaining({ path: expect.stringMatching(/^\/hops\/1/) })] });
    expect(h.store.chains.get(chain.id)).toMatchObject({ state: 'ERROR', stateReason: expect.stringMatching(/^the chain cannot be steered: \/hops\/1/) });
    expect(h.bridges.bundles).toEqual([]);
  });

  test('a refused bundle: op FAILED quoting ovs-ofctl, chain ERROR, the rules installed before stay', async () => {
    const h = chainsHarness();
    const chain = h.store.addChain(chainThrough('web', [['fw'], ['dpi']]));
    await h.applier.apply(h.store.addOp(chain, 'CREATE').id);
    const before = [...flowsOn(h)];
    h.store.chains.get(chain.id)!.spec = chainThrough('web', [['dpi']]);
    h.bridges.failNext('OFPBFC_MSG_FAILED: no such table');
    const done = await h.applier.apply(h.store.addOp(chain, 'UPDATE').id);
    expect(done).toMatchObject({ operationState: 'FAILED', error: { type: 'urn:vim:problem:chain-install', detail: expect.stringContaining('OFPBFC_MSG_FAILED: no such table') } });
    expect(h.store.chains.get(chain.id)).toMatchObject({ state: 'ERROR', generation: 1, stateReason: expect.stringContaining('OFPBFC_MSG_FAILED') });
    expect(flowsOn(h)).toEqual(before);
  });

  test('a chain on a host whose switch is not on this machine: ERROR saying so', async () => {
    const h = chainsHarness();
    const chain = h.store.addChain(chainThrough('web', [['fw']], { ingress: { host: 'far', bridge: 'br-int', port: 'up' }, egress: { host: 'far', bridge: 'br-int', port: 'down' } }));
    for (const id of ['fw']) h.store.instances.get(id)!.vms[0]!.host = 'far';
    for (const [name, ofport] of [['fw-in', 10], ['fw-out', 11], ['up', 1], ['down', 2]] as const) h.drivers.setPort('far', name, ofport);
    const done = await h.applier.apply(h.store.addOp(chain, 'CREATE').id);
    expect(done!.error).toMatchObject({ type: 'urn:vim:problem:chain-switch-unreachable', host: 'far' });
    expect(h.store.chains.get(chain.id)!.stateReason).toMatch(/host far's switch \(tcp:10\.0\.0\.7:6640\) is not on this worker's machine/);
  });

  test('DELETE: removes the cookie and the groups from the bridge, deletes the row, announces DELETED', async () => {
    const h = chainsHarness(['fw', 'fw2']);
    const chain = h.store.addChain(chainThrough('web', [['fw', 'fw2']]));
    await h.applier.apply(h.store.addOp(chain, 'CREATE').id);
    expect(h.bridges.groups.get('br-int')).toHaveLength(1);
    h.store.chains.get(chain.id)!.state = 'DELETING';
    const done = await h.applier.apply(h.store.addOp(chain, 'DELETE').id);
    expect(done!.operationState).toBe('COMPLETED');
    expect(flowsOn(h)).toEqual([]);
    expect(h.bridges.groups.get('br-int')).toEqual([]);
    expect(h.store.chains.has(chain.id)).toBe(false);
    expect(h.events.events.at(-1)).toMatchObject({ operation: 'DELETE', operationState: 'COMPLETED', chainState: 'DELETED' });
  });

  test('DELETE removes every rule of the cookie on the ingress\'s bridge, also those installed does not record (a crash after the bundle)', async () => {
    const h = chainsHarness(['fw', 'fw2']);
    const chain = h.store.addChain(chainThrough('web', [['fw', 'fw2']]));
    await h.applier.apply(h.store.addOp(chain, 'CREATE').id);
    // The record of the installation is lost: the row says nothing is installed.
    Object.assign(h.store.chains.get(chain.id)!, { installed: [], generation: 0, facts: null, state: 'DELETING' });
    const done = await h.applier.apply(h.store.addOp(chain, 'DELETE').id);
    expect(done!.operationState).toBe('COMPLETED');
    expect(flowsOn(h)).toEqual([]);
    expect(h.bridges.groups.get('br-int')).toEqual([]);
  });

  test('DELETE also cleans the bridges the facts name; one on a switch this worker cannot drive is skipped, not an error', async () => {
    const h = chainsHarness();
    const chain = h.store.addChain(chainThrough('web', [['fw']]));
    await h.applier.apply(h.store.addOp(chain, 'CREATE').id);
    await h.bridges.install('br-vnf', { file: 'ovs-ofctl', args: [], stdin: 'flow add cookie=0x10001,in_port=5,actions=output:6\nflow add cookie=0x20001,in_port=7,actions=output:8\n' });
    const row = h.store.chains.get(chain.id)!;
    const ports = row.facts!.instances.fw!.ports;
    Object.assign(row.facts!.instances.fw!, { ports: { out: { ...ports.out!, bridge: 'br-vnf' }, in: { ...ports.in!, host: 'far' } } });
    row.state = 'DELETING';
    expect((await h.applier.apply(h.store.addOp(chain, 'DELETE').id))!.operationState).toBe('COMPLETED');
    expect(flowsOn(h)).toEqual([]);
    expect(h.bridges.flows.get('br-vnf')).toEqual(['cookie=0x20001,in_port=7,actions=output:8']);
  });

  test("another chain's rules on the bridge are left alone", async () => {
    const h = chainsHarness();
    const a = h.store.addChain(chainThrough('a', [['fw']]));
    const b = h.store.addChain(chainThrough('b', [['dpi']], { classifier: { ethertype: 'ipv4', destinationPrefix: '10.0.3.0/24' } }));
    await h.applier.apply(h.store.addOp(a, 'CREATE').id);
    await h.applier.apply(h.store.addOp(b, 'CREATE').id);
    h.store.chains.get(a.id)!.state = 'DELETING';
    await h.applier.apply(h.store.addOp(a, 'DELETE').id);
    expect(flowsOn(h).length).toBeGreaterThan(0);
    expect(flowsOn(h).every((f) => f.startsWith('cookie=0x20001,'))).toBe(true);
  });

  test("another tenant's chain that overlaps is not named to this chain's owner (stateReason, the op's problem)", async () => {
    const h = chainsHarness();
    const theirs = h.store.addChain(chainThrough('secret-project', [['fw']]), { tenantId: 't2' });
    await h.applier.apply(h.store.addOp(theirs, 'CREATE').id);
    const mine = h.store.addChain(chainThrough('web', [['dpi']]));
    const done = await h.applier.apply(h.store.addOp(mine, 'CREATE').id);
    expect(done!.operationState).toBe('FAILED');
    const said = JSON.stringify([done!.error, h.store.chains.get(mine.id)!.stateReason, h.events.events.filter((e) => e.chainId === mine.id)]);
    expect(said).toContain("overlaps the classifier of chain 'another tenant's chain'");
    expect(said).not.toContain('secret-project');
  });

  test('a chain of the same tenant that overlaps is named', async () => {
    const h = chainsHarness();
    const other = h.store.addChain(chainThrough('mine-too', [['fw']]));
    await h.applier.apply(h.store.addOp(other, 'CREATE').id);
    const mine = h.store.addChain(chainThrough('web', [['dpi']]));
    await h.applier.apply(h.store.addOp(mine, 'CREATE').id);
    expect(h.store.chains.get(mine.id)!.stateReason).toContain("chain 'mine-too'");
  });

  describe('a failed UPDATE puts the chain back as it was (operationParams.previous)', () => {
    async function changed(h: ReturnType<typeof chainsHarness>, newHops: string[][]) {
      const chain = h.store.addChain(chainThrough('web', [['fw'], ['dpi']]));
      await h.applier.apply(h.store.addOp(chain, 'CREATE').id);
      const previous = { spec: structuredClone(h.store.chains.get(chain.id)!.spec), description: 'before' };
      Object.assign(h.store.chains.get(chain.id)!, { spec: chainThrough('web', newHops), description: 'after' });
      return { chain, op: h.store.addOp(chain, 'UPDATE', { change: {}, previous }) };
    }

    test('a refused bundle: op FAILED, spec and description back in the same write, ACTIVE (the old rules run) saying the change was refused; no refresh installs the change', async () => {
      const h = chainsHarness();
      const { chain, op } = await changed(h, [['dpi'], ['fw']]);
      const before = [...flowsOn(h)];
      h.bridges.failNext('OFPBFC_MSG_FAILED: no such table');
      const done = await h.applier.apply(op.id);
      expect(done).toMatchObject({ operationState: 'FAILED', error: { type: 'urn:vim:problem:chain-install' } });
      const row = h.store.chains.get(chain.id)!;
      expect(row).toMatchObject({ state: 'ACTIVE', generation: 1, description: 'before', stateReason: expect.stringMatching(/^the last change was refused: .*OFPBFC_MSG_FAILED/) });
      expect(row.spec.hops.map((hop) => hop.instances[0]!.vnfInstanceId)).toEqual(['fw', 'dpi']);
      expect(h.store.finishedWithChain).toContain(op.id);
      expect(h.events.events.at(-1)).toMatchObject({ operation: 'UPDATE', operationState: 'FAILED', chainState: 'ACTIVE' });
      const summary = await h.refresher.refresh({ reason: 'periodic check' });
      expect(summary.results.unchanged).toBe(1);
      expect([...h.store.ops.values()].filter((o) => o.operation === 'REPAIR')).toEqual([]);
      expect(flowsOn(h)).toEqual(before);
    });

    test('check problems: back to the previous spec, ACTIVE, the reasons in stateReason, the op a 422', async () => {
      const h = chainsHarness(['fw', 'dpi', 'gone']);
      h.store.instances.get('gone')!.instantiationState = 'NOT_INSTANTIATED';
      const { chain, op } = await changed(h, [['fw'], ['gone']]);
      const done = await h.applier.apply(op.id);
      expect(done!.error).toMatchObject({ status: 422 });
      expect(h.store.chains.get(chain.id)).toMatchObject({ state: 'ACTIVE', stateReason: expect.stringMatching(/^the last change was refused: the chain cannot be steered: \/hops\/1/) });
      expect(h.store.chains.get(chain.id)!.spec.hops[1]!.instances[0]!.vnfInstanceId).toBe('dpi');
      expect((await h.refresher.refresh({ reason: 'periodic check' })).results.unchanged).toBe(1);
    });

    test('the previous rules with a dead hop: DEGRADED, both reasons said', async () => {
      const h = chainsHarness(['fw', 'dpi', 'gone']);
      h.store.instances.get('gone')!.instantiationState = 'NOT_INSTANTIATED';
      const { chain, op } = await changed(h, [['fw'], ['gone']]);
      h.store.chains.get(chain.id)!.facts!.instances.dpi!.live = false;
      await h.applier.apply(op.id);
      expect(h.store.chains.get(chain.id)).toMatchObject({ state: 'DEGRADED', stateReason: expect.stringMatching(/^the last change was refused: .*; no live instance in hop 1 \(dpi\)/) });
    });

    test('nothing installed before (the CREATE had failed): ERROR, the spec back all the same', async () => {
      const h = chainsHarness(['fw', 'dpi', 'gone']);
      h.store.instances.get('gone')!.instantiationState = 'NOT_INSTANTIATED';
      const chain = h.store.addChain(chainThrough('web', [['gone']]), { state: 'ERROR', stateReason: 'x' });
      const previous = { spec: structuredClone(chain.spec), description: null };
      h.store.chains.get(chain.id)!.spec = chainThrough('web', [['gone'], ['fw']]);
      await h.applier.apply(h.store.addOp(chain, 'UPDATE', { previous }).id);
      expect(h.store.chains.get(chain.id)).toMatchObject({ state: 'ERROR', description: null, stateReason: expect.stringMatching(/^the last change was refused: .*no rules of the chain as it was before are installed$/) });
      expect(h.store.chains.get(chain.id)!.spec.hops).toHaveLength(1);
    });

    test('an operation without a usable previous (written before the API kept it) fails as before: ERROR, the spec as changed', async () => {
      const h = chainsHarness();
      const chain = h.store.addChain(chainThrough('web', [['fw']]));
      await h.applier.apply(h.store.addOp(chain, 'CREATE').id);
      h.store.chains.get(chain.id)!.spec = chainThrough('web', [['dpi']]);
      h.bridges.failNext('refused');
      await h.applier.apply(h.store.addOp(chain, 'UPDATE', { previous: { spec: { name: 'web', hops: 'nope' } } }).id);
      expect(h.store.chains.get(chain.id)).toMatchObject({ state: 'ERROR' });
      expect(h.store.chains.get(chain.id)!.spec.hops[0]!.instances[0]!.vnfInstanceId).toBe('dpi');
    });
  });

  test('group ids: a chain whose group-id field an older live chain has is refused (ERROR, op FAILED); neither its CREATE nor its DELETE touches the older chain\'s groups', async () => {
    const h = chainsHarness(['fw', 'fw2', 'dpi', 'lb']);
    const older = h.store.addChain(chainThrough('older', [['fw', 'fw2']]), { cookie: 5n });
    await h.applier.apply(h.store.addOp(older, 'CREATE').id);
    const groups = [...h.bridges.groups.get('br-int')!];
    expect(groups).toHaveLength(1);
    const younger = h.store.addChain(chainThrough('younger', [['dpi', 'lb']], { classifier: { ethertype: 'ipv4', destinationPrefix: '10.0.9.0/24' } }), { cookie: 5n + 0xfffffn });
    const done = await h.applier.apply(h.store.addOp(younger, 'CREATE').id);
    expect(done!.operationState).toBe('FAILED');
    expect(h.store.chains.get(younger.id)).toMatchObject({ state: 'ERROR', stateReason: expect.stringMatching(/group ids would be those of chain 'older' \(cookies 5 and 1048580 are equal modulo 1048575/) });
    expect(h.bridges.groups.get('br-int')).toEqual(groups);
    expect((await h.refresher.refresh({ reason: 'periodic check' })).results).toMatchObject({ unchanged: 2 });
    h.store.chains.get(younger.id)!.state = 'DELETING';
    expect((await h.applier.apply(h.store.addOp(younger, 'DELETE').id))!.operationState).toBe('COMPLETED');
    expect(h.bridges.groups.get('br-int')).toEqual(groups);
    expect(h.store.chains.get(older.id)).toMatchObject({ state: 'ACTIVE' });
    expect((await h.refresher.refresh({ reason: 'periodic check' })).results.unchanged).toBe(1);
  });
});
