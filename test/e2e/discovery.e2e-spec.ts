import { describe, expect, test } from '@jest/globals';
import { resolve } from 'node:path';
import { discoverHost, OvsdbSwitchProbe, VirshProbe } from '../../libs/inventory/src/index.js';

const SRIOV_NODE = resolve('test/fixtures/libvirt/sriov-node.xml');
const ovs = new OvsdbSwitchProbe('unix:/var/run/openvswitch/db.sock');

describe('host discovery against the real services', () => {
  test('qemu:///system and OvS-DPDK: cells, CPUs, hugepages, PMD cores, netdev bridge', async () => {
    const host = await discoverHost({ hypervisor: new VirshProbe('qemu:///system'), switch: ovs, physnets: {} });
    expect(host.cells.length).toBeGreaterThanOrEqual(1);
    const cpus = host.cells.flatMap((c) => c.cpus.map((cpu) => cpu.cpuId));
    expect(cpus.length).toBeGreaterThanOrEqual(1);
    const pool2m = host.cells.flatMap((c) => c.hugepages).find((p) => p.pageSizeKb === 2048);
    // deploy/local reserves 300 2 MiB pages and OvS-DPDK takes some of them for its socket memory.
    expect(pool2m?.total).toBeGreaterThanOrEqual(300);
    expect(pool2m?.free).toBeLessThan(pool2m?.total as number);
    expect(host.switch).toMatchObject({ dpdkInitialized: true, netdevBridges: expect.arrayContaining(['br-int']) });
    expect(host.switch.pmdCpus.every((cpu) => cpus.includes(cpu))).toBe(true);
  });

  test('a test:/// node with SR-IOV: PFs by PCI address, their VFs and NUMA cells', async () => {
    const host = await discoverHost({
      hypervisor: new VirshProbe(`test://${SRIOV_NODE}`),
      switch: ovs,
      physnets: { '0000:3b:00.0': 'sriov-a', '0000:86:00.0': 'sriov-b' },
    });
    expect(host.cells.map((c) => c.cpus.length)).toEqual([8, 8]);
    expect(host.pfs).toEqual([
      expect.objectContaining({ pciAddress: '0000:3b:00.0', physnet: 'sriov-a', numaCell: 0 }),
      expect.objectContaining({ pciAddress: '0000:86:00.0', physnet: 'sriov-b', numaCell: 1 }),
    ]);
    expect(host.pfs[1].vfs).toEqual([0, 1, 2, 3].map((i) => ({ pciAddress: `0000:86:02.${i}`, vfIndex: i, numaCell: 1 })));
  });

  test('a PF that does not exist is named in the error', async () => {
    await expect(
      discoverHost({ hypervisor: new VirshProbe(`test://${SRIOV_NODE}`), switch: ovs, physnets: { '0000:99:00.0': 'x' } }),
    ).rejects.toThrow(/pci_0000_99_00_0/);
  });

  test('a PF named by netdev on a driver that cannot list devices says to use its PCI address', async () => {
    await expect(discoverHost({ hypervisor: new VirshProbe(`test://${SRIOV_NODE}`), switch: ovs, physnets: { ens1f0: 'x' } })).rejects.toThrow(
      /name the PF by PCI address/,
    );
  });
});
