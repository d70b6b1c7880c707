import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { ChainFacts, InstanceRecord, PortRecord, ServiceChain, VmRecord } from '#vim/chains';
import { PG, pgError } from '#vim/persistence';
import type {
  ChainChanges, ChainInputs, ChainOpRecord, ChainOpStateName, ChainRecord, ChainStateName, ChainStore, HostSwitch, InstalledRules, OtherChain, RepairParams,
} from './records.js';

const OP_COLUMNS = `id, "tenantId", "chainId", "chainName", operation, "operationState", error, "stateEnteredTime", "operationParams"`;
const CHAIN_COLUMNS = `id, "tenantId", name, spec, state, "stateReason", cookie::text AS cookie, generation, installed, facts, repairs`;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface ChainRow {
  id: string;
  tenantId: string;
  name: string;
  spec: ServiceChain;
  state: ChainStateName;
  stateReason: string | null;
  cookie: string;
  generation: number;
  installed: InstalledRules[];
  facts: ChainFacts | null;
  repairs: number;
}

const chainRecord = (row: ChainRow): ChainRecord => ({ ...row, cookie: BigInt(row.cookie) });

const CHAINS_THROUGH = `SELECT id FROM service_chains c WHERE c.state <> 'DELETING' AND ($1::uuid IS NULL
    OR EXISTS (SELECT 1 FROM chain_hops h WHERE h."chainId" = c.id AND h."vnfInstanceId" = $1::uuid)
    OR c.spec->'ingress'->>'vnfInstanceId' = $1::text OR c.spec->'egress'->>'vnfInstanceId' = $1::text)
  ORDER BY c."createdAt"`;

const VMS = `SELECT v."vnfInstanceId", h.name AS host, v."powerState", v.ports FROM vdu_instances v LEFT JOIN hosts h ON h.id = v."hostId"
  WHERE v."vnfInstanceId" = ANY($1::uuid[]) AND v.state <> 'DELETING' ORDER BY v."createdAt"`;

const HOSTS = `SELECT name, "ovsdbRemote" FROM hosts
  WHERE name = ANY($1::text[]) OR id IN (SELECT "hostId" FROM vdu_instances WHERE "vnfInstanceId" = ANY($2::uuid[]))`;

/** The chains worker's reads and writes, in SQL: every write is one statement. */
@Injectable()
export class TypeormChainStore implements ChainStore {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async op(opId: string): Promise<ChainOpRecord | undefined> {
    if (!UUID.test(opId)) return undefined;
    const [row] = (await this.db.query(`SELECT ${OP_COLUMNS} FROM chain_op_occs WHERE id = $1`, [opId])) as ChainOpRecord[];
    return row;
  }

  async chain(chainId: string): Promise<ChainRecord | undefined> {
    if (!UUID.test(chainId)) return undefined;
    const [row] = (await this.db.query(`SELECT ${CHAIN_COLUMNS} FROM service_chains WHERE id = $1`, [chainId])) as ChainRow[];
    return row && chainRecord(row);
  }

  async chainIds(vnfInstanceId?: string): Promise<string[]> {
    if (vnfInstanceId !== undefined && !UUID.test(vnfInstanceId)) return [];
    return ((await this.db.query(CHAINS_THROUGH, [vnfInstanceId ?? null])) as { id: string }[]).map((r) => r.id);
  }

  async otherChains(chainId: string): Promise<OtherChain[]> {
    const rows = (await this.db.query(
      `SELECT "tenantId", name, cookie::text AS cookie, spec FROM service_chains WHERE id <> $1 AND state <> 'DELETING'`,
      [chainId],
    )) as { tenantId: string; name: string; cookie: string; spec: ServiceChain }[];
    return rows.map((r) => ({ ...r, cookie: BigInt(r.cookie) }));
  }

  async inputs(instanceIds: readonly string[], hostNames: readonly string[]): Promise<ChainInputs> {
    const ids = instanceIds.filter((id) => UUID.test(id));
    const instances = (await this.db.query(`SELECT id, "instantiationState" FROM vnf_instances WHERE id = ANY($1::uuid[])`, [ids])) as { id: string; instantiationState: string }[];
    const vms = (await this.db.query(VMS, [ids])) as { vnfInstanceId: string; host: string | null; powerState: string | null; ports: PortRecord[] }[];
    const hosts = (await this.db.query(HOSTS, [[...hostNames], ids])) as HostSwitch[];
    const records = new Map<string, InstanceRecord>();
    for (const instance of instances) {
      const own: VmRecord[] = vms.filter((vm) => vm.vnfInstanceId === instance.id).map((vm) => ({ host: vm.host, powerState: vm.powerState, ports: vm.ports ?? [] }));
      records.set(instance.id, { instantiationState: instance.instantiationState, vms: own });
    }
    return { records, hosts: new Map(hosts.map((h) => [h.name, h])) };
  }

  async setOpState(opId: string, state: ChainOpStateName, error: Record<string, unknown> | null = null): Promise<ChainOpRecord> {
    const [rows] = (await this.db.query(
      `UPDATE chain_op_occs SET "operationState" = $2, error = $3, "stateEnteredTime" = now(), "updatedAt" = now() WHERE id = $1 RETURNING ${OP_COLUMNS}`,
      [opId, state, error === null ? null : JSON.stringify(error)],
    )) as [ChainOpRecord[], number];
    if (!rows[0]) throw new Error(`chain operation ${opId} is gone`);
    return rows[0];
  }

  async updateChain(chainId: string, changes: ChainChanges): Promise<void> {
    if (changes.spec !== undefined) await this.db.transaction((m) => writeChain((sql, values) => m.query(sql, values), chainId, changes));
    else await writeChain((sql, values) => this.db.query(sql, values), chainId, changes);
  }

