import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import type { DataSource, EntityManager, Repository } from 'typeorm';
import { chainsFromNsd, checkChain, factsFromRecords, RECORDS_ONLY, type ServiceChain } from '#vim/chains';
import type { FieldProblem } from '#vim/descriptors';
import {
  ChainHopEntity, ChainOperation, ChainOperationState, ChainOpOccEntity, ChainState, PG, pgError, ServiceChainEntity, TenantScopedRepository,
} from '#vim/persistence';
import { isUuid, ProblemException } from '../common/problem.js';
import { ChainEvents } from './chain-events.service.js';
import { ChainJobs } from './chain-jobs.service.js';
import { pointProblems, reachProblems, readChainRecords } from './chain-records.js';
import { applyChange, type ChainsFromNsdRequest, type CreateChainRequest, toChainPoint, toServiceChain, type UpdateChainRequest } from './chain-requests.dto.js';

const MAX_CHAIN_NAME = 63;

/** Serialises the checks of every chain change: two overlapping chains must not both pass. */
const CHAIN_CHECK_LOCK = 0x5ca1ab1e;

const nameTaken = (name: string) => ProblemException.conflict(`a service chain named '${name}' already exists`);

export interface ChainWithOp {
  row: ServiceChainEntity;
  op: ChainOpOccEntity | null;
}

/**
 * Service chains of a tenant. Every change is checked against the records (instances, ports,
 * hosts) and the other chains, stored with an operation in one transaction, and handed to the
 * worker, which installs the rules and owns every later state change.
 */
@Injectable()
export class ServiceChains {
  private readonly logger = new Logger(ServiceChains.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @InjectRepository(ServiceChainEntity) private readonly chains: Repository<ServiceChainEntity>,
    @InjectRepository(ChainOpOccEntity) private readonly ops: Repository<ChainOpOccEntity>,
    private readonly jobs: ChainJobs,
    private readonly events: ChainEvents,
  ) {}

  async create(tenantId: string, request: CreateChainRequest): Promise<ChainWithOp> {
    const chain = toServiceChain(request);
    const [created] = await this.createAll(tenantId, [{ chain, description: request.description ?? null }], '');
    return created!;
  }

  /** All of the NSD's chains or none; problems point into the request (`/nsd/vnffgd/0/...`). */
  async createFromNsd(tenantId: string, request: ChainsFromNsdRequest): Promise<ChainWithOp[]> {
    const { chains, problems } = chainsFromNsd(request.nsd, {
      instances: request.instances,
      ingress: toChainPoint(request.ingress),
      egress: toChainPoint(request.egress),
      symmetric: request.symmetric,
      failMode: request.failMode,
    });
    if (problems.length > 0) throw ProblemException.unprocessable(problems.map((p) => ({ ...p, path: `/nsd${p.path}` })), 'the NSD cannot be mapped onto chains; each problem is listed in errors');
    const bad = Object.entries(request.instances).filter(([, id]) => typeof id !== 'string' || !isUuid(id));
    if (bad.length > 0) throw ProblemException.validation(bad.map(([key]) => ({ path: `/instances/${key}`, message: 'must be a VNF instance id (a UUID)' })));
    return this.createAll(tenantId, chains.map((chain) => ({ chain, description: null })), '/chains');
  }

  async update(tenantId: string, id: string, change: UpdateChainRequest): Promise<ChainWithOp> {
    const done = await this.locked(async (manager) => {
      const row = await this.lockedRow(manager, tenantId, id);
      if (row.state === ChainState.DELETING) throw ProblemException.conflict(`service chain '${id}' is being deleted`);
      const chain = applyChange(row.spec as unknown as ServiceChain, change);
      await this.refuseUnsteerable(manager, tenantId, chain, row.id, '');
      await manager.update(ServiceChainEntity, { id: row.id }, { spec: chain as never, ...(change.description !== undefined && { description: change.description }) });
      await this.writeHops(manager, row.id, chain);
      const op = await this.recordOp(manager, row, ChainOperation.UPDATE, { change: JSON.parse(JSON.stringify(change)) as unknown });
      return { row: await manager.findOneByOrFail(ServiceChainEntity, { id: row.id }), op };
    });
    return this.handOver(done);
  }

