import { describe, expect, test } from '@jest/globals';
import { domainNameFor } from '#vim/naming';
import { vmIdFor } from './ids.js';
import { LcmHarness } from './testing/harness.js';

const vmId = (h: LcmHarness, ordinal: number) => vmIdFor(h.instanceId, { vduId: 'fw', ordinal });

describe('TERMINATE', () => {
  test('shuts every VM down within the timeout and removes everything it had', async () => {
    const h = new LcmHarness();
    await h.instantiated();
    const opId = h.addOp('TERMINATE', { terminationType: 'GRACEFUL', gracefulTerminationTimeout: 5 });
    const jobs = await h.drive(opId);

    expect(jobs.map((j) => j.step)).toEqual(['shutdown', 'dismantle', 'release']);
    expect(h.op(opId)).toMatchObject({ state: 'COMPLETED', error: null });
    const shutdowns = h.drivers.hypervisor(h.hostA).calls.filter((c) => c.operation === 'shutdown');
    expect(shutdowns.map((c) => [c.name, c.timeoutMs])).toEqual([0, 1].map((n) => [domainNameFor(vmId(h, n)), 5000]));
    expect(await h.domains()).toEqual([]);
    expect(h.ports()).toEqual([]);
    expect(h.drivers.images.made()).toEqual([]);
    expect(h.store.claims.size).toBe(0);
    expect(h.vmIds()).toEqual([]);
    expect(h.store.instances.get(h.instanceId)).toMatchObject({ instantiated: false, params: null });
  });

  test("removes the console logs (with virtlogd's rotated copies) and the vhost-user sockets a crashed QEMU left", async () => {
    const h = new LcmHarness();
    await h.instantiated();
    const left = [0, 1].flatMap((n) => [`${h.hostA.imageDir}/instances/${vmId(h, n)}-console.log`, `${h.hostA.imageDir}/instances/${vmId(h, n)}-console.log.0`]);
    left.push(...h.ports().map((port) => `${h.hostA.vhostSocketDir}/${port.name}.sock`));
    expect(left).toHaveLength(4 + 2);
    for (const path of left) h.drivers.images.files.set(path, 'left by the VM');
    await h.drive(h.addOp('TERMINATE', { terminationType: 'FORCEFUL' }));
    expect(h.drivers.images.made()).toEqual([]);
  });

  test('FORCEFUL powers the VMs off at once', async () => {
    const h = new LcmHarness();
    await h.instantiated();
    await h.drive(h.addOp('TERMINATE', { terminationType: 'FORCEFUL' }));
    const calls = h.drivers.hypervisor(h.hostA).calls.map((c) => c.operation);
    expect(calls).not.toContain('shutdown');
    expect(calls.filter((c) => c === 'destroy')).toHaveLength(2);
  });

  test('a failure leaves FAILED_TEMP at the failed step; retry resumes there and finishes', async () => {
    const h = new LcmHarness();
    await h.instantiated();
    const opId = h.addOp('TERMINATE', { terminationType: 'FORCEFUL' });
    h.drivers.hypervisor(h.hostA).failNext('undefine');
    await h.drive(opId);

    expect(h.op(opId)).toMatchObject({ state: 'FAILED_TEMP', currentStep: 'dismantle' });
    expect(h.op(opId).error).toMatchObject({ type: 'urn:vim:problem:libvirt', step: 'dismantle', vduInstanceId: vmId(h, 0) });

    const destroys = () => h.drivers.hypervisor(h.hostA).calls.filter((c) => c.operation === 'destroy').length;
    const before = destroys();
    expect((await h.drive(opId, 'retry')).map((j) => j.step)).toEqual(['dismantle', 'release']);
    expect(destroys()).toBe(before);
    expect(h.op(opId)).toMatchObject({ state: 'COMPLETED', error: null });
    expect(await h.domains()).toEqual([]);
    expect(h.store.claims.size).toBe(0);
  });

  test('cannot be rolled back: the operator is told, and the failed step is kept for a retry', async () => {
    const h = new LcmHarness();
    await h.instantiated();
    const opId = h.addOp('TERMINATE', { terminationType: 'FORCEFUL' });
    h.drivers.hypervisor(h.hostA).failNext('undefine');
    await h.drive(opId);
    await h.drive(opId, 'rollback');

    expect(h.op(opId)).toMatchObject({ state: 'FAILED_TEMP', currentStep: 'dismantle' });
    expect(h.op(opId).error).toMatchObject({ type: 'urn:vim:problem:rollback-not-supported', cause: { step: 'dismantle' } });
    expect(h.events.slice(-2).map((e) => e.operationState)).toEqual(['ROLLING_BACK', 'FAILED_TEMP']);
  });
});

