import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { VnfdModel } from '../../../../libs/descriptors/src/index.js';
import type { InstantiateParams, OpState } from '../../../../libs/lcm/src/index.js';
import {
  HostEntity, InstantiationState, LcmOpOccEntity, LcmOperationState, VduInstanceEntity, VduInstanceState, VnfDescriptorEntity,
  VnfInstanceEntity,
} from '../../../../libs/persistence/src/index.js';
import type { Placement } from '../../../../libs/placement/src/index.js';
import { loadClaimedPlacements } from '../../../../libs/placement-store/src/index.js';
import type { Problem } from './pipeline/problem.js';
import type {
  HostRecord, InstanceRecord, LcmStore, Operation, OpChanges, OpRecord, PortRecord, VmChanges, VmRecord, VmState,
} from './pipeline/records.js';

function opRecord(row: LcmOpOccEntity): OpRecord {
  return {
    id: row.id,
    tenantId: row.tenantId,
    vnfInstanceId: row.vnfInstanceId,
    operation: row.operation as Operation,
    state: row.operationState as OpState,
    stateEnteredTime: row.stateEnteredTime,
    currentStep: row.currentStep,
    params: row.operationParams,
    error: row.error as Problem | null,
    timings: row.timings,
  };
}

function vmRecord(row: VduInstanceEntity): VmRecord {
  return {
    id: row.id,
    vnfInstanceId: row.vnfInstanceId,
    vduId: row.vduId,
    hostId: row.hostId,
    numaCell: row.numaCell,
    state: row.state as VmState,
    domainName: row.domainName,
    domainUuid: row.domainUuid,
    ports: row.ports as unknown as PortRecord[],
  };
}

/**
 * Hosts whose claims were released are marked changed, so that every worker's placement picture
 * (FleetCache) rereads them within its sync interval instead of at its next full reload.
 */
async function touchHosts(tx: EntityManager, hostIds: readonly (string | null)[]): Promise<void> {
  const ids = hostIds.filter((id): id is string => id !== null);
  if (ids.length > 0) await tx.query(`UPDATE hosts SET "updatedAt" = now() WHERE id = ANY($1::uuid[])`, [ids]);
}

/** LcmStore on Postgres. Claims are written by placement; here they are only read, moved and released. */
@Injectable()
export class TypeormLcmStore implements LcmStore {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async op(opId: string): Promise<OpRecord | undefined> {
    const row = await this.db.getRepository(LcmOpOccEntity).findOneBy({ id: opId });
    return row ? opRecord(row) : undefined;
  }

  async updateOp(opId: string, changes: OpChanges): Promise<OpRecord> {
    const { state, ...rest } = changes;
    const update: Partial<LcmOpOccEntity> = { ...rest, ...(state ? { operationState: state as LcmOperationState } : {}) };
    await this.db.getRepository(LcmOpOccEntity).update({ id: opId }, update as object);
    return opRecord(await this.db.getRepository(LcmOpOccEntity).findOneByOrFail({ id: opId }));
  }

  async instance(id: string): Promise<InstanceRecord> {
    // One query: every step reads its instance with the descriptor's model.
    const row = await this.db.getRepository(VnfInstanceEntity).findOneOrFail({ where: { id }, relations: { vnfDescriptor: true } });
    const vnfd = row.vnfDescriptor as VnfDescriptorEntity;
    const instantiated = row.instantiationState === InstantiationState.INSTANTIATED;
    const params = instantiated && row.flavourId !== null
      ? ({ flavourId: row.flavourId, ...(row.instantiationLevelId ? { instantiationLevelId: row.instantiationLevelId } : {}), extCpBindings: row.extCpBindings } as InstantiateParams)
      : null;
    return { id: row.id, tenantId: row.tenantId, name: row.name, vnfd: vnfd.model as unknown as VnfdModel, instantiated, params };
  }

  async markInstantiated(id: string, params: InstantiateParams): Promise<void> {
    await this.db.getRepository(VnfInstanceEntity).update(
      { id },
      {
        instantiationState: InstantiationState.INSTANTIATED,
        flavourId: params.flavourId,
        instantiationLevelId: params.instantiationLevelId ?? null,
        extCpBindings: params.extCpBindings,
      },
    );
  }

  async markNotInstantiated(id: string): Promise<void> {
    await this.db.getRepository(VnfInstanceEntity).update(
      { id },
      { instantiationState: InstantiationState.NOT_INSTANTIATED, flavourId: null, instantiationLevelId: null, extCpBindings: {}, scaleStatus: [] },
    );
  }

  async vms(vnfInstanceId: string): Promise<VmRecord[]> {
    const rows = await this.db.getRepository(VduInstanceEntity).find({ where: { vnfInstanceId }, order: { createdAt: 'ASC', id: 'ASC' } });
    return rows.map(vmRecord);
  }

  async addVms(vms: readonly Pick<VmRecord, 'id' | 'vnfInstanceId' | 'vduId'>[]): Promise<void> {
    if (vms.length === 0) return;
    await this.db.createQueryBuilder().insert().into(VduInstanceEntity).values(vms.map((vm) => ({ ...vm }))).orIgnore().execute();
  }

  async updateVm(id: string, changes: VmChanges): Promise<void> {
    const { state, ports, ...rest } = changes;
    const update: Partial<VduInstanceEntity> = {
      ...rest,
      ...(state ? { state: state as VduInstanceState } : {}),
      ...(ports ? { ports: ports as unknown as Record<string, unknown>[] } : {}),
    };
    if (Object.keys(update).length > 0) await this.db.getRepository(VduInstanceEntity).update({ id }, update as object);
  }

  placements(vmIds: readonly string[]): Promise<Map<string, Placement>> {
    return loadClaimedPlacements(this.db, vmIds);
  }

  async removeVm(id: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      const [row] = (await tx.query(`DELETE FROM vdu_instances WHERE id = $1 RETURNING "hostId"`, [id])) as [{ hostId: string | null }[], number];
      // The claims go with the row (ON DELETE CASCADE); the hosts they were on are marked changed.
      await touchHosts(tx, row.map((r) => r.hostId));
    });
  }

  async parkVm(vmId: string, holderId: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      const inserted = (await tx.query(
        `INSERT INTO vdu_instances (id, "vnfInstanceId", "vduId", "hostId", "numaCell", state, "domainUuid", ports)
         SELECT $2, "vnfInstanceId", "vduId", "hostId", "numaCell", 'DELETING', id, ports FROM vdu_instances WHERE id = $1 AND "hostId" IS NOT NULL
         ON CONFLICT (id) DO NOTHING RETURNING id`,
        [vmId, holderId],
      )) as unknown[];
      if (inserted.length === 0) return;
      await tx.query(`UPDATE resource_claims SET "vduInstanceId" = $2 WHERE "vduInstanceId" = $1`, [vmId, holderId]);
      await tx.query(`UPDATE vdu_instances SET "hostId" = NULL, "numaCell" = NULL, state = 'PENDING', ports = '[]', "updatedAt" = now() WHERE id = $1`, [vmId]);
    });
  }

  async host(id: string): Promise<HostRecord> {
    const { name, libvirtUri, ovsdbRemote, vhostSocketDir, imageDir } = await this.db.getRepository(HostEntity).findOneByOrFail({ id });
    return { id, name, libvirtUri, ovsdbRemote, vhostSocketDir, imageDir };
  }
}