  async delete(tenantId: string, id: string): Promise<ChainWithOp> {
    const done = await this.locked(async (manager) => {
      const row = await this.lockedRow(manager, tenantId, id);
      const op = await this.recordOp(manager, row, ChainOperation.DELETE, {});
      await manager.update(ServiceChainEntity, { id: row.id }, { state: ChainState.DELETING, stateReason: null });
      return { row: Object.assign(row, { state: ChainState.DELETING, stateReason: null }), op };
    });
    return this.handOver(done);
  }

  async list(tenantId: string, page: { limit: number; offset: number }): Promise<{ items: ChainWithOp[]; total: number }> {
    const [rows, total] = await this.scoped(tenantId).findAndCount({ order: { createdAt: 'ASC', id: 'ASC' }, take: page.limit, skip: page.offset });
    return { items: await this.withLastOps(rows), total };
  }

  async get(tenantId: string, id: string): Promise<ChainWithOp> {
    const row = isUuid(id) ? await this.scoped(tenantId).findOneBy({ id }) : null;
    if (!row) throw ProblemException.notFound(`service chain '${id}'`);
    const [found] = await this.withLastOps([row]);
    return found!;
  }

  private async createAll(tenantId: string, wanted: { chain: ServiceChain; description: string | null }[], prefix: string): Promise<ChainWithOp[]> {
    const created = await this.locked(async (manager) => {
      const out: ChainWithOp[] = [];
      for (const [n, { chain, description }] of wanted.entries()) {
        const at = wanted.length > 1 || prefix !== '' ? `${prefix}/${n}` : '';
        // The name first: a second create of the same chain would otherwise be told it overlaps itself.
        if (await manager.existsBy(ServiceChainEntity, { tenantId, name: chain.name })) throw nameTaken(chain.name);
        // The chains made before in this request count as others for the overlap check.
        await this.refuseUnsteerable(manager, tenantId, chain, undefined, at);
        const row = await this.insertChain(manager, tenantId, chain, description);
        await this.writeHops(manager, row.id, chain);
        out.push({ row, op: await this.recordOp(manager, row, ChainOperation.CREATE, { chain }) });
      }
      return out;
    });
    return Promise.all(created.map((c) => this.handOver(c)));
  }

  /** 422 with every reason the chain cannot be steered (JSON pointers under `at`). */
  private async refuseUnsteerable(manager: EntityManager, tenantId: string, chain: ServiceChain, self: string | undefined, at: string): Promise<void> {
    const shape = [...pointProblems(chain.ingress, '/ingress'), ...pointProblems(chain.egress, '/egress')];
    // A name made from an NSD's ids has not met the request's own rule.
    if (chain.name.length > MAX_CHAIN_NAME) shape.push({ path: '/name', message: `has ${chain.name.length} characters; at most ${MAX_CHAIN_NAME}` });
    if (shape.length > 0) throw ProblemException.validation(shape.map((p) => ({ ...p, path: `${at}${p.path}` })));
    const records = await readChainRecords(manager, tenantId, chain);
    const facts = factsFromRecords(chain, records.instances, RECORDS_ONLY);
    const others = await this.otherChains(manager, tenantId, self);
    const problems: FieldProblem[] = [...checkChain(chain, facts, others), ...reachProblems(chain, records)];
    if (problems.length > 0) {
      throw ProblemException.unprocessable(problems.map((p) => ({ ...p, path: `${at}${p.path}` })), 'the chain cannot be steered as asked; each reason is listed in errors');
    }
  }

  /** Every other chain on the switches, whoever owns it; another tenant's is not named. */
  private async otherChains(manager: EntityManager, tenantId: string, self: string | undefined): Promise<ServiceChain[]> {
    const rows = await manager.find(ServiceChainEntity, { select: { id: true, tenantId: true, name: true, spec: true } });
    return rows
      .filter((r) => r.id !== self)
      .map((r) => ({ ...(r.spec as unknown as ServiceChain), name: r.tenantId === tenantId ? r.name : "another tenant's chain" }));
  }

  private async insertChain(manager: EntityManager, tenantId: string, chain: ServiceChain, description: string | null): Promise<ServiceChainEntity> {
    try {
      return await manager.save(manager.create(ServiceChainEntity, { tenantId, name: chain.name, description, spec: chain as never, state: ChainState.PENDING }));
    } catch (error) {
      if (pgError(error, PG.UNIQUE_VIOLATION)) throw nameTaken(chain.name);
      throw error;
    }
  }

