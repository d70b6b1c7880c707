import { describe, expect, test } from '@jest/globals';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { discoverHost, OvsdbSwitchProbe, VirshProbe } from '#vim/inventory';

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
    // This machine's ovs-vswitchd runs with librte-mempool-ring23 installed (RECIPES.md's package list),
    // so DPDK mapped the mempool ring driver and no pool failure was logged since it started.
    expect(host.switch.vhostUser).toEqual({ ready: true, reason: null });
  });

  test("this machine's ovs-vswitchd really has DPDK's mempool ring driver mapped, which is what readiness reads", async () => {
    const pid = Number((await readFile('/var/run/openvswitch/ovs-vswitchd.pid', 'utf8')).trim());
    const maps = await readFile(`/proc/${pid}/maps`, 'utf8');
    expect(maps).toMatch(/librte_eal\.so/);
    expect(maps).toMatch(/librte_mempool_ring\.so/);
  });

  test('the same switch over loopback TCP (deploy/local adds ptcp:6640:127.0.0.1) is this machine and looked at too', async () => {
    const facts = await new OvsdbSwitchProbe('tcp:127.0.0.1:6640').read();
    expect(facts.vhostUser).toEqual({ ready: true, reason: null });
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