describe('HEAL', () => {
  test('same-host recreates the named VM\'s domain and ports on its claims, and leaves the others alone', async () => {
    const h = new LcmHarness();
    await h.instantiated();
    const [healed, other] = [vmId(h, 0), vmId(h, 1)];
    const claims = structuredClone([...h.store.claims]);
    const uuids = h.ports().map((p) => p.interfaceUuid);
    const hypervisor = h.drivers.hypervisor(h.hostA);
    hypervisor.calls.length = 0;

    const opId = h.addOp('HEAL', { vduInstanceIds: [healed], target: 'same-host' });
    expect((await h.drive(opId)).map((j) => j.step)).toEqual(['take-down', 'plug-ports', 'launch']);

    expect(h.op(opId)).toMatchObject({ state: 'COMPLETED' });
    expect([...h.store.claims]).toEqual(claims);
    expect(hypervisor.calls.filter((c) => c.name === domainNameFor(other) && c.operation !== 'lookup')).toEqual([]);
    expect(hypervisor.calls.filter((c) => ['destroy', 'undefine', 'define', 'start'].includes(c.operation)).map((c) => c.operation)).toEqual([
      'destroy', 'undefine', 'define', 'start',
    ]);
    expect((await hypervisor.lookupDomain(domainNameFor(healed)))?.state).toBe('running');
    const after = h.ports();
    expect(after).toHaveLength(2);
    expect(after.filter((p) => !uuids.includes(p.interfaceUuid))).toHaveLength(1);
    expect(h.store.rows.get(healed)).toMatchObject({ state: 'ACTIVE', hostId: h.hostA.id });
    expect(h.drivers.images.made()).toHaveLength(4);
  });

  test('any-host moves every VM to new claims, and releases the old ones only once they run there', async () => {
    const h = new LcmHarness();
    await h.instantiated();
    const hostB = h.addHost('h2');
    h.placer.hostId = hostB.id;
    const opId = h.addOp('HEAL', { target: 'any-host' });
    const steps: string[] = [];
    let job = await h.act(opId, 'start');
    for (; job && job.step !== 'retire-old'; job = await h.pipeline.run(job)) steps.push(job.step);
    // Make before break: both incarnations run, and both placements are held.
    expect(await h.domains()).toHaveLength(4);
    expect(h.store.claims.size).toBe(4);
    for (; job; job = await h.pipeline.run(job)) steps.push(job.step);

    expect(steps).toEqual(['park-claims', 'place', 'clear-the-way', 'plug-ports', 'launch', 'retire-old']);
    expect(h.op(opId)).toMatchObject({ state: 'COMPLETED' });
    expect(await h.drivers.hypervisor(h.hostA).listDomainNames('vim-')).toEqual([]);
    expect(await h.drivers.hypervisor(hostB).listDomainNames('vim-')).toEqual([vmId(h, 0), vmId(h, 1)].map(domainNameFor).sort());
    expect(h.drivers.switch(h.hostA).allPorts()).toEqual([]);
    expect(h.drivers.switch(hostB).allPorts()).toHaveLength(2);
    expect(h.vmIds()).toEqual([vmId(h, 0), vmId(h, 1)].sort());
    expect([...h.store.claims.values()].map((c) => c.hostId)).toEqual([hostB.id, hostB.id]);
    expect(h.drivers.images.made().every((path) => path.startsWith('/images/h2/'))).toBe(true);
  });

  test('any-host onto the same host takes the old incarnation down first (same names)', async () => {
    const h = new LcmHarness();
    await h.instantiated();
    const opId = h.addOp('HEAL', { vduInstanceIds: [vmId(h, 1)], target: 'any-host' });
    await h.drive(opId);

    expect(h.op(opId)).toMatchObject({ state: 'COMPLETED' });
    expect(await h.domains()).toHaveLength(2);
    expect(h.ports()).toHaveLength(2);
    expect(h.store.claims.size).toBe(2);
    expect(h.vmIds()).toHaveLength(2);
    expect(h.drivers.images.made()).toHaveLength(4);
  });

  test('a failure leaves FAILED_TEMP; the VM keeps running on its old claims; retry finishes the move', async () => {
    const h = new LcmHarness();
    await h.instantiated();
    const hostB = h.addHost('h2');
    h.placer.hostId = hostB.id;
    const opId = h.addOp('HEAL', { vduInstanceIds: [vmId(h, 0)], target: 'any-host' });
    h.placer.refuseNext();
    await h.drive(opId);

    expect(h.op(opId)).toMatchObject({ state: 'FAILED_TEMP', currentStep: 'place', error: { type: 'urn:vim:problem:no-valid-host' } });
    expect((await h.drivers.hypervisor(h.hostA).lookupDomain(domainNameFor(vmId(h, 0))))?.state).toBe('running');
    expect(h.store.claims.size).toBe(2);

    await h.drive(opId, 'retry');
    expect(h.op(opId)).toMatchObject({ state: 'COMPLETED', error: null });
    expect(await h.drivers.hypervisor(hostB).listDomainNames('vim-')).toEqual([domainNameFor(vmId(h, 0))]);
    expect(await h.drivers.hypervisor(h.hostA).listDomainNames('vim-')).toEqual([domainNameFor(vmId(h, 1))]);
    expect(h.vmIds()).toEqual([vmId(h, 0), vmId(h, 1)].sort());
  });

  test('naming a VM the instance does not have fails the operation, naming it', async () => {
    const h = new LcmHarness();
    await h.instantiated();
    const opId = h.addOp('HEAL', { vduInstanceIds: ['3f2c9a4e-8b1d-4c6e-9f00-1a2b3c4d5e6f'], target: 'same-host' });
    await h.drive(opId);
    expect(h.op(opId)).toMatchObject({ state: 'FAILED_TEMP', error: { status: 422, detail: expect.stringContaining('3f2c9a4e-8b1d-4c6e-9f00-1a2b3c4d5e6f') } });
  });
});