  async finishOp(opId: string, state: 'COMPLETED' | 'FAILED', error: Record<string, unknown> | null, chain?: { id: string; changes: ChainChanges }): Promise<ChainOpRecord> {
    return this.db.transaction(async (m) => {
      if (chain) await writeChain((sql, values) => m.query(sql, values), chain.id, chain.changes);
      const [rows] = (await m.query(
        `UPDATE chain_op_occs SET "operationState" = $2, error = $3, "stateEnteredTime" = now(), "updatedAt" = now() WHERE id = $1 RETURNING ${OP_COLUMNS}`,
        [opId, state, error === null ? null : JSON.stringify(error)],
      )) as [ChainOpRecord[], number];
      if (!rows[0]) throw new Error(`chain operation ${opId} is gone`);
      return rows[0];
    });
  }

  async discardRepair(opId: string): Promise<void> {
    await this.db.query(`DELETE FROM chain_op_occs WHERE id = $1 AND operation = 'REPAIR'`, [opId]);
  }

  async deleteChain(chainId: string): Promise<void> {
    await this.db.query(`DELETE FROM service_chains WHERE id = $1`, [chainId]);
  }

  async startRepair(chain: ChainRecord, params: RepairParams): Promise<ChainOpRecord | undefined> {
    try {
      const [row] = (await this.db.query(
        `INSERT INTO chain_op_occs ("tenantId", "chainId", "chainName", operation, "operationState", "isAutomaticInvocation", "operationParams")
           VALUES ($1, $2, $3, 'REPAIR', 'PROCESSING', true, $4) RETURNING ${OP_COLUMNS}`,
        [chain.tenantId, chain.id, chain.name, JSON.stringify(params)],
      )) as ChainOpRecord[];
      return row;
    } catch (error) {
      // The partial unique index: the chain has an unfinished operation.
      if (pgError(error, PG.UNIQUE_VIOLATION)) return undefined;
      throw error;
    }
  }

  async unfinishedOps(chainId: string): Promise<ChainOpRecord[]> {
    return (await this.db.query(
      `SELECT ${OP_COLUMNS} FROM chain_op_occs WHERE "chainId" = $1 AND "operationState" IN ('STARTING', 'PROCESSING')`,
      [chainId],
    )) as ChainOpRecord[];
  }

  /**
   * A session-level advisory lock on its own connection, keyed by the chain id (hashed into the
   * lock's 64 bits under a prefix of ours); released however `work` ends.
   */
  async exclusive<T>(chainId: string, wait: boolean, work: () => Promise<T>): Promise<T | undefined> {
    const runner = this.db.createQueryRunner();
    await runner.connect();
    const key = `vim:service-chain:${chainId}`;
    try {
      if (wait) await runner.query(`SELECT pg_advisory_lock(hashtextextended($1, 0))`, [key]);
      else {
        const [row] = (await runner.query(`SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS locked`, [key])) as { locked: boolean }[];
        if (!row?.locked) return undefined;
      }
      try {
        return await work();
      } finally {
        await runner.query(`SELECT pg_advisory_unlock(hashtextextended($1, 0))`, [key]);
      }
    } finally {
      await runner.release();
    }
  }
}

type Query = (sql: string, values: unknown[]) => Promise<unknown>;

/**
 * One chain's changes. A spec rewrites its chain_hops rows too (as the API writes them), skipping
 * an instance deleted since (its row would violate the foreign key; the chain names it still, and
 * its check says so).
 */
async function writeChain(query: Query, chainId: string, changes: ChainChanges): Promise<void> {
  const sets: string[] = [`"updatedAt" = now()`];
  const values: unknown[] = [chainId];
  const set = (column: string, value: unknown) => {
    values.push(value);
    sets.push(`"${column}" = $${values.length}`);
  };
  if (changes.state !== undefined) set('state', changes.state);
  if (changes.stateReason !== undefined) set('stateReason', changes.stateReason);
  if (changes.generation !== undefined) set('generation', changes.generation);
  if (changes.installed !== undefined) set('installed', JSON.stringify(changes.installed));
  if (changes.facts !== undefined) set('facts', JSON.stringify(changes.facts));
  if (changes.counters !== undefined) set('counters', JSON.stringify(changes.counters));
  if (changes.spec !== undefined) set('spec', JSON.stringify(changes.spec));
  if (changes.description !== undefined) set('description', changes.description);
  if (changes.repaired) sets.push(`repairs = repairs + 1`, `"lastRepairAt" = now()`);
  await query(`UPDATE service_chains SET ${sets.join(', ')} WHERE id = $1`, values);
  if (changes.spec === undefined) return;
  const hops = changes.spec.hops.flatMap((hop, position) =>
    hop.instances.map((inst) => ({ position, vnfInstanceId: inst.vnfInstanceId, ingressCp: inst.ingressCpd, egressCp: inst.egressCpd })),
  );
  await query(`DELETE FROM chain_hops WHERE "chainId" = $1`, [chainId]);
  await query(
    `INSERT INTO chain_hops ("chainId", position, "vnfInstanceId", "ingressCp", "egressCp")
       SELECT $1, h.position, h."vnfInstanceId", h."ingressCp", h."egressCp"
         FROM jsonb_to_recordset($2::jsonb) AS h(position int, "vnfInstanceId" uuid, "ingressCp" text, "egressCp" text)
        WHERE EXISTS (SELECT 1 FROM vnf_instances v WHERE v.id = h."vnfInstanceId")
       ON CONFLICT DO NOTHING`,
    [chainId, JSON.stringify(hops.filter((h) => UUID.test(h.vnfInstanceId)))],
  );
}
