import type { DataSource } from 'typeorm';
import type { OpState } from '#vim/lcm';
import { PROBLEM } from '#vim/problems';
import type { HostRecord, Operation } from '../pipeline/records.js';
import { HOST_COLUMNS } from '../typeorm-lcm-store.js';
import type { OpenOp } from './due-queue-job.js';
import type { LeftoverFacts } from './leftovers.js';

const OPEN = `('STARTING', 'PROCESSING', 'FAILED_TEMP', 'ROLLING_BACK')`;

/** `i` is stray: not instantiated, VM rows left, no operation open on it. */
const STRAY = `i."instantiationState" = 'NOT_INSTANTIATED'
  AND EXISTS (SELECT 1 FROM vdu_instances v WHERE v."vnfInstanceId" = i.id)
  AND NOT EXISTS (SELECT 1 FROM lcm_op_occs o WHERE o."vnfInstanceId" = i.id AND o."operationState" IN ${OPEN})`;

/**
 * The undo of the instance's last instantiation, recorded as an automatic operation: its plan comes
 * from that instantiation's request. ON CONFLICT: an operation the API started meanwhile wins.
 */
const START_CLEANUP = `INSERT INTO lcm_op_occs ("tenantId", "vnfInstanceId", operation, "operationState", "operationParams", "isAutomaticInvocation", "currentStep", error)
  SELECT i."tenantId", i.id, 'INSTANTIATE', 'ROLLING_BACK', coalesce(last."operationParams", '{}'::jsonb), true, 'rollback', $2::jsonb
  FROM vnf_instances i
  LEFT JOIN LATERAL (
    SELECT o."operationParams" FROM lcm_op_occs o WHERE o."vnfInstanceId" = i.id AND o.operation = 'INSTANTIATE' ORDER BY o."createdAt" DESC LIMIT 1
  ) last ON true
  WHERE i.id = $1 AND ${STRAY}
  ON CONFLICT DO NOTHING
  RETURNING id, operation, "operationState" AS state, "stateEnteredTime", "currentStep", "operationParams" AS params`;

type OpenOpRow = Omit<OpenOp, 'operation' | 'state'> & { operation: string; state: string };

export class PostgresLeftoverFacts implements LeftoverFacts {
  constructor(private readonly db: DataSource) {}

  async strayInstances(): Promise<string[]> {
    const rows = (await this.db.query(`SELECT i.id FROM vnf_instances i WHERE ${STRAY}`)) as { id: string }[];
    return rows.map((r) => r.id);
  }

  async startCleanup(vnfInstanceId: string): Promise<OpenOp | undefined> {
    const problem = {
      type: PROBLEM.conflict,
      title: 'Leftovers of an instantiation',
      status: 409,
      detail: `VNF instance ${vnfInstanceId} is NOT_INSTANTIATED but still had VM rows and claims, with no operation open: the reconciler rolls its last instantiation back`,
    };
    const [row] = (await this.db.query(START_CLEANUP, [vnfInstanceId, JSON.stringify(problem)])) as OpenOpRow[];
    return row && { ...row, operation: row.operation as Operation, state: row.state as OpState };
  }

  async hosts(): Promise<HostRecord[]> {
    return (await this.db.query(`SELECT ${HOST_COLUMNS} FROM hosts h WHERE h.reachability = 'UP' ORDER BY h.name`)) as HostRecord[];
  }

  async knownVms(vmIds: readonly string[]): Promise<ReadonlySet<string>> {
    if (vmIds.length === 0) return new Set();
    const rows = (await this.db.query(
      `SELECT v.id::text AS id FROM vdu_instances v WHERE v.id = ANY($1::uuid[])
       UNION SELECT v."domainUuid"::text FROM vdu_instances v WHERE v."domainUuid" = ANY($1::uuid[])`,
      [vmIds],
    )) as { id: string }[];
    return new Set(rows.map((r) => r.id));
  }
}
