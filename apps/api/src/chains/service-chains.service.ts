import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import type { DataSource, EntityManager, Repository } from 'typeorm';
import { type Principal } from '#vim/auth';
import { chainsFromNsd, type ServiceChain } from '#vim/chains';
import {
  ChainHopEntity, ChainOperation, ChainOperationState, ChainOpOccEntity, ChainState, PG, pgError, Role, ServiceChainEntity, TenantScopedRepository,
} from '#vim/persistence';
import { isUuid, ProblemException } from '../common/problem.js';
import { ChainEvents } from './chain-events.service.js';
import { ChainJobs } from './chain-jobs.service.js';
import { shapeProblems, steeringProblems } from './chain-admission.js';
import { readChainRecords } from './chain-records.js';
import { applyChange, type ChainsFromNsdRequest, type CreateChainRequest, toChainPoint, toServiceChain, type UpdateChainRequest } from './chain-requests.dto.js';

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

  async create(caller: Principal, request: CreateChainRequest): Promise<ChainWithOp> {
    const chain = toServiceChain(request);
    const [created] = await this.createAll(caller, [{ chain, description: request.description ?? null }], '');
    return created!;
  }

  /** All of the NSD's chains or none; problems point into the request (`/nsd/vnffgd/0/...`). */
  async createFromNsd(caller: Principal, request: ChainsFromNsdRequest): Promise<ChainWithOp[]> {
    const { chains, problems } = chainsFromNsd(request.nsd, {
      instances: request.instances,
      ingress: toChainPoint(request.ingress),
      egress: toChainPoint(request.egress),
      symmetric: request.symmetric,
      failMode: request.failMode,
    });
    if (problems.length > 0) throw ProblemException.unprocessable(problems.map((p) => ({ ...p, path: `/nsd${p.path}` })), 'the NSD cannot be mapped onto chains; each problem is listed in errors');
    return this.createAll(caller, chains.map((chain) => ({ chain, description: null })), '/chains');
  }

  /** The operation keeps the chain as it was, so that a change the worker refuses can be undone. */
  async update(caller: Principal, id: string, change: UpdateChainRequest): Promise<ChainWithOp> {
    const [done] = await this.handOver(
      await this.locked(async (manager) => {
        const row = await this.lockedRow(manager, caller.tenantId, id);
        if (row.state === ChainState.DELETING) throw ProblemException.conflict(`service chain '${id}' is being deleted`);
        const chain = applyChange(row.spec as unknown as ServiceChain, change);
        await this.refuseUnsteerable(manager, caller, chain, row.id, '');
        const previous = { spec: row.spec, description: row.description };
        await manager.update(ServiceChainEntity, { id: row.id }, { spec: chain as never, ...(change.description !== undefined && { description: change.description }) });
        await this.writeHops(manager, row.id, chain, '');
        const op = await this.recordOp(manager, row, ChainOperation.UPDATE, { change: JSON.parse(JSON.stringify(change)) as unknown, previous });
        return [{ row: await manager.findOneByOrFail(ServiceChainEntity, { id: row.id }), op }];
      }),
    );
    return done!;
  }

  async delete(tenantId: string, id: string): Promise<ChainWithOp> {
    const [done] = await this.handOver(
      await this.db.transaction(async (manager) => {
        const row = await this.lockedRow(manager, tenantId, id);
        const op = await this.recordOp(manager, row, ChainOperation.DELETE, { previous: { state: row.state, stateReason: row.stateReason } });
        await manager.update(ServiceChainEntity, { id: row.id }, { state: ChainState.DELETING, stateReason: null });
        return [{ row: Object.assign(row, { state: ChainState.DELETING, stateReason: null }), op }];
      }),
    );
    return done!;
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

  private async createAll(caller: Principal, wanted: { chain: ServiceChain; description: string | null }[], prefix: string): Promise<ChainWithOp[]> {
    const created = await this.locked(async (manager) => {
      const out: ChainWithOp[] = [];
      for (const [n, { chain, description }] of wanted.entries()) {
        const at = wanted.length > 1 || prefix !== '' ? `${prefix}/${n}` : '';
        // The name first: a second create of the same chain would otherwise be told it overlaps itself.
        if (await manager.existsBy(ServiceChainEntity, { tenantId: caller.tenantId, name: chain.name })) throw nameTaken(chain.name);
        // The chains made before in this request count as others for the overlap check.
        await this.refuseUnsteerable(manager, caller, chain, undefined, at);
        const row = await this.insertChain(manager, caller.tenantId, chain, description);
        await this.writeHops(manager, row.id, chain, at);
        out.push({ row, op: await this.recordOp(manager, row, ChainOperation.CREATE, { chain }) });
      }
      return out;
    });
    return this.handOver(created);
  }

  /** 400 for a malformed end, 422 with every reason the chain cannot be steered (JSON pointers under `at`). */
  private async refuseUnsteerable(manager: EntityManager, caller: Principal, chain: ServiceChain, self: string | undefined, at: string): Promise<void> {
    const under = (problems: { path: string; message: string }[]) => problems.map((p) => ({ ...p, path: `${at}${p.path}` }));
    const shape = shapeProblems(chain);
    if (shape.length > 0) throw ProblemException.validation(under(shape));
    const records = await readChainRecords(manager, caller.tenantId, chain);
    const others = await this.otherChains(manager, caller.tenantId, self);
    const problems = steeringProblems(chain, records, others, caller.role === Role.PLATFORM_ADMIN);
    if (problems.length > 0) throw ProblemException.unprocessable(under(problems), 'the chain cannot be steered as asked; each reason is listed in errors');
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

  private async writeHops(manager: EntityManager, chainId: string, chain: ServiceChain, at: string): Promise<void> {
    await manager.delete(ChainHopEntity, { chainId });
    const rows = chain.hops.flatMap((hop, position) =>
      hop.instances.map((inst) => ({ chainId, position, vnfInstanceId: inst.vnfInstanceId, ingressCp: inst.ingressCpd, egressCp: inst.egressCpd })),
    );
    try {
      await manager.insert(ChainHopEntity, rows);
    } catch (error) {
      // An instance deleted since the check (its row was read FOR KEY SHARE, so only before the read).
      if (pgError(error, PG.FOREIGN_KEY_VIOLATION)) throw ProblemException.unprocessable([{ path: `${at}/hops`, message: 'a VNF instance of the hops was deleted meanwhile' }], 'send the chain again');
      throw error;
    }
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
   * Announces the operations and queues them, all or none: when the queue does not take one, every
   * operation of the request that no worker has taken yet fails and is undone (a new chain goes, a
   * change or a deletion is called off), and the request answers 503.
   */
  private async handOver(done: ChainWithOp[]): Promise<ChainWithOp[]> {
    for (const { row, op } of done) this.events.announce(row, op!);
    try {
      for (const { row, op } of done) await this.jobs.apply(row.id, op!.id);
    } catch (cause) {
      this.logger.error(`chain operations ${done.map((d) => d.op!.id).join(', ')} could not be queued: ${String(cause)}`);
      const outcomes = await Promise.all(done.map((d) => this.abandon(d, String(cause))));
      throw ProblemException.unavailable(`the chains queue did not take the operation: ${outcomes.join('; ')}; send the request again`, { operationIds: done.map((d) => d.op!.id) });
    }
    return done;
  }

  /** FAILED and undone, unless a worker has taken the operation after all (then it runs). */
  private async abandon({ row, op }: ChainWithOp, cause: string): Promise<string> {
    const error = { type: 'urn:vim:problem:service-unavailable', title: 'Service Unavailable', status: 503, detail: `the chains queue did not take the operation: ${cause}` };
    const failed = { operationState: ChainOperationState.FAILED, stateEnteredTime: new Date(), error };
    const { affected } = await this.ops.update({ id: op!.id, operationState: ChainOperationState.STARTING }, failed);
    if (affected !== 1) return `operation ${op!.id} was taken by a worker after all`;
    await this.undo(row, op!);
    this.events.announce(row, Object.assign(op!, failed));
    return `operation ${op!.id} is FAILED and undone`;
  }

  private async undo(row: ServiceChainEntity, op: ChainOpOccEntity): Promise<void> {
    const previous = op.operationParams.previous as { spec?: ServiceChain; description?: string | null; state?: ChainState; stateReason?: string | null } | undefined;
    if (op.operation === ChainOperation.CREATE) await this.chains.delete({ id: row.id });
    else if (op.operation === ChainOperation.DELETE) await this.chains.update({ id: row.id }, { state: previous!.state!, stateReason: previous!.stateReason ?? null });
    else if (op.operation === ChainOperation.UPDATE) {
      await this.db.transaction(async (manager) => {
        await manager.update(ServiceChainEntity, { id: row.id }, { spec: previous!.spec as never, description: previous!.description ?? null });
        await this.writeHops(manager, row.id, previous!.spec!, '');
      });
    }
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
