import { checkPciAddress } from '#vim/naming';
import { parseCapabilitiesTopology, parseFreePages, parseNodeDevice, pciDeviceName } from './libvirt-xml.js';
import type { HypervisorProbe, SwitchProbe } from './probes.js';
import type { CellTopology, HostTopology, PfTopology } from './topology.js';


export interface DiscoveryTarget {
  hypervisor: HypervisorProbe;
  switch: SwitchProbe;
  /** SR-IOV PF (netdev name or PCI address) to physnet label, from the operator. */
  physnets: Record<string, string>;
}

/** Reads a host's NUMA cells, CPUs, hugepages, mapped SR-IOV PFs with their VFs, and OvS facts. */
export async function discoverHost(target: DiscoveryTarget): Promise<HostTopology> {
  const [cells, pfs, switchInfo] = await Promise.all([discoverCells(target.hypervisor), discoverPfs(target), target.switch.read()]);
  return { cells, pfs, switch: switchInfo };
}

async function discoverCells(hypervisor: HypervisorProbe): Promise<CellTopology[]> {
  let cells = parseCapabilitiesTopology(await hypervisor.capabilities());
  // libvirt's test driver with a custom node file reports no cells in capabilities (libvirt 9.0);
  // nodeinfo still has the counts, so the cells are rebuilt from them with CPUs split in order.
  if (cells.length === 0) cells = cellsFromNodeInfo(await hypervisor.nodeInfo());
  const free = await hypervisor.freePages().then(parseFreePages, () => new Map<number, Map<number, number>>());
  return cells.map((cell) => ({
    ...cell,
    hugepages: cell.hugepages.map((pool) => ({ ...pool, free: Math.min(pool.total, free.get(cell.cellId)?.get(pool.pageSizeKb) ?? pool.total) })),
  }));
}

export function cellsFromNodeInfo(info: { cells: number; cpus: number; memoryKb: number }): CellTopology[] {
  const count = Math.max(1, info.cells);
  const perCell = Math.ceil(info.cpus / count);
  return Array.from({ length: count }, (_, cellId) => ({
    cellId,
    memoryKb: Math.floor(info.memoryKb / count),
    cpus: Array.from({ length: Math.max(0, Math.min(perCell, info.cpus - cellId * perCell)) }, (_, i) => ({
      cpuId: cellId * perCell + i,
      coreId: null,
      socketId: null,
      siblings: [],
    })),
    hugepages: [],
  }));
}

async function discoverPfs(target: DiscoveryTarget): Promise<PfTopology[]> {
  return Promise.all(Object.entries(target.physnets).map(([pf, physnet]) => discoverPf(target.hypervisor, pf, physnet)));
}

async function discoverPf(hypervisor: HypervisorProbe, pf: string, physnet: string): Promise<PfTopology> {
  const byAddress = checkPciAddress(pf.toLowerCase()).ok;
  const pciAddress = byAddress ? pf.toLowerCase() : await pciAddressOfNetdev(hypervisor, pf);
  const device = parseNodeDevice(await hypervisor.nodeDevice(pciDeviceName(pciAddress)));
  if (device.virtFunctions.length === 0) throw new Error(`PF ${pf} (${pciAddress}) has no SR-IOV virtual functions`);
  const vfs = await Promise.all(
    device.virtFunctions.map(async (vf, vfIndex) => {
      const vfDevice = await hypervisor.nodeDevice(pciDeviceName(vf)).then(parseNodeDevice, () => null);
      return { pciAddress: vf, vfIndex, numaCell: vfDevice?.numaNode ?? device.numaNode };
    }),
  );
  return { pciAddress, netdevName: byAddress ? null : pf, numaCell: device.numaNode, physnet, vfs };
}

async function pciAddressOfNetdev(hypervisor: HypervisorProbe, netdev: string): Promise<string> {
  const names = await hypervisor.listNodeDevices('net');
  if (!names) throw new Error(`PF ${netdev}: this hypervisor cannot list network devices; name the PF by PCI address`);
  for (const name of names.filter((n) => n.startsWith(`net_${netdev}_`))) {
    const device = parseNodeDevice(await hypervisor.nodeDevice(name));
    if (device.netdevNames.includes(netdev) && device.parent) {
      const parent = parseNodeDevice(await hypervisor.nodeDevice(device.parent));
      if (parent.pciAddress) return parent.pciAddress;
    }
  }
  throw new Error(`PF ${netdev} not found among the host's network devices`);
}
