import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { HostTopology } from '#vim/inventory';
import {
  HostCpuEntity,
  HostEntity,
  HostReachability,
  HugepagePoolEntity,
  NumaCellEntity,
  PmdCoreEntity,
  SriovPfEntity,
  SriovVfEntity,
} from '#vim/persistence';

/** CHUNK rows per INSERT: hosts with thousands of CPUs or VFs stay under Postgres' parameter limit. */
const CHUNK = 1000;

/**
 * Writes what discovery found, replacing the previous picture of the host in one transaction,
 * so placement never sees half a host. Claims are keyed by CPU id and PCI address, not by these
 * rows, so replacing them loses nothing.
 */
@Injectable()
export class HostTopologyStore {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async replace(hostId: string, topology: HostTopology): Promise<void> {
    await this.db.transaction(async (tx) => {
      for (const entity of [SriovVfEntity, SriovPfEntity, PmdCoreEntity, HugepagePoolEntity, HostCpuEntity, NumaCellEntity]) {
        await tx.delete(entity, { hostId });
      }
      await this.insertTopology(tx, hostId, topology);
      await tx.update(HostEntity, { id: hostId }, {
        reachability: HostReachability.UP,
        dpdkInitialized: topology.switch.dpdkInitialized,
        netdevBridges: topology.switch.netdevBridges,
        vhostUserReady: topology.switch.vhostUser.ready,
        vhostUserProblem: topology.switch.vhostUser.reason?.slice(0, 2000) ?? null,
        lastDiscoveredAt: new Date(),
        lastDiscoveryError: null,
      });
    });
  }

  async markUnreachable(hostId: string, reason: string): Promise<void> {
    await this.db.getRepository(HostEntity).update({ id: hostId }, { reachability: HostReachability.DOWN, lastDiscoveredAt: new Date(), lastDiscoveryError: reason.slice(0, 2000) });
  }

  private async insertTopology(tx: EntityManager, hostId: string, topology: HostTopology): Promise<void> {
    const cellOfCpu = new Map(topology.cells.flatMap((cell) => cell.cpus.map((cpu) => [cpu.cpuId, cell.cellId] as const)));
    await insertAll(tx, NumaCellEntity, topology.cells.map((c) => ({ hostId, cellId: c.cellId, memoryKb: String(c.memoryKb) })));
    await insertAll(tx, HostCpuEntity, topology.cells.flatMap((c) => c.cpus.map((cpu) => ({ hostId, numaCell: c.cellId, ...cpu }))));
    await insertAll(tx, HugepagePoolEntity, topology.cells.flatMap((c) => c.hugepages.map((p) => ({ hostId, numaCell: c.cellId, ...p }))));
    await insertAll(tx, PmdCoreEntity, topology.switch.pmdCpus.map((cpuId) => ({ hostId, cpuId, numaCell: cellOfCpu.get(cpuId) ?? 0 })));
    for (const pf of topology.pfs) {
      const [{ id: pfId }] = (await tx.insert(SriovPfEntity, { hostId, pciAddress: pf.pciAddress, netdevName: pf.netdevName, numaCell: pf.numaCell, physnet: pf.physnet })).identifiers as { id: string }[];
      await insertAll(tx, SriovVfEntity, pf.vfs.map((vf) => ({ hostId, pfId, ...vf })));
    }
  }
}

async function insertAll<T extends object>(tx: EntityManager, entity: new () => T, rows: Partial<T>[]): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK) await tx.insert(entity, rows.slice(i, i + CHUNK) as never);
}
