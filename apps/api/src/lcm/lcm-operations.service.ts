import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { type DataSource, In, type QueryDeepPartialEntity, type Repository } from 'typeorm';
import type { VnfdModel } from '#vim/descriptors';
import { CANCELLABLE_OP_STATES, canApply, checkInstantiateParams, isRollbackable, nextOpState, type OpState } from '#vim/lcm';
import {
  InstantiationState,
  LcmOperation,
  LcmOperationState,
  LcmOpOccEntity,
  PG,
  pgError,
  TenantScopedRepository,
  VduInstanceEntity,
} from '#vim/persistence';
import { isUuid, type ProblemDetails, ProblemException } from '../common/problem.js';
import { LcmJobs } from './lcm-jobs.service.js';
import { LcmEventStream } from './lcm-event-stream.service.js';
import { activeOperation, concurrentDecision, foreignVms, queueProblem, queueUnavailable, notRollbackable, wrongInstantiationState, wrongOpState } from './lcm-problems.js';
import type { HealVnfRequest, InstantiateVnfRequest, ListLcmOpOccsQuery, TerminateVnfRequest } from './lcm-requests.dto.js';
import { assertEnabled, VnfInstanceCatalogue } from './vnf-instance-catalogue.service.js';

export type OperatorAction = 'retry' | 'rollback' | 'fail';

/** TypeORM's partial-entity type cannot express a free-form jsonb object; the column takes any. */
type JsonbValue = QueryDeepPartialEntity<LcmOpOccEntity>['error'];

/**
 * Starts lifecycle operations and takes the operator's decisions on failed ones. The API records
 * what it decided (a new operation in STARTING; FAILED at once for `fail`; for retry and rollback
 * a claim on the FAILED_TEMP operation) and enqueues the job; the worker makes every other change,
 * including the retry's and rollback's own transitions, and announces it.
 */
@Injectable()
export class LcmOperations {
  private readonly logger = new Logger(LcmOperations.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @InjectRepository(LcmOpOccEntity) private readonly ops: Repository<LcmOpOccEntity>,
    @InjectRepository(VduInstanceEntity) private readonly vms: Repository<VduInstanceEntity>,
    private readonly instances: VnfInstanceCatalogue,
    private readonly jobs: LcmJobs,
    private readonly events: LcmEventStream,
  ) {}

  async instantiate(tenantId: string, instanceId: string, request: InstantiateVnfRequest): Promise<LcmOpOccEntity> {
    const instance = await this.instances.findWithDescriptor(tenantId, instanceId);
    const vnfd = instance.vnfDescriptor;
    assertEnabled(vnfd);
    const params = request.toParams();
    const problems = checkInstantiateParams(vnfd.model as unknown as VnfdModel, params);
    if (problems.length > 0) throw ProblemException.validation(problems, 'the parameters do not fit the descriptor; each problem is listed in errors');
    return this.start(tenantId, instance.id, LcmOperation.INSTANTIATE, InstantiationState.NOT_INSTANTIATED, { ...params });
  }

  async terminate(tenantId: string, instanceId: string, request: TerminateVnfRequest): Promise<LcmOpOccEntity> {
    return this.start(tenantId, instanceId, LcmOperation.TERMINATE, InstantiationState.INSTANTIATED, request.toParams());
  }

  /** Without vduInstanceIds the worker heals every VM of the instance. */
  async heal(tenantId: string, instanceId: string, request: HealVnfRequest): Promise<LcmOpOccEntity> {
    const instance = await this.instances.find(tenantId, instanceId);
    const { vduInstanceIds, target, cause } = request;
    if (vduInstanceIds !== undefined) {
      const owned = await this.vms.find({ where: { vnfInstanceId: instance.id }, select: { id: true } });
      const problems = foreignVms(vduInstanceIds, new Set(owned.map((vm) => vm.id)), instance.id);
      if (problems.length > 0) throw ProblemException.validation(problems);
    }
    const params = { ...(vduInstanceIds !== undefined && { vduInstanceIds }), target, ...(cause !== undefined && { cause }) };
    return this.start(tenantId, instance.id, LcmOperation.HEAL, InstantiationState.INSTANTIATED, params);
  }

