import { describe, expect, test } from '@jest/globals';
import type { VmStateEvent } from '#vim/lcm';
import { FakeHypervisorDriver } from '#vim/libvirt/testing';
import { host } from '../pipeline/testing/harness.js';
import { type ObservedPower, type VmStateStore, VmStateSync, type WatchedVm } from './vm-state-sync.js';

const DOMAIN = (name: string) => `<domain type='qemu'><name>${name}</name></domain>`;

class MemoryStore implements VmStateStore {
  readonly rows: WatchedVm[] = [];
  /** Rows a lifecycle step wrote after the sync read them. */
  readonly rewritten = new Set<string>();

  async watched(): Promise<WatchedVm[]> {
    return this.rows.map((row) => ({ ...row }));
  }

  async record(vm: WatchedVm, now: ObservedPower): Promise<boolean> {
    if (this.rewritten.has(vm.id)) return false;
    Object.assign(this.rows.find((row) => row.id === vm.id)!, now);
    return true;
  }
}

async function fixture() {
  const store = new MemoryStore();
  const hostA = host('h1');
  const libvirt = new FakeHypervisorDriver(hostA.libvirtUri);
  const events: VmStateEvent[] = [];
  const sync = new VmStateSync({ store, hypervisor: () => libvirt, publish: async (event) => void events.push(event) });
  for (const id of ['a', 'b']) {
    await libvirt.defineDomain(DOMAIN(`vim-${id}`));
    await libvirt.startDomain(`vim-${id}`);
    store.rows.push({
      id, tenantId: 't1', vnfInstanceId: 'i1', vduId: 'fw', domainName: `vim-${id}`, host: hostA, powerState: 'RUNNING', powerStateReason: null, version: 'v1',
    });
  }
  return { store, libvirt, events, sync };
}

describe('VmStateSync', () => {
  test('records and announces a VM that libvirt paused, and nothing for one that runs as recorded', async () => {
    const { store, libvirt, events, sync } = await fixture();
    libvirt.setGuest('vim-b', { state: 'PAUSED', reason: 'unknown' });
    expect(await sync.syncOnce()).toEqual({ checked: 2, changed: 1 });

    expect(store.rows.map((r) => [r.id, r.powerState, r.powerStateReason])).toEqual([
      ['a', 'RUNNING', null],
      ['b', 'PAUSED', 'unknown'],
    ]);
    expect(events).toEqual([
      expect.objectContaining({ kind: 'vm-state', tenantId: 't1', vnfInstanceId: 'i1', vduInstanceId: 'b', powerState: 'PAUSED', powerStateReason: 'unknown', previousPowerState: 'RUNNING' }),
    ]);
    // Nothing new the next time.
    expect(await sync.syncOnce()).toEqual({ checked: 2, changed: 0 });
    expect(events).toHaveLength(1);
  });

  test('a domain libvirt no longer has is MISSING; a crashed one CRASHED', async () => {
    const { store, libvirt, sync } = await fixture();
    await libvirt.destroyDomain('vim-a');
    await libvirt.undefineDomain('vim-a');
    libvirt.setGuest('vim-b', { state: 'CRASHED', reason: 'panicked' });
    await sync.syncOnce();
    expect(store.rows.map((r) => [r.powerState, r.powerStateReason])).toEqual([
      ['MISSING', null],
      ['CRASHED', 'panicked'],
    ]);
  });

  test('a row a lifecycle step wrote since it was read keeps what the step wrote, and no event is sent', async () => {
    const { store, libvirt, events, sync } = await fixture();
    libvirt.setGuest('vim-a', { state: 'PAUSED', reason: 'user' });
    store.rewritten.add('a');
    expect(await sync.syncOnce()).toEqual({ checked: 2, changed: 0 });
    expect(events).toEqual([]);
  });

  test('it only reads libvirt: no domain is started, stopped or changed', async () => {
    const { libvirt, sync } = await fixture();
    libvirt.setGuest('vim-a', { state: 'PAUSED', reason: 'user' });
    const before = libvirt.calls.length;
    await sync.syncOnce();
    expect(libvirt.calls.slice(before).map((c) => c.operation)).toEqual(['state']);
  });
});
