import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { VnfdModel } from '#vim/descriptors';
import type { InstantiateParams, OpState } from '#vim/lcm';
import { InstantiationState, type VduInstanceEntity } from '#vim/persistence';
import { type ClaimRow, claimRowsSql, placementsFromClaims } from '#vim/placement-store';
import type { Problem } from './pipeline/problem.js';
import type {
  HeldSite, HostRecord, InstanceRecord, LcmStore, Operation, OpChanges, OpRecord, OpSnapshot, OpTimings, PortRecord, StepWrites, VmRecord, VmState,
} from './pipeline/records.js';

/** An lcm_op_occs row as read by OP_COLUMNS. */
interface OpRow {
  id: string;
  tenantId: string;
  vnfInstanceId: string;
  operation: string;
  operationState: string;
  stateEnteredTime: Date;
  currentStep: string | null;
  operationParams: Record<string, unknown>;
  error: Record<string, unknown> | null;
  timings: OpTimings;
  isCancelPending: boolean;
}

const OP_COLUMNS = `o.id, o."tenantId", o."vnfInstanceId", o.operation, o."operationState", o."stateEnteredTime", o."currentStep",
  o."operationParams", o.error, o.timings, o."isCancelPending"`;

function opRecord(row: OpRow): OpRecord {
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
    cancelPending: row.isCancelPending,
  };
}

/** The instance columns read with an operation, and its descriptor's model. */
interface InstanceRow {
  instanceName: string | null;
  instantiationState: string;
  flavourId: string | null;
  instantiationLevelId: string | null;
  extCpBindings: Record<string, unknown>;
  model: Record<string, unknown>;
}

function instanceRecord(op: OpRow, row: InstanceRow): InstanceRecord {
  const instantiated = row.instantiationState === InstantiationState.INSTANTIATED;
  const params = instantiated && row.flavourId !== null
    ? ({ flavourId: row.flavourId, ...(row.instantiationLevelId ? { instantiationLevelId: row.instantiationLevelId } : {}), extCpBindings: row.extCpBindings } as InstantiateParams)
    : null;
  return { id: op.vnfInstanceId, tenantId: op.tenantId, name: row.instanceName, vnfd: row.model as unknown as VnfdModel, instantiated, params };
}

/** OpChanges field to lcm_op_occs column; jsonb ones are sent as JSON text. */
const OP_CHANGE_COLUMNS: Record<keyof OpChanges, { column: string; json?: true }> = {
  state: { column: 'operationState' },
  stateEnteredTime: { column: 'stateEnteredTime' },
  currentStep: { column: 'currentStep' },
  error: { column: 'error', json: true },
  timings: { column: 'timings', json: true },
  cancelPending: { column: 'isCancelPending' },
};

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
    powerState: row.powerState,
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

/** Each VmChanges key present in a `changes` row (`c.j`) replaces that column; absent keys keep theirs. */
const UPDATE_VMS_FROM_CHANGES = `UPDATE vdu_instances v SET
    state = CASE WHEN c.j ? 'state' THEN (c.j->>'state')::vdu_instance_state ELSE v.state END,
    "domainName" = CASE WHEN c.j ? 'domainName' THEN c.j->>'domainName' ELSE v."domainName" END,
    "domainUuid" = CASE WHEN c.j ? 'domainUuid' THEN (c.j->>'domainUuid')::uuid ELSE v."domainUuid" END,
    ports = CASE WHEN c.j ? 'ports' THEN c.j->'ports' ELSE v.ports END,
    "powerState" = CASE WHEN c.j ? 'powerState' THEN c.j->>'powerState' ELSE v."powerState" END,
    "powerStateReason" = CASE WHEN c.j ? 'powerStateReason' THEN c.j->>'powerStateReason' ELSE v."powerStateReason" END,
    "powerStateAt" = CASE WHEN c.j ? 'powerStateAt' THEN (c.j->>'powerStateAt')::timestamptz ELSE v."powerStateAt" END,
    "updatedAt" = now()
  FROM changes c WHERE v.id = c.id`;

/** `$3` {params}: params null for NOT_INSTANTIATED (which also clears the scale status); `$3` null changes nothing. */
const UPDATE_INSTANCE_FROM_CHANGE = `UPDATE vnf_instances i SET
    "instantiationState" = (CASE WHEN x.p = 'null'::jsonb THEN 'NOT_INSTANTIATED' ELSE 'INSTANTIATED' END)::instantiation_state,
    "flavourId" = x.p->>'flavourId',
    "instantiationLevelId" = x.p->>'instantiationLevelId',
    "extCpBindings" = coalesce(x.p->'extCpBindings', '{}'::jsonb),
    "scaleStatus" = CASE WHEN x.p = 'null'::jsonb THEN '[]'::jsonb ELSE i."scaleStatus" END,
    "updatedAt" = now()
  FROM (SELECT $3::jsonb->'params' AS p) x
  WHERE $3::jsonb IS NOT NULL AND i.id = (SELECT "vnfInstanceId" FROM lcm_op_occs WHERE id = $1)`;

