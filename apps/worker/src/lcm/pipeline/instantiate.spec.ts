import { describe, expect, jest, test } from '@jest/globals';
import { LibvirtError } from '#vim/libvirt';
import { checkUuid, domainNameFor } from '#vim/naming';
import { OvsError } from '#vim/ovs';
import { vmIdFor } from './ids.js';
import { LcmHarness, PARAMS } from './testing/harness.js';

const INSTANTIATE_STEPS = ['place', 'plug-ports', 'launch'];

/** Nothing of the instance is left in libvirt, OvS, the image folder, the claims or the VM rows. */
async function expectNothingLeft(h: LcmHarness): Promise<void> {
  expect(await h.domains()).toEqual([]);
  expect(h.ports()).toEqual([]);
  expect(h.drivers.images.made()).toEqual([]);
  expect([...h.store.claims.keys()]).toEqual([]);
  expect(h.vmIds()).toEqual([]);
}

describe('INSTANTIATE', () => {
  test('places, plumbs, defines and starts every VM, then marks the instance INSTANTIATED', async () => {
    const h = new LcmHarness();
    const opId = h.addOp('INSTANTIATE');
    const jobs = await h.drive(opId);

    expect(jobs.map((j) => j.step)).toEqual(INSTANTIATE_STEPS);
    const op = h.op(opId);
    expect(op).toMatchObject({ state: 'COMPLETED', currentStep: null, error: null });
    expect(Object.keys(op.timings.steps ?? {})).toEqual(INSTANTIATE_STEPS);
    expect(op.timings).toMatchObject({ libvirtMs: expect.any(Number), ovsdbMs: expect.any(Number) });
    expect(h.store.instances.get(h.instanceId)).toMatchObject({ instantiated: true, params: PARAMS });

    const ids = [0, 1].map((ordinal) => vmIdFor(h.instanceId, { vduId: 'fw', ordinal }));
    expect(h.vmIds()).toEqual([...ids].sort());
    for (const id of ids) {
      const vm = h.store.rows.get(id)!;
      expect(vm).toMatchObject({ state: 'ACTIVE', hostId: h.hostA.id, domainName: domainNameFor(id), domainUuid: id });
      expect(vm.ports).toEqual([
        { cpdId: 'fw-in', extCpdId: 'in', kind: 'vhostuser', name: expect.stringMatching(/^vhu/), bridge: 'br-data', vlan: 100 },
        { cpdId: 'fw-out', extCpdId: 'out', kind: 'sriov', pciAddress: h.store.claims.get(id)!.vfs[0]!.pciAddress, physnet: 'sriov-a' },
      ]);
      const xml = await h.drivers.hypervisor(h.hostA).domainXml(domainNameFor(id));
      expect(xml).toMatch(/<interface type=.hostdev./);
      expect(xml).toMatch(/<interface type=.vhostuser./);
    }
    expect((await h.drivers.hypervisor(h.hostA).lookupDomain(domainNameFor(ids[0]!)))?.state).toBe('running');
    expect(h.ports().map((p) => ({ bridge: p.bridge, vlanTag: p.vlanTag, affinity: p.otherConfig['pmd-rxq-affinity'] }))).toEqual([
      { bridge: 'br-data', vlanTag: 100, affinity: '0:1' },
      { bridge: 'br-data', vlanTag: 100, affinity: '0:1' },
    ]);
    expect(h.drivers.images.made()).toEqual(ids.flatMap((id) => [`/images/h1/instances/${id}-cidata.iso`, `/images/h1/instances/${id}.qcow2`]).sort());
    expect(h.drivers.images.folders).toContain(h.hostA.vhostSocketDir);
    expect(h.events.map((e) => [e.operationState, e.currentStep])).toEqual([
      ...INSTANTIATE_STEPS.map((step) => ['PROCESSING', step]),
      ['COMPLETED', null],
    ]);
  });

  test('a step that changed only its VM rows hands its snapshot to the next; after placing, the next step reads afresh', async () => {
    const h = new LcmHarness();
    const opId = h.addOp('INSTANTIATE');
    const read = jest.spyOn(h.store, 'snapshot');
    await h.drive(opId);
    // The action's own read (place runs from it), plug-ports's after placement; launch is handed its own.
    expect(read).toHaveBeenCalledTimes(2);
    expect(h.op(opId).state).toBe('COMPLETED');
    expect([...h.store.rows.values()].map((vm) => vm.state)).toEqual(['ACTIVE', 'ACTIVE']);
  });

  test('a handed-on snapshot serves only the job it was kept for', async () => {
    const h = new LcmHarness();
    const opId = h.addOp('INSTANTIATE');
    const plugPorts = (await h.pipeline.run((await h.act(opId, 'start'))!))!;
    const launch = (await h.pipeline.run(plugPorts))!;
    const read = jest.spyOn(h.store, 'snapshot');
    // A job of an earlier run finds the one kept for launch, drops it and reads afresh.
    expect(await h.pipeline.run({ ...launch, run: launch.run - 1 })).toBeUndefined();
    expect(await h.pipeline.run(launch)).toBeUndefined();
    expect(read).toHaveBeenCalledTimes(2);
    expect(h.op(opId).state).toBe('COMPLETED');
  });

  test('a handed-on snapshot serves only briefly: a job that comes a minute later (after a stall) reads afresh', async () => {
    const h = new LcmHarness();
    const opId = h.addOp('INSTANTIATE');
    const plugPorts = (await h.pipeline.run((await h.act(opId, 'start'))!))!;
    const launch = (await h.pipeline.run(plugPorts))!;
    const read = jest.spyOn(h.store, 'snapshot');
    jest.useFakeTimers({ now: Date.now() + 60_000, doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
    try {
      expect(await h.pipeline.run(launch)).toBeUndefined();
    } finally {
      jest.useRealTimers();
    }
    expect(read).toHaveBeenCalledTimes(1);
    expect(h.op(opId).state).toBe('COMPLETED');
  });

  test('VM ids are valid, stable UUIDs that tell the VMs apart', () => {
    const a = vmIdFor('7d1e5b20-4a3c-4f8e-a1b2-c3d4e5f60718', { vduId: 'fw', ordinal: 0 });
    expect(checkUuid(a).ok).toBe(true);
    expect(vmIdFor('7d1e5b20-4a3c-4f8e-a1b2-c3d4e5f60718', { vduId: 'fw', ordinal: 0 })).toBe(a);
    expect(vmIdFor('7d1e5b20-4a3c-4f8e-a1b2-c3d4e5f60718', { vduId: 'fw', ordinal: 1 })).not.toBe(a);
  });

  test.each([
    ['libvirt define', 'launch', 'urn:vim:problem:libvirt', (h: LcmHarness) => h.drivers.hypervisor(h.hostA).failNext('define')],
    ['libvirt start', 'launch', 'urn:vim:problem:libvirt', (h: LcmHarness) => h.drivers.hypervisor(h.hostA).failNext('start')],
    ['the OVSDB transaction', 'plug-ports', 'urn:vim:problem:ovsdb', (h: LcmHarness) => h.drivers.switch(h.hostA).failNext('ensure', new OvsError('constraint violation'))],
    ['the disk overlay', 'launch', 'urn:vim:problem:image', (h: LcmHarness) => h.drivers.images.failNextOverlay()],
  ])('a failure of %s (step %s) rolls everything back: ROLLED_BACK, nothing left behind', async (_what, step, type, inject) => {
    const h = new LcmHarness();
    const opId = h.addOp('INSTANTIATE');
    inject(h);
    const jobs = await h.drive(opId);

    expect(jobs.map((j) => j.step)).toEqual([...INSTANTIATE_STEPS.slice(0, INSTANTIATE_STEPS.indexOf(step) + 1), 'rollback']);
    const op = h.op(opId);
    expect(op).toMatchObject({ state: 'ROLLED_BACK', currentStep: 'rollback' });
    expect(op.error).toMatchObject({ type, title: 'Lifecycle step failed', status: 502, step, vduId: 'fw', host: 'h1' });
    expect(op.error?.detail).toMatch(new RegExp(`^step '${step}' failed for VM [0-9a-f-]{36} \\(vdu 'fw'\\) on host h1: `));
    expect(op.timings.steps).toHaveProperty('rollback');
    await expectNothingLeft(h);
    expect(h.store.instances.get(h.instanceId)).toMatchObject({ instantiated: false });
    expect(h.events.at(-2)).toMatchObject({ operationState: 'ROLLING_BACK', currentStep: 'rollback', error: op.error });
    expect(h.events.at(-1)).toMatchObject({ operationState: 'ROLLED_BACK' });
  });

  test('a refused placement fails with the no-valid-host explanation and releases what was claimed', async () => {
    const h = new LcmHarness();
    const opId = h.addOp('INSTANTIATE');
    h.placer.refuseNext();
    await h.drive(opId);

    expect(h.op(opId)).toMatchObject({ state: 'ROLLED_BACK' });
    expect(h.op(opId).error).toMatchObject({
      type: 'urn:vim:problem:no-valid-host',
      title: 'No valid host',
      status: 409,
      step: 'place',
      detail: expect.stringMatching(/cannot be placed: no valid host: 1 of 1 hosts failed SriovFilter$/),
      reasonCounts: { SriovFilter: 1 },
      hosts: [expect.objectContaining({ reason: 'numa 0 has 0 free VFs on physnet sriov-a, needs 1' })],
    });
    await expectNothingLeft(h);
  });

  test('a request that does not fit the descriptor is refused with every problem', async () => {
    const h = new LcmHarness();
    const opId = h.addOp('INSTANTIATE', { ...PARAMS, extCpBindings: { in: { physnet: 'x' } } });
    await h.drive(opId);
    expect(h.op(opId).error).toMatchObject({
      type: 'urn:vim:problem:validation',
      status: 422,
      step: 'place',
      errors: expect.arrayContaining([expect.objectContaining({ path: '/extCpBindings/out' })]),
    });
    await expectNothingLeft(h);
  });

  test('a step that runs again after a crash (its work done, its progress not recorded) duplicates nothing', async () => {
    const h = new LcmHarness();
    const opId = h.addOp('INSTANTIATE');
    for (let job = await h.act(opId, 'start'); job; ) {
      const next = await h.pipeline.run(job);
      if (next) {
        // The worker died after the step's work and before recording it: the job runs again.
        h.store.ops.get(opId)!.currentStep = job.step;
        expect(await h.pipeline.run(job)).toEqual(next);
      }
      job = next;
    }

    expect(h.op(opId).state).toBe('COMPLETED');
    expect(h.vmIds()).toHaveLength(2);
    expect(h.store.claims.size).toBe(2);
    expect(h.placer.requests).toHaveLength(1);
    expect(await h.domains()).toHaveLength(2);
    expect(h.ports()).toHaveLength(2);
    expect(h.drivers.images.made()).toHaveLength(4);
    expect([...h.store.rows.values()].every((vm) => vm.state === 'ACTIVE')).toBe(true);
  });

  test('a job that comes back after its step was recorded only schedules the step due; one of an earlier run does nothing', async () => {
    const h = new LcmHarness();
    const opId = h.addOp('INSTANTIATE');
    const first = (await h.act(opId, 'start'))!;
    const second = (await h.pipeline.run(first))!;
    expect(await h.pipeline.run(first)).toEqual(second);
    expect(await h.act(opId, 'start')).toEqual(second);
    // Found running, not applied: the due step may be running elsewhere, so only its own job may run it.
    expect(await h.pipeline.begin(opId, 'start', new Date())).toEqual({ job: second });
    expect(await h.pipeline.run({ ...second, run: second.run - 1 })).toBeUndefined();
    expect(h.op(opId).currentStep).toBe('plug-ports');
  });
});

describe('retry and rollback of a failed instantiation', () => {
  /** define fails, then so does the undo's undefine: FAILED_TEMP with both causes. */
  async function failedTemp(h: LcmHarness): Promise<string> {
    const opId = h.addOp('INSTANTIATE');
    h.drivers.hypervisor(h.hostA).failNext('define');
    h.drivers.hypervisor(h.hostA).failNext('undefine', new LibvirtError({ operation: 'undefine', uri: 'test:///h1', libvirtMessage: 'busy' }));
    await h.drive(opId);
    return opId;
  }

  test('a rollback that fails waits in FAILED_TEMP with its cause and the original one', async () => {
    const h = new LcmHarness();
    const opId = await failedTemp(h);
    expect(h.op(opId)).toMatchObject({ state: 'FAILED_TEMP', currentStep: 'rollback' });
    expect(h.op(opId).error).toMatchObject({
      title: 'Rollback failed',
      detail: expect.stringMatching(/^rollback failed: step 'rollback' failed for VM .* on host h1: libvirt undefine on test:\/\/\/h1 failed: busy$/),
      cause: { step: 'launch', type: 'urn:vim:problem:libvirt' },
    });
  });

  test('retry runs the operation again from its first step and completes it', async () => {
    const h = new LcmHarness();
    const opId = await failedTemp(h);
    const jobs = await h.drive(opId, 'retry');
    expect(jobs[0]?.step).toBe('place');
    expect(h.op(opId)).toMatchObject({ state: 'COMPLETED', error: null });
    expect(await h.domains()).toHaveLength(2);
    expect([...h.store.rows.values()].map((vm) => vm.state)).toEqual(['ACTIVE', 'ACTIVE']);
  });

  test("the operator's rollback undoes it: ROLLED_BACK, nothing left", async () => {
    const h = new LcmHarness();
    const opId = await failedTemp(h);
    expect((await h.drive(opId, 'rollback')).map((j) => j.step)).toEqual(['rollback']);
    expect(h.op(opId).state).toBe('ROLLED_BACK');
    await expectNothingLeft(h);
  });

  test('actions that do not apply to the state change nothing', async () => {
    const h = new LcmHarness();
    const opId = await h.instantiated();
    const before = structuredClone(h.op(opId));
    expect(await h.act(opId, 'retry')).toBeUndefined();
    expect(await h.act(opId, 'rollback')).toBeUndefined();
    expect(h.op(opId)).toEqual(before);
  });
});