  async list(tenantId: string, query: ListLcmOpOccsQuery): Promise<{ rows: LcmOpOccEntity[]; total: number }> {
    const [rows, total] = await this.scoped(tenantId).findAndCount({
      where: {
        ...(query.vnfInstanceId !== undefined && { vnfInstanceId: query.vnfInstanceId }),
        ...(query.operationState !== undefined && { operationState: query.operationState }),
        ...(query.operation !== undefined && { operation: query.operation }),
      },
      order: { createdAt: 'DESC', id: 'ASC' },
      take: query.limit,
      skip: query.offset,
    });
    return { rows, total };
  }

  async get(tenantId: string, opId: string): Promise<LcmOpOccEntity> {
    const op = isUuid(opId) ? await this.scoped(tenantId).findOneBy({ id: opId }) : null;
    if (!op) throw ProblemException.notFound(`operation occurrence '${opId}'`);
    return op;
  }

  /**
   * `fail` ends the operation here. retry and rollback leave it FAILED_TEMP for the worker, which
   * makes the transition itself; the API only stamps the decision (a new stateEnteredTime, also
   * the job's timestamp: the worker ignores an action older than the failure it finds). Either
   * UPDATE holds only if the operation is as it was read, so of two concurrent decisions one wins.
   */
  async act(tenantId: string, opId: string, action: OperatorAction): Promise<LcmOpOccEntity> {
    const op = await this.get(tenantId, opId);
    if (!canApply(op.operationState as OpState, action)) throw wrongOpState(op, action);
    if (action === 'rollback' && !isRollbackable(op.operation)) throw notRollbackable(op);
    if (!(await this.decide(op, action))) throw await this.lostRace(tenantId, opId, action);
    if (action === 'fail') {
      this.events.announce(op);
      return op;
    }
    try {
      // The decision's time numbers the attempt: a later retry gets a job of its own.
      await this.jobs.enqueue(op.id, action, op.stateEnteredTime.getTime(), op.stateEnteredTime);
    } catch (cause) {
      throw this.unqueued(op, cause, `the operation is still ${op.operationState}; send the ${action} again`);
    }
    return op;
  }

  /**
   * Asks the worker to stop the operation (SOL003 cancel): the flag is set only while the
   * operation still runs, in one conditional UPDATE, so a cancel that meets the operation's end
   * is refused naming the state it ended in. The worker answers it at the next step boundary
   * (FAILED_TEMP); a job lost meanwhile is re-created by the worker's reconciler, which then does.
   * Asking again while it is pending changes nothing and answers the same.
   */
  async cancel(tenantId: string, opId: string): Promise<LcmOpOccEntity> {
    const op = await this.get(tenantId, opId);
    if (!canApply(op.operationState as OpState, 'cancel')) throw wrongOpState(op, 'cancel');
    const { affected } = await this.ops.update(
      { id: op.id, tenantId: op.tenantId, operationState: In(CANCELLABLE_OP_STATES.map((s) => LcmOperationState[s])) },
      { isCancelPending: true },
    );
    const now = await this.get(tenantId, opId);
    if (affected !== 1) throw wrongOpState(now, 'cancel');
    this.events.announce(now);
    return now;
  }

  /**
   * Records the operation and enqueues its first job. The partial unique index refuses a second
   * active operation on the instance; the state is read after the INSERT, when no other
   * operation can change it any more.
   */
  private async start(
    tenantId: string,
    instanceId: string,
    operation: LcmOperation,
    needed: InstantiationState,
    operationParams: Record<string, unknown>,
  ): Promise<LcmOpOccEntity> {
    const op = await this.record(tenantId, instanceId, operation, needed, operationParams);
    this.events.announce(op);
    try {
      await this.jobs.enqueue(op.id, 'start', 0);
    } catch (cause) {
      if (await this.abandon(op, queueProblem(cause))) throw this.unqueued(op, cause, 'the operation is FAILED; send the request again');
    }
    return op;
  }

