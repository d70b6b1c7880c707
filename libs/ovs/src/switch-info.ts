import { mapObject } from './driver/ovsdb-rows.js';
import type { OvsdbClient } from './ovsdb-client.js';

/** What inventory needs to know about a host's Open vSwitch. */
export interface SwitchInfo {
  dpdkInitialized: boolean;
  /** CPU ids of the PMD threads, from other_config:pmd-cpu-mask. */
  pmdCpus: number[];
  netdevBridges: string[];
}

/** CPU ids set in a hex mask such as 0x2 or 0xF0 (ovs-vswitchd.conf.db(5)). */
export function cpusInMask(mask: string | undefined): number[] {
  if (!mask) return [];
  const hex = mask.trim().replace(/^0x/i, '');
  if (!/^[0-9a-f]+$/i.test(hex)) return [];
  const bits = BigInt(`0x${hex}`);
  const cpus: number[] = [];
  for (let cpu = 0; bits >> BigInt(cpu) > 0n; cpu++) if ((bits >> BigInt(cpu)) & 1n) cpus.push(cpu);
  return cpus;
}

export async function readSwitchInfo(client: OvsdbClient): Promise<SwitchInfo> {
  const [system, bridges] = await client.transact(
    'Open_vSwitch',
    { op: 'select', table: 'Open_vSwitch', where: [], columns: ['dpdk_initialized', 'other_config'] },
    { op: 'select', table: 'Bridge', where: [], columns: ['name', 'datapath_type'] },
  );
  const [row] = system.rows as { dpdk_initialized: boolean; other_config: unknown }[];
  return {
    dpdkInitialized: row?.dpdk_initialized === true,
    pmdCpus: cpusInMask(row ? mapObject(row.other_config)['pmd-cpu-mask'] : undefined),
    netdevBridges: (bridges.rows as { name: string; datapath_type: string }[])
      .filter((b) => b.datapath_type === 'netdev')
      .map((b) => b.name)
      .sort(),
  };
}
