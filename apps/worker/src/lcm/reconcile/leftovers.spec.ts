import { describe, expect, test } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { domainNameFor } from '#vim/naming';
import { FakeLcmDrivers } from '../pipeline/testing/fake-drivers.js';
import { host } from '../pipeline/testing/harness.js';
import type { OpenOp } from './due-queue-job.js';
import { type LeftoverFacts, LeftoverSweep } from './leftovers.js';

const T0 = new Date('2030-01-01T00:00:00.000Z');

function fixture() {
  const h1 = host('h1');
  const drivers = new FakeLcmDrivers();
  const ours = randomUUID();
  const holderKeeps = randomUUID();
  const stray = randomUUID();
  const started: string[] = [];
  const facts: LeftoverFacts = {
    strayInstances: async () => [stray, randomUUID()],
    // The second stray instance got an operation from the API meanwhile: nothing is started for it.
    startCleanup: async (id) => {
      if (id !== stray) return undefined;
      started.push(id);
      return { id: randomUUID(), operation: 'INSTANTIATE', state: 'ROLLING_BACK', stateEnteredTime: T0, currentStep: 'rollback', params: {} } satisfies OpenOp;
    },
    hosts: async () => [h1],
    knownVms: async (ids) => new Set(ids.filter((id) => id === ours || id === holderKeeps)),
  };
  return { h1, drivers, ours, holderKeeps, started, sweep: new LeftoverSweep(facts, drivers) };
}

const domainXml = (name: string) => `<domain type='kvm'><name>${name}</name><memory>131072</memory><vcpu>1</vcpu><os><type>hvm</type></os></domain>`;

describe('LeftoverSweep', () => {
  test('a stray instance gets an automatic rollback; an instance the API took meanwhile does not', async () => {
    const f = fixture();
    const report = await f.sweep.sweep();
    expect(report.cleanups).toHaveLength(1);
    expect(f.started).toHaveLength(1);
  });

  test("domains with this product's names that no VM row stands for are reported; known ones and others' names are not, and none is touched", async () => {
    const f = fixture();
    const foreign = randomUUID();
    const hypervisor = f.drivers.hypervisor(f.h1);
    for (const name of [domainNameFor(f.ours), domainNameFor(f.holderKeeps), domainNameFor(foreign), 'vim-not-a-uuid', 'someone-elses-vm']) {
      await hypervisor.defineDomain(domainXml(name));
    }
    const { unattributed } = await f.sweep.sweep();
    expect(unattributed).toEqual([
      { kind: 'domain', name: domainNameFor(foreign), host: 'h1', vmId: foreign },
    ]);
    expect(await hypervisor.listDomainNames('')).toHaveLength(5);
  });
});