export const HOST_COLUMNS = `h.id, h.name, h."libvirtUri", h."ovsdbRemote", h."vhostSocketDir", h."imageDir", h."disabledCpuFeatures", h."virtType"`;

/** LcmStore on Postgres. Claims are written by placement; here they are only read, moved and released. */
@Injectable()
export class TypeormLcmStore implements LcmStore {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * One query: every step job starts from it, and on this path each round trip to Postgres counts
   * (the lifecycle benchmark's overhead is mostly round trips).
   */
  async snapshot(opId: string): Promise<OpSnapshot | undefined> {
    const sameInstance = `v."vnfInstanceId" = o."vnfInstanceId"`;
    const [row] = (await this.db.query(
      `SELECT ${OP_COLUMNS}, i.name AS "instanceName", i."instantiationState", i."flavourId", i."instantiationLevelId", i."extCpBindings", d.model,
         (SELECT coalesce(json_agg(v ORDER BY v."createdAt", v.id), '[]') FROM vdu_instances v WHERE ${sameInstance}) AS vms,
         (SELECT coalesce(json_agg(c), '[]') FROM (${claimRowsSql(sameInstance)}) c) AS claims,
         (SELECT coalesce(json_agg(h), '[]') FROM (
            SELECT ${HOST_COLUMNS} FROM hosts h
            WHERE h.id IN (SELECT c."hostId" FROM resource_claims c JOIN vdu_instances v ON v.id = c."vduInstanceId" WHERE ${sameInstance})
          ) h) AS hosts
       FROM lcm_op_occs o JOIN vnf_instances i ON i.id = o."vnfInstanceId" JOIN vnf_descriptors d ON d.id = i."vnfDescriptorId"
       WHERE o.id = $1`,
      [opId],
    )) as (OpRow & InstanceRow & { vms: VduInstanceEntity[]; claims: ClaimRow[]; hosts: HostRecord[] })[];
    if (!row) return undefined;
    const hosts = new Map(row.hosts.map((host) => [host.id, host]));
    const sites = new Map<string, HeldSite>();
    for (const [holderId, placement] of placementsFromClaims(row.claims)) {
      const host = hosts.get(placement.hostId);
      if (host) sites.set(holderId, { placement, host });
    }
    return { op: opRecord(row), instance: instanceRecord(row, row), vms: row.vms.map(vmRecord), sites };
  }

  /** One statement: what the step recorded on VM rows and on the instance rides along in data-modifying CTEs. */
  async updateOp(opId: string, changes: OpChanges, writes: StepWrites = { vms: new Map() }): Promise<OpRecord> {
    const vms = JSON.stringify([...writes.vms].map(([id, vm]) => ({ ...vm, id })));
    const instance = writes.instantiated === undefined ? null : JSON.stringify({ params: writes.instantiated });
    const values: unknown[] = [opId, vms, instance];
    const sets = Object.entries(changes).map(([key, value]) => {
      const { column, json } = OP_CHANGE_COLUMNS[key as keyof OpChanges];
      values.push(json && value !== null ? JSON.stringify(value) : value);
      return `"${column}" = $${values.length}`;
    });
    const [rows] = (await this.db.query(
      `WITH changes AS (SELECT (e->>'id')::uuid AS id, e AS j FROM jsonb_array_elements($2::jsonb) e),
       vms AS (${UPDATE_VMS_FROM_CHANGES}),
       instance AS (${UPDATE_INSTANCE_FROM_CHANGE})
       UPDATE lcm_op_occs o SET ${[...sets, `"updatedAt" = now()`].join(', ')} WHERE o.id = $1 RETURNING ${OP_COLUMNS}`,
      values,
    )) as [OpRow[], number];
    if (!rows[0]) throw new Error(`operation ${opId} is gone`);
    return opRecord(rows[0]);
  }

  async addVms(vms: readonly Pick<VmRecord, 'id' | 'vnfInstanceId' | 'vduId'>[]): Promise<VmRecord[]> {
    if (vms.length === 0) return [];
    const rows = (await this.db.query(
      `INSERT INTO vdu_instances (id, "vnfInstanceId", "vduId") SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::varchar[])
       ON CONFLICT (id) DO NOTHING RETURNING *`,
      [vms.map((vm) => vm.id), vms.map((vm) => vm.vnfInstanceId), vms.map((vm) => vm.vduId)],
    )) as VduInstanceEntity[];
    return rows.map(vmRecord);
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


}
