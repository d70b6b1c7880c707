import { describe, expect, test } from '@jest/globals';
import type { StepJob } from './pipeline.js';
import { LcmHarness } from './testing/harness.js';

/** The operator's cancel as the API records it: a flag on the operation row. */
const askCancel = (h: LcmHarness, opId: string) => void (h.store.ops.get(opId)!.cancelPending = true);

/** Runs the action and then each step job in turn, calling `between(step)` before the step runs. */
async function driveWith(h: LcmHarness, opId: string, between: (step: string) => void): Promise<string[]> {
  const ran: string[] = [];
  let job: StepJob | undefined = await h.act(opId, 'start');
  for (; job; job = await h.pipeline.run(job)) {
    between(job.step);
    ran.push(job.step);
  }
  return ran;
}

describe('cancel', () => {
  test('a STARTING operation is stopped before its first step: nothing is placed, and a retry then runs it whole', async () => {
    const h = new LcmHarness();
    const opId = h.addOp('INSTANTIATE');
    askCancel(h, opId);
    expect(await h.act(opId, 'start')).toBeUndefined();

    expect(h.op(opId)).toMatchObject({ state: 'FAILED_TEMP', currentStep: null, cancelPending: false });
    expect(h.op(opId).error).toMatchObject({ type: 'urn:vim:problem:lcm-cancelled', status: 409, detail: expect.stringContaining('before its first step') });
    expect(h.vmIds()).toEqual([]);
    expect(h.events.at(-1)).toMatchObject({ operationState: 'FAILED_TEMP', isCancelPending: false });

    await h.drive(opId, 'retry');
    expect(h.op(opId)).toMatchObject({ state: 'COMPLETED', error: null });
  });

  test('a cancel that arrives while a step runs lets it finish and stops before the next; rollback then undoes it all', async () => {
    const h = new LcmHarness();
    const opId = h.addOp('INSTANTIATE');
    const switchDriver = h.drivers.switch(h.hostA);
    const ensure = switchDriver.ensureVhostUserPorts.bind(switchDriver);
    switchDriver.ensureVhostUserPorts = async (ports) => {
      askCancel(h, opId);
      return ensure(ports);
    };
    const ran = await driveWith(h, opId, () => undefined);

    expect(ran).toEqual(['place', 'plug-ports']);
    expect(h.op(opId)).toMatchObject({ state: 'FAILED_TEMP', currentStep: 'launch', cancelPending: false });
    expect(h.op(opId).error).toMatchObject({ type: 'urn:vim:problem:lcm-cancelled', step: 'launch' });
    expect(h.ports()).toHaveLength(2);
    expect(await h.domains()).toEqual([]);

    await h.drive(opId, 'rollback');
    expect(h.op(opId)).toMatchObject({ state: 'ROLLED_BACK' });
    expect(h.ports()).toEqual([]);
    expect(h.vmIds()).toEqual([]);
    expect(h.store.claims.size).toBe(0);
  });

  test('a cancel found when a step job starts runs nothing of it; a retry resumes at that step', async () => {
    const h = new LcmHarness();
    const opId = h.addOp('INSTANTIATE');
    const ran = await driveWith(h, opId, (step) => step === 'plug-ports' && askCancel(h, opId));

    // The plug-ports job was taken, found the cancel and ran nothing.
    expect(ran).toEqual(['place', 'plug-ports']);
    expect(h.op(opId)).toMatchObject({ state: 'FAILED_TEMP', currentStep: 'plug-ports' });
    expect(h.ports()).toEqual([]);
    expect((await h.drive(opId, 'retry')).map((j) => j.step)).toEqual(['plug-ports', 'launch']);
    expect(h.op(opId)).toMatchObject({ state: 'COMPLETED' });
  });

  test('a job of the run the cancel ended does nothing when it comes back', async () => {
    const h = new LcmHarness();
    const opId = h.addOp('INSTANTIATE');
    const stale: StepJob[] = [];
    await driveWith(h, opId, (step) => {
      if (step !== 'plug-ports') return;
      stale.push({ opId, run: h.op(opId).stateEnteredTime.getTime(), step });
      askCancel(h, opId);
    });
    expect(h.op(opId).state).toBe('FAILED_TEMP');
    expect(await h.pipeline.run(stale[0]!)).toBeUndefined();
    expect(h.ports()).toEqual([]);
  });

  test('a cancelled rollback waits in FAILED_TEMP with the failure that started it as the cause', async () => {
    const h = new LcmHarness();
    const opId = h.addOp('INSTANTIATE');
    h.drivers.hypervisor(h.hostA).failNext('start');
    await driveWith(h, opId, (step) => step === 'rollback' && askCancel(h, opId));

    const { error } = h.op(opId);
    expect(h.op(opId)).toMatchObject({ state: 'FAILED_TEMP', currentStep: 'rollback' });
    expect(error).toMatchObject({ type: 'urn:vim:problem:lcm-cancelled', cause: { type: 'urn:vim:problem:libvirt', step: 'launch' } });
    await h.drive(opId, 'rollback');
    expect(h.op(opId).state).toBe('ROLLED_BACK');
    expect(h.vmIds()).toEqual([]);
  });

  test('a cancel that meets the last step is too late: the operation completes and the request is cleared', async () => {
    const h = new LcmHarness();
    const opId = h.addOp('INSTANTIATE');
    const hypervisor = h.drivers.hypervisor(h.hostA);
    const start = hypervisor.startDomain.bind(hypervisor);
    hypervisor.startDomain = async (name) => {
      askCancel(h, opId);
      return start(name);
    };
    await driveWith(h, opId, () => undefined);
    expect(h.op(opId)).toMatchObject({ state: 'COMPLETED', cancelPending: false, error: null });
  });
});
