import { describe, expect, test } from '@jest/globals';
import { domainNameFor } from '#vim/naming';
import { vmIdFor } from './ids.js';
import { LcmHarness } from './testing/harness.js';

const vmId = (h: LcmHarness, ordinal: number) => vmIdFor(h.instanceId, { vduId: 'fw', ordinal });

const KVM_HALT = {
  power: { state: 'PAUSED' as const, reason: 'unknown' },
  log: ['KVM internal error. Suberror: 1', 'extra data[0]: 0x0000000000000000', 'emulation failure', 'EAX=00000000 EBX=00000000'],
};

describe('the launch watches the guest it started', () => {
  test('a guest that libvirt started and then paused fails the launch with its state, reason and QEMU log; the rollback leaves nothing', async () => {
    const h = new LcmHarness();
    h.drivers.hypervisor(h.hostA).failNextGuest(KVM_HALT);
    const opId = h.addOp('INSTANTIATE');
    await h.drive(opId);

    const op = h.op(opId);
    expect(op.state).toBe('ROLLED_BACK');
    expect(op.error).toMatchObject({
      type: 'urn:vim:problem:guest-not-running',
      status: 502,
      step: 'launch',
      vduInstanceId: vmId(h, 0),
      domainName: domainNameFor(vmId(h, 0)),
      domainState: 'PAUSED',
      domainStateReason: 'unknown',
      qemuLog: KVM_HALT.log,
    });
    expect(op.error?.detail).toContain('libvirt reports it paused (unknown)');
    expect(op.error?.detail).toContain('KVM internal error. Suberror: 1');
    expect(await h.domains()).toEqual([]);
    expect(h.ports()).toEqual([]);
    expect(h.drivers.images.made()).toEqual([]);
    expect(h.store.claims.size).toBe(0);
    expect(h.vmIds()).toEqual([]);
  });

  test("the problem quotes the end of the guest's console, read before the rollback removes it", async () => {
    const h = new LcmHarness();
    const console = `${h.hostA.imageDir}/instances/${vmId(h, 0)}-console.log`;
    const lines = Array.from({ length: 30 }, (_, i) => `console line ${i}`);
    h.drivers.images.files.set(console, lines.join('\n') + '\n');
    h.drivers.hypervisor(h.hostA).failNextGuest({ power: { state: 'SHUTOFF', reason: 'crashed' } });
    const opId = h.addOp('INSTANTIATE');
    await h.drive(opId);
    expect(h.op(opId)).toMatchObject({ state: 'ROLLED_BACK', error: { domainState: 'SHUTOFF', consoleLog: lines.slice(-20) } });
    expect(h.drivers.images.files.has(console)).toBe(false);
  });

  test('no console output, no consoleLog field', async () => {
    const h = new LcmHarness();
    h.drivers.hypervisor(h.hostA).failNextGuest(KVM_HALT);
    const opId = h.addOp('INSTANTIATE');
    await h.drive(opId);
    expect(h.op(opId).error).not.toHaveProperty('consoleLog');
  });

  test('a guest that crashed or powered off fails it the same way, naming libvirt words', async () => {
    for (const [power, words] of [
      [{ state: 'CRASHED', reason: 'panicked' }, 'crashed (panicked)'],
      [{ state: 'SHUTOFF', reason: 'shutdown' }, 'shut off (shutdown)'],
    ] as const) {
      const h = new LcmHarness();
      h.drivers.hypervisor(h.hostA).failNextGuest({ power });
      const opId = h.addOp('INSTANTIATE');
      await h.drive(opId);
      expect(h.op(opId)).toMatchObject({ state: 'ROLLED_BACK', error: { domainState: power.state, domainStateReason: power.reason } });
      expect(h.op(opId).error?.detail).toContain(words);
    }
  });

  test('a guest that runs is recorded RUNNING with the VM', async () => {
    const h = new LcmHarness();
    await h.instantiated();
    for (const ordinal of [0, 1]) {
      const row = h.store.rows.get(vmId(h, ordinal)) as unknown as Record<string, unknown>;
      expect(row).toMatchObject({ state: 'ACTIVE', powerState: 'RUNNING', powerStateReason: null });
      expect(Number.isNaN(new Date(row.powerStateAt as Date).getTime())).toBe(false);
    }
    expect(h.vmEvents.map((e) => [e.vduInstanceId, e.previousPowerState, e.powerState])).toEqual([
      [vmId(h, 0), null, 'RUNNING'],
      [vmId(h, 1), null, 'RUNNING'],
    ]);
  });

  test('heal brings a VM that libvirt paused back to a running guest', async () => {
    const h = new LcmHarness();
    await h.instantiated();
    const paused = vmId(h, 1);
    h.drivers.hypervisor(h.hostA).setGuest(domainNameFor(paused), { state: 'PAUSED', reason: 'unknown' });
    // As the power state sync records it.
    Object.assign(h.store.rows.get(paused)!, { powerState: 'PAUSED' });
    h.vmEvents.length = 0;
    const opId = h.addOp('HEAL', { vduInstanceIds: [paused], target: 'same-host' });
    await h.drive(opId);

    expect(h.op(opId)).toMatchObject({ state: 'COMPLETED', error: null });
    expect(await h.drivers.hypervisor(h.hostA).powerState(domainNameFor(paused))).toMatchObject({ state: 'RUNNING' });
    expect(h.store.rows.get(paused)).toMatchObject({ state: 'ACTIVE', powerState: 'RUNNING' });
    // Announced, so a watcher that saw it pause sees it come back.
    expect(h.vmEvents).toEqual([expect.objectContaining({ kind: 'vm-state', vduInstanceId: paused, previousPowerState: 'PAUSED', powerState: 'RUNNING' })]);
  });
});

describe("the host's virtType decides the domain type", () => {
  const domainType = async (virtType: 'auto' | 'kvm' | 'qemu') => {
    const h = new LcmHarness();
    h.hostA.virtType = virtType;
    // The fake libvirt offers only qemu, as a machine without /dev/kvm does.
    await h.instantiated();
    return /<domain type=.(\w+)/.exec((await h.drivers.hypervisor(h.hostA).domainXml(domainNameFor(vmId(h, 0)))) ?? '')?.[1];
  };

  test("auto takes what libvirt offers; kvm and qemu are the operator's", async () => {
    expect(await domainType('auto')).toBe('qemu');
    expect(await domainType('kvm')).toBe('kvm');
    expect(await domainType('qemu')).toBe('qemu');
  });
});
