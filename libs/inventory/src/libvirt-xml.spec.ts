import { describe, expect, test } from '@jest/globals';
import { parseCapabilitiesTopology, parseCpuSet, parseFreePages, parseNodeDevice, pciDeviceName } from './libvirt-xml.js';
import { cellsFromNodeInfo } from './discover.js';

const CAPABILITIES = `<capabilities><host><topology><cells num='2'>
  <cell id='0'><memory unit='KiB'>2097152</memory>
    <pages unit='KiB' size='4'>524288</pages><pages unit='KiB' size='2048'>300</pages><pages unit='KiB' size='1048576'>2</pages>
    <cpus num='2'><cpu id='0' socket_id='0' die_id='0' core_id='0' siblings='0,2'/><cpu id='2' socket_id='0' die_id='0' core_id='0' siblings='0,2'/></cpus>
  </cell>
  <cell id='1'><memory unit='KiB'>4194304</memory><pages unit='KiB' size='4'>1</pages>
    <cpus num='1'><cpu id='1' socket_id='1' die_id='0' core_id='0' siblings='1'/></cpus>
  </cell>
</cells></topology></host></capabilities>`;

describe('libvirt XML', () => {
  test('capabilities: cells, CPUs with siblings, hugepage pools (not small pages)', () => {
    const cells = parseCapabilitiesTopology(CAPABILITIES);
    expect(cells.map((c) => c.cellId)).toEqual([0, 1]);
    expect(cells[0].cpus).toEqual([
      { cpuId: 0, coreId: 0, socketId: 0, siblings: [0, 2] },
      { cpuId: 2, coreId: 0, socketId: 0, siblings: [0, 2] },
    ]);
    expect(cells[0].hugepages).toEqual([
      { pageSizeKb: 2048, total: 300, free: 0 },
      { pageSizeKb: 1048576, total: 2, free: 0 },
    ]);
    expect(cells[1]).toMatchObject({ memoryKb: 4194304, hugepages: [] });
  });

  test('a test:/// custom node reports no cells', () => {
    expect(parseCapabilitiesTopology(`<capabilities><host><topology><cells num='0'></cells></topology></host></capabilities>`)).toEqual([]);
  });

  test('cells rebuilt from nodeinfo split CPUs and memory in order', () => {
    const cells = cellsFromNodeInfo({ cells: 2, cpus: 5, memoryKb: 1000 });
    expect(cells.map((c) => c.cpus.map((cpu) => cpu.cpuId))).toEqual([[0, 1, 2], [3, 4]]);
    expect(cells.map((c) => c.memoryKb)).toEqual([500, 500]);
  });

  test('free pages per cell', () => {
    const free = parseFreePages('Node 0:\n4KiB: 1216803\n2048KiB: 136\n\nNode 1:\n2048KiB: 7\n1048576KiB: 1\n');
    expect(free.get(0)?.get(2048)).toBe(136);
    expect(free.get(1)?.get(1048576)).toBe(1);
  });

  test('cpu sets', () => {
    expect(parseCpuSet('0-3,8,10-11')).toEqual([0, 1, 2, 3, 8, 10, 11]);
    expect(parseCpuSet('')).toEqual([]);
  });

  test('an SR-IOV PF with its VFs (hex addresses) and NUMA node', () => {
    const pf = parseNodeDevice(`<device><name>pci_0000_3b_00_0</name><parent>computer</parent>
      <capability type='pci'><domain>0</domain><bus>59</bus><slot>0</slot><function>0</function>
        <capability type='virt_functions' maxCount='4'>
          <address domain='0x0000' bus='0x3b' slot='0x02' function='0x0'/><address domain='0x0000' bus='0x3b' slot='0x0a' function='0x1'/>
        </capability><numa node='1'/></capability></device>`);
    expect(pf).toMatchObject({ name: 'pci_0000_3b_00_0', pciAddress: '0000:3b:00.0', numaNode: 1, virtFunctions: ['0000:3b:02.0', '0000:3b:0a.1'] });
    expect(pciDeviceName('0000:3b:0a.1')).toBe('pci_0000_3b_0a_1');
  });

  test('a VF names its PF; a net device names its PCI parent', () => {
    const vf = parseNodeDevice(`<device><name>pci_0000_3b_02_0</name><parent>pci_0000_3b_00_0</parent>
      <capability type='pci'><domain>0</domain><bus>59</bus><slot>2</slot><function>0</function>
        <capability type='phys_function'><address domain='0x0000' bus='0x3b' slot='0x00' function='0x0'/></capability></capability></device>`);
    expect(vf).toMatchObject({ physFunction: '0000:3b:00.0', numaNode: null, virtFunctions: [] });
    const net = parseNodeDevice(`<device><name>net_ens1f0_3c_fd</name><parent>pci_0000_3b_00_0</parent>
      <capability type='net'><interface>ens1f0</interface><address>3c:fd:00:00:00:01</address></capability></device>`);
    expect(net).toMatchObject({ netdevNames: ['ens1f0'], parent: 'pci_0000_3b_00_0', pciAddress: null });
  });
});