  /**
   * One statement: the operation goes in only for an instance of this tenant (the tenant condition
   * is written out: TenantScopedRepository cannot insert from a select) in the state it needs, and
   * the partial unique index refuses a second active one. Why nothing went in is read only then.
   */
  private async record(
    tenantId: string,
    instanceId: string,
    operation: LcmOperation,
    needed: InstantiationState,
    operationParams: Record<string, unknown>,
  ): Promise<LcmOpOccEntity> {
    // Not a UUID: names nothing, and Postgres would refuse the cast with a 500.
    if (!isUuid(instanceId)) throw ProblemException.notFound(`VNF instance '${instanceId}'`);
    let rows: LcmOpOccEntity[];
    try {
      rows = (await this.db.query(
        `INSERT INTO lcm_op_occs ("tenantId", "vnfInstanceId", operation, "operationParams")
         SELECT i."tenantId", i.id, $3::lcm_operation, $4::jsonb FROM vnf_instances i
         WHERE i.id = $1 AND i."tenantId" = $2 AND i."instantiationState" = $5::instantiation_state
         RETURNING *`,
        [instanceId, tenantId, operation, JSON.stringify(operationParams), needed],
      )) as LcmOpOccEntity[];
    } catch (error) {
      if (pgError(error, PG.UNIQUE_VIOLATION)) throw activeOperation(instanceId, await this.instances.activeOperation(tenantId, instanceId));
      // The instance was deleted while this request ran.
      if (pgError(error, PG.FOREIGN_KEY_VIOLATION)) throw ProblemException.notFound(`VNF instance '${instanceId}'`);
      throw error;
    }
    if (rows[0]) return this.ops.create(rows[0]);
    // An operation in progress is the answer that tells the client what to wait for, so it comes first.
    const instance = await this.instances.find(tenantId, instanceId);
    const active = await this.instances.activeOperation(tenantId, instanceId);
    if (active) throw activeOperation(instanceId, active);
    throw wrongInstantiationState(instanceId, instance.instantiationState, operation, needed);
  }

  /**
   * A STARTING operation nobody will run would hold its instance forever: it becomes FAILED,
   * with the cause. False when the worker already took it (the job got through after all);
   * a job that arrives late finds the operation final and does nothing.
   */
  private async abandon(op: LcmOpOccEntity, error: ProblemDetails): Promise<boolean> {
    const changes = { operationState: LcmOperationState.FAILED, stateEnteredTime: new Date(), error: error as JsonbValue };
    const { affected } = await this.ops.update({ id: op.id, tenantId: op.tenantId, operationState: LcmOperationState.STARTING }, changes);
    if (affected !== 1) return false;
    this.events.announce(Object.assign(op, changes));
    return true;
  }

  private unqueued(op: LcmOpOccEntity, cause: unknown, outcome: string): ProblemException {
    this.logger.error(`operation ${op.id} could not be queued: ${String(cause)}`);
    return queueUnavailable(op.id, queueProblem(cause), outcome);
  }

  /** The conditional UPDATE; updates `op` and answers true when this request's decision holds. */
  private async decide(op: LcmOpOccEntity, action: OperatorAction): Promise<boolean> {
    const operationState = action === 'fail' ? LcmOperationState[nextOpState(op.operationState as OpState, action)] : op.operationState;
    // Whole milliseconds, strictly later than the value read, so that the next reader sees a change.
    const stateEnteredTime = new Date(Math.max(Date.now(), op.stateEnteredTime.getTime() + 1));
    const { affected } = await this.ops
      .createQueryBuilder()
      .update()
      .set({ operationState, stateEnteredTime })
      .where({ id: op.id, tenantId: op.tenantId, operationState: op.operationState })
      // The driver reads timestamps to the millisecond; Postgres keeps microseconds.
      .andWhere(`date_trunc('milliseconds', "stateEnteredTime") = :read`, { read: op.stateEnteredTime })
      .execute();
    if (affected !== 1) return false;
    Object.assign(op, { operationState, stateEnteredTime });
    return true;
  }

  private async lostRace(tenantId: string, opId: string, action: OperatorAction): Promise<ProblemException> {
    const now = await this.get(tenantId, opId);
    return canApply(now.operationState as OpState, action) ? concurrentDecision(now) : wrongOpState(now, action);
  }

  private scoped(tenantId: string): TenantScopedRepository<LcmOpOccEntity> {
    return new TenantScopedRepository(this.ops, tenantId);
  }
}
