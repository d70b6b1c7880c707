import type { VhostUserReadiness } from './vhost-user-readiness.js';

/** What discovery learns about a host, before it is stored. Plain data, no I/O. */
export interface HostTopology {
  cells: CellTopology[];
  pfs: PfTopology[];
  switch: { dpdkInitialized: boolean; pmdCpus: number[]; netdevBridges: string[]; vhostUser: VhostUserReadiness };
}

export interface CellTopology {
  cellId: number;
  memoryKb: number;
  cpus: { cpuId: number; coreId: number | null; socketId: number | null; siblings: number[] }[];
  hugepages: { pageSizeKb: number; total: number; free: number }[];
}

export interface PfTopology {
  pciAddress: string;
  netdevName: string | null;
  numaCell: number | null;
  physnet: string | null;
  vfs: { pciAddress: string; vfIndex: number; numaCell: number | null }[];
}
