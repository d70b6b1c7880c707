import { describe, expect, test } from '@jest/globals';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { OvsdbClient, readSwitchInfo } from '#vim/ovs';

const run = promisify(execFile);

// The hypervisor and switch that deploy/local/services-up.sh started, reached the way the
// orchestrator reaches them: libvirt by URI, Open vSwitch over OVSDB JSON-RPC.
describe('services from deploy/local', () => {
  test('libvirtd answers on qemu:///system and offers QEMU domains', async () => {
    const { stdout } = await run('virsh', ['-c', 'qemu:///system', 'capabilities']);
    expect(stdout).toMatch(/<domain type='qemu'/);
    expect(stdout).toMatch(/<cells num='\d+'>/);
  });

  test.each(['unix:/var/run/openvswitch/db.sock', 'tcp:127.0.0.1:6640'])('OVSDB at %s: DPDK initialised, PMD cores, netdev bridge', async (remote) => {
    const client = await OvsdbClient.connect(remote);
    try {
      expect(await client.listDbs()).toContain('Open_vSwitch');
      const info = await readSwitchInfo(client);
      expect(info.dpdkInitialized).toBe(true);
      expect(info.pmdCpus.length).toBeGreaterThanOrEqual(1);
      expect(info.netdevBridges).toContain('br-int');
    } finally {
      client.close();
    }
  });

  test('a failing OVSDB operation rejects with the server reason', async () => {
    const client = await OvsdbClient.connect('unix:/var/run/openvswitch/db.sock');
    try {
      await expect(client.transact('Open_vSwitch', { op: 'select', table: 'No_Such_Table', where: [] })).rejects.toThrow(/No_Such_Table|unknown table/i);
    } finally {
      client.close();
    }
  });
});
