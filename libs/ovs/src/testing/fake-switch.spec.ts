import { describe, expect, test } from '@jest/globals';
import { InvalidSpecError } from '#vim/naming';
import { OvsError } from '../driver/switch-driver.js';
import type { VhostUserClientPortSpec } from '../port-ops.js';
import { FakeSwitchDriver } from './fake-switch.js';

const spec = (name: string, changes: Partial<VhostUserClientPortSpec> = {}): VhostUserClientPortSpec => ({
  bridge: 'br-int',
  name,
  socketPath: `/run/vim/${name}.sock`,
  vlanTag: 100,
  rxqAffinity: [{ queue: 0, core: 1 }],
  externalIds: { 'vim:vnf-instance': 'a' },
  ...changes,
});

describe('FakeSwitchDriver', () => {
  test('creates ports as OvS shows them before QEMU connects, and finds them by external_ids', async () => {
    const fake = new FakeSwitchDriver();
    await fake.ensureVhostUserPorts([spec('vhu1'), spec('vhu0', { externalIds: { 'vim:vnf-instance': 'b' } })]);

    expect(await fake.findPorts({ 'vim:vnf-instance': 'a' })).toEqual([
      {
        name: 'vhu1',
        bridge: 'br-int',
        interfaceUuid: expect.any(String),
        externalIds: { 'vim:vnf-instance': 'a' },
        options: { 'vhost-server-path': '/run/vim/vhu1.sock' },
        otherConfig: { 'pmd-rxq-affinity': '0:1' },
        status: { mode: 'client', status: 'disconnected' },
        ofport: 1,
        vlanTag: 100,
      },
    ]);
    expect(await fake.interfaceStatus('vhu0')).toEqual({ status: { mode: 'client', status: 'disconnected' }, linkState: 'down' });
    expect(await fake.interfaceStatus('vhu9')).toBeUndefined();
  });

  test('keeps identical ports, replaces changed ones', async () => {
    const fake = new FakeSwitchDriver();
    await fake.ensureVhostUserPorts([spec('vhu0'), spec('vhu1')]);
    const [a, b] = fake.allPorts();
    await fake.ensureVhostUserPorts([spec('vhu0', { externalIds: { 'vim:vnf-instance': 'a' } }), spec('vhu1', { vlanTag: 7 })]);
    const [a2, b2] = fake.allPorts();
    expect(a2.interfaceUuid).toBe(a.interfaceUuid);
    expect(b2).toMatchObject({ vlanTag: 7 });
    expect(b2.interfaceUuid).not.toBe(b.interfaceUuid);
  });

  test('is all or nothing: a missing bridge or an injected failure changes nothing', async () => {
    const fake = new FakeSwitchDriver();
    await expect(fake.ensureVhostUserPorts([spec('vhu0'), spec('vhu1', { bridge: 'br-ex' })])).rejects.toMatchObject({
      error: 'timed out',
      operation: { op: 'wait', table: 'Bridge' },
    });
    expect(fake.allPorts()).toEqual([]);

    const boom = new Error('connection reset');
    fake.failNext('ensure', boom);
    await expect(fake.ensureVhostUserPorts([spec('vhu0')])).rejects.toBe(boom);
    expect(fake.allPorts()).toEqual([]);
    await fake.ensureVhostUserPorts([spec('vhu0')]);

    fake.failNext('remove');
    await expect(fake.removePorts('br-int', ['vhu0'])).rejects.toBeInstanceOf(OvsError);
    expect(fake.allPorts()).toHaveLength(1);
  });

  test('removes only the named ports of that bridge; missing ones are fine', async () => {
    const fake = new FakeSwitchDriver({ bridges: ['br-int', 'br-ex'] });
    await fake.ensureVhostUserPorts([spec('vhu0'), spec('vhu1', { bridge: 'br-ex' })]);
    await fake.removePorts('br-int', ['vhu0', 'vhu1', 'vhu2']);
    expect(fake.allPorts().map((p) => p.name)).toEqual(['vhu1']);
    await expect(fake.removePorts('br-int', ['vhu0'])).resolves.toBeUndefined();
  });

  test('refuses the input the real driver refuses, and records every call', async () => {
    const fake = new FakeSwitchDriver();
    await expect(fake.ensureVhostUserPorts([spec('vhu0', { socketPath: 'relative.sock' })])).rejects.toBeInstanceOf(InvalidSpecError);
    await expect(fake.findPorts({})).rejects.toBeInstanceOf(InvalidSpecError);
    await expect(fake.removePorts('br-int', ['bad name'])).rejects.toBeInstanceOf(InvalidSpecError);
    await fake.close();
    expect(fake.calls.map((c) => c.method)).toEqual(['ensureVhostUserPorts', 'findPorts', 'removePorts', 'close']);
  });

  test('setInterfaceStatus plays QEMU connecting', async () => {
    const fake = new FakeSwitchDriver();
    await fake.ensureVhostUserPorts([spec('vhu0')]);
    fake.setInterfaceStatus('vhu0', { status: { mode: 'client', status: 'connected' }, linkState: 'up' });
    expect(await fake.interfaceStatus('vhu0')).toEqual({ status: { mode: 'client', status: 'connected' }, linkState: 'up' });
    expect(fake.allPorts()[0].status).toEqual({ mode: 'client', status: 'connected' });
  });
});