  private async writeHops(manager: EntityManager, chainId: string, chain: ServiceChain): Promise<void> {
    await manager.delete(ChainHopEntity, { chainId });
    const rows = chain.hops.flatMap((hop, position) =>
      hop.instances.map((inst) => ({ chainId, position, vnfInstanceId: inst.vnfInstanceId, ingressCp: inst.ingressCpd, egressCp: inst.egressCpd })),
    );
    await manager.insert(ChainHopEntity, rows);
  }

  /** The partial unique index refuses a second unfinished operation on the chain. */
  private async recordOp(manager: EntityManager, row: ServiceChainEntity, operation: ChainOperation, operationParams: Record<string, unknown>): Promise<ChainOpOccEntity> {
    try {
      return await manager.save(manager.create(ChainOpOccEntity, { tenantId: row.tenantId, chainId: row.id, chainName: row.name, operation, operationParams }));
    } catch (error) {
      if (pgError(error, PG.UNIQUE_VIOLATION)) {
        const active = await this.ops.findOne({ where: { chainId: row.id }, order: { createdAt: 'DESC' } });
        throw ProblemException.conflict(`service chain '${row.id}' has an operation in progress; wait for it to finish`, active ? { operation: { id: active.id, operation: active.operation, operationState: active.operationState } } : {});
      }
      throw error;
    }
  }

  private async lockedRow(manager: EntityManager, tenantId: string, id: string): Promise<ServiceChainEntity> {
    const row = isUuid(id) ? await manager.findOne(ServiceChainEntity, { where: { id, tenantId }, lock: { mode: 'pessimistic_write' } }) : null;
    if (!row) throw ProblemException.notFound(`service chain '${id}'`);
    return row;
  }

  private locked<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.db.transaction(async (manager) => {
      await manager.query('SELECT pg_advisory_xact_lock($1)', [CHAIN_CHECK_LOCK]);
      return work(manager);
    });
  }

  /**
   * Announces the operation and queues it. When the queue does not take it, the operation fails
   * and the chain says why: nothing was installed for it, and nothing waits on it.
   */
  private async handOver({ row, op }: ChainWithOp): Promise<ChainWithOp> {
    this.events.announce(row, op!);
    try {
      await this.jobs.apply(row.id, op!.id);
    } catch (cause) {
      this.logger.error(`chain operation ${op!.id} could not be queued: ${String(cause)}`);
      const error = { type: 'urn:vim:problem:service-unavailable', title: 'Service Unavailable', status: 503, detail: `the chains queue did not take the operation: ${String(cause)}` };
      await this.ops.update({ id: op!.id, operationState: ChainOperationState.STARTING }, { operationState: ChainOperationState.FAILED, stateEnteredTime: new Date(), error });
      throw ProblemException.unavailable(`the operation could not be queued and is FAILED; ${await this.undo(row, op!)}`, { operationId: op!.id });
    }
    return { row, op };
  }

  /** What an operation nobody will run leaves behind: a new chain goes, a deletion is called off. */
  private async undo(row: ServiceChainEntity, op: ChainOpOccEntity): Promise<string> {
    if (op.operation === ChainOperation.CREATE) {
      await this.chains.delete({ id: row.id });
      return 'the chain was not kept; send the request again';
    }
    if (op.operation === ChainOperation.DELETE) {
      await this.chains.update({ id: row.id }, { state: ChainState.ERROR, stateReason: 'the deletion could not be queued; delete the chain again' });
      return 'the chain and its rules are still there; send the request again';
    }
    return "the change is stored but not installed: the worker's periodic check installs it, or send it again";
  }

  private async withLastOps(rows: ServiceChainEntity[]): Promise<ChainWithOp[]> {
    if (rows.length === 0) return [];
    const ops = (await this.db.query(
      `SELECT DISTINCT ON ("chainId") id FROM chain_op_occs WHERE "chainId" = ANY($1::uuid[]) ORDER BY "chainId", "createdAt" DESC`,
      [rows.map((r) => r.id)],
    )) as { id: string }[];
    const full = ops.length > 0 ? await this.ops.findBy(ops.map((o) => ({ id: o.id }))) : [];
    return rows.map((row) => ({ row, op: full.find((o) => o.chainId === row.id) ?? null }));
  }

  private scoped(tenantId: string): TenantScopedRepository<ServiceChainEntity> {
    return new TenantScopedRepository(this.chains, tenantId);
  }
}
