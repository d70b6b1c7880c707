import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { vhostUserPortName } from '#vim/naming';
import {
  OvsdbClient, OvsdbSwitchDriver, OvsError, ownerExternalIds, readSwitchInfo, type VhostUserClientPortSpec,
} from '#vim/ovs';

// The Open vSwitch from deploy/local. Port names come from random VDU ids, so parallel or
// interrupted runs never touch each other's ports; afterAll removes only the names made here.
const BRIDGE = 'br-int';
const UNIX = 'unix:/var/run/openvswitch/db.sock';
const vnf = randomUUID();
const vdu = randomUUID();
const names = [0, 1, 2].map((i) => vhostUserPortName(vdu, i));
const driver = new OvsdbSwitchDriver(UNIX);
let folder: string;
let pmdCore: number;

function spec(index: number, changes: Partial<VhostUserClientPortSpec> = {}): VhostUserClientPortSpec {
  return {
    bridge: BRIDGE,
    name: names[index],
    socketPath: join(folder, `${names[index]}.sock`),
    vlanTag: 100 + index,
    rxqAffinity: [{ queue: 0, core: pmdCore }],
    externalIds: { ...ownerExternalIds(vnf, vdu), 'vim:port-index': String(index) },
    ...changes,
  };
}

async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await read();
  while (!done(value) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    value = await read();
  }
  return value;
}

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'ovs-driver-'));
  const client = await OvsdbClient.connect(UNIX);
  try {
    [pmdCore] = (await readSwitchInfo(client)).pmdCpus;
  } finally {
    client.close();
  }
});

afterAll(async () => {
  await driver.removePorts(BRIDGE, names);
  await driver.close();
  await rm(folder, { recursive: true, force: true });
});

describe('OvsdbSwitchDriver against the real Open vSwitch', () => {
  let uuids: string[];

  test('ensure creates the ports; findPorts by external_ids returns exactly them', async () => {
    await driver.ensureVhostUserPorts([spec(0), spec(1)]);

    const found = await driver.findPorts(ownerExternalIds(vnf));
    expect(found).toEqual(
      [0, 1].map((i) =>
        expect.objectContaining({
          name: names[i],
          bridge: BRIDGE,
          vlanTag: 100 + i,
          options: { 'vhost-server-path': join(folder, `${names[i]}.sock`) },
          otherConfig: { 'pmd-rxq-affinity': `0:${pmdCore}` },
          externalIds: { 'vim:vnf-instance': vnf, 'vim:vdu-instance': vdu, 'vim:port-index': String(i) },
        }),
      ),
    );
    uuids = found.map((p) => p.interfaceUuid);
    // By interface: between the two reads vswitchd may fill in the port's ofport and status.
    expect((await driver.findPorts({ 'vim:port-index': '1', 'vim:vdu-instance': vdu })).map((p) => p.interfaceUuid)).toEqual([found[1]!.interfaceUuid]);
  });

  test('with no QEMU serving the socket the client port is disconnected and its link down', async () => {
    const status = await eventually(
      () => driver.interfaceStatus(names[0]),
      (s) => s?.status.status !== undefined,
    );
    expect(status).toEqual({ status: { mode: 'client', status: 'disconnected' }, linkState: 'down' });
    expect(await driver.interfaceStatus(names[2])).toBeUndefined();
  });

  test('ensure again (over TCP) keeps the same interfaces', async () => {
    const tcp = new OvsdbSwitchDriver('tcp:127.0.0.1:6640');
    try {
      await tcp.ensureVhostUserPorts([spec(1), spec(0)]);
      expect((await tcp.findPorts(ownerExternalIds(vnf))).map((p) => p.interfaceUuid)).toEqual(uuids);
    } finally {
      await tcp.close();
    }
  });

  test('a changed port is replaced in the same transaction that keeps the other', async () => {
    const socketPath = join(folder, 'moved.sock');
    await driver.ensureVhostUserPorts([spec(0), spec(1, { vlanTag: 200, socketPath })]);

    const [kept, replaced] = await driver.findPorts(ownerExternalIds(vnf));
    expect(kept.interfaceUuid).toBe(uuids[0]);
    expect(replaced.interfaceUuid).not.toBe(uuids[1]);
    expect(replaced).toMatchObject({ name: names[1], vlanTag: 200, options: { 'vhost-server-path': socketPath } });
  });

  test('a transaction naming a missing bridge fails with OvsError and leaves nothing behind', async () => {
    const missing = `nobr${randomUUID().slice(0, 8)}`;
    const attempt = driver.ensureVhostUserPorts([spec(2), spec(2, { bridge: missing, name: vhostUserPortName(randomUUID(), 0) })]);

    await expect(attempt).rejects.toBeInstanceOf(OvsError);
    await expect(attempt).rejects.toMatchObject({ error: 'timed out', operation: { op: 'wait', table: 'Bridge', where: [['name', '==', missing]] } });
    expect(await driver.findPorts({ 'vim:port-index': '2', 'vim:vdu-instance': vdu })).toEqual([]);
    expect(await driver.interfaceStatus(names[2])).toBeUndefined();
  });

  test('removePorts deletes the ports; a second remove is a no-op', async () => {
    await driver.removePorts(BRIDGE, names);
    expect(await driver.findPorts(ownerExternalIds(vnf))).toEqual([]);
    expect(await driver.interfaceStatus(names[0])).toBeUndefined();

    await expect(driver.removePorts(BRIDGE, names)).resolves.toBeUndefined();
    await expect(driver.removePorts(`nobr${randomUUID().slice(0, 8)}`, names)).resolves.toBeUndefined();
  });
});
