import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { type DataSource, type EntityManager, In, type Repository } from 'typeorm';
import { ACTIVE_OP_STATES } from '#vim/lcm';
import {
  InstantiationState,
  LcmOperationState,
  LcmOpOccEntity,
  OperationalState,
  PG,
  pgError,
  TenantScopedRepository,
  VduInstanceEntity,
  VnfDescriptorEntity,
  VnfInstanceEntity,
} from '#vim/persistence';
import { isUuid, ProblemException } from '../common/problem.js';
import type { CreateVnfInstanceRequest, ListVnfInstancesQuery } from './lcm-requests.dto.js';
import { activeOperation } from './lcm-problems.js';
import type { InstanceRecord } from './lcm.views.js';

const ACTIVE = In(ACTIVE_OP_STATES.map((state) => LcmOperationState[state]));
const DESCRIPTOR_SUMMARY = { id: true, version: true, provider: true, productName: true, softwareVersion: true } as const;

/** VNF instances of a tenant: the resource itself (create, read, delete); operations are LcmOperations'. */
@Injectable()
export class VnfInstanceCatalogue {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @InjectRepository(VnfInstanceEntity) private readonly instances: Repository<VnfInstanceEntity>,
    @InjectRepository(VnfDescriptorEntity) private readonly vnfds: Repository<VnfDescriptorEntity>,
    @InjectRepository(VduInstanceEntity) private readonly vms: Repository<VduInstanceEntity>,
  ) {}

  async create(tenantId: string, request: CreateVnfInstanceRequest): Promise<InstanceRecord> {
    const vnfd = await this.scoped(tenantId).vnfds.findOneBy({ id: request.vnfdId });
    if (!vnfd) throw unknownVnfd(request.vnfdId);
    assertEnabled(vnfd);
    const { instances } = this.scoped(tenantId);
    try {
      const row = await instances.save(
        instances.create({ vnfDescriptorId: vnfd.id, name: request.vnfInstanceName ?? null, description: request.vnfInstanceDescription ?? null }),
      );
      return { row, vnfd, vms: [] };
    } catch (error) {
      // The descriptor was deleted between the check and the INSERT.
      if (pgError(error, PG.FOREIGN_KEY_VIOLATION)) throw unknownVnfd(request.vnfdId);
      throw error;
    }
  }

  async list(tenantId: string, query: ListVnfInstancesQuery): Promise<{ records: InstanceRecord[]; total: number }> {
    const [rows, total] = await this.scoped(tenantId).instances.findAndCount({
      where: {
        ...(query.vnfdId !== undefined && { vnfDescriptorId: query.vnfdId }),
        ...(query.instantiationState !== undefined && { instantiationState: query.instantiationState }),
      },
      order: { createdAt: 'ASC', id: 'ASC' },
      take: query.limit,
      skip: query.offset,
    });
    return { records: await this.withDetails(tenantId, rows), total };
  }

  async get(tenantId: string, id: string): Promise<InstanceRecord> {
    const [record] = await this.withDetails(tenantId, [await this.find(tenantId, id)]);
    return record;
  }

  /** The instance, or 404 (also for another tenant's: its existence does not leak). */
  async find(tenantId: string, id: string): Promise<VnfInstanceEntity> {
    const row = isUuid(id) ? await this.scoped(tenantId).instances.findOneBy({ id }) : null;
    if (!row) throw ProblemException.notFound(`VNF instance '${id}'`);
    return row;
  }

  /** The instance with the full descriptor (model included) it is based on, in one query. */
  async findWithDescriptor(tenantId: string, id: string): Promise<VnfInstanceEntity & { vnfDescriptor: VnfDescriptorEntity }> {
    const [row] = isUuid(id) ? await this.scoped(tenantId).instances.find({ where: { id }, relations: { vnfDescriptor: true } }) : [];
    if (!row?.vnfDescriptor) throw ProblemException.notFound(`VNF instance '${id}'`);
    return row as VnfInstanceEntity & { vnfDescriptor: VnfDescriptorEntity };
  }

  activeOperation(tenantId: string, instanceId: string, manager: EntityManager = this.db.manager): Promise<LcmOpOccEntity | null> {
    return new TenantScopedRepository(manager.getRepository(LcmOpOccEntity), tenantId).findOneBy({ vnfInstanceId: instanceId, operationState: ACTIVE });
  }

  /**
   * Only a NOT_INSTANTIATED instance without an active operation. The row lock makes a
   * concurrent operation wait (its INSERT checks the instance's key) or be seen here.
   */
  async delete(tenantId: string, id: string): Promise<void> {
    // The locked read below answers 404 for a missing row; a non-UUID would not get that far.
    if (!isUuid(id)) throw ProblemException.notFound(`VNF instance '${id}'`);
    try {
      await this.lockedDelete(tenantId, id);
    } catch (error) {
      const violation = pgError(error, PG.FOREIGN_KEY_VIOLATION);
      if (violation?.detail?.includes('chain_hops')) throw ProblemException.conflict(`VNF instance '${id}' is a hop of a service chain; change or delete the chain first`);
      if (violation) throw ProblemException.conflict(`VNF instance '${id}' still has VMs; terminate it first`);
      throw error;
    }
  }

  private lockedDelete(tenantId: string, id: string): Promise<void> {
    return this.db.transaction(async (manager) => {
      const instances = new TenantScopedRepository(manager.getRepository(VnfInstanceEntity), tenantId);
      const [row] = await instances.find({ where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!row) throw ProblemException.notFound(`VNF instance '${id}'`);
      const active = await this.activeOperation(tenantId, id, manager);
      if (active) throw activeOperation(id, active);
      if (row.instantiationState !== InstantiationState.NOT_INSTANTIATED) {
        throw ProblemException.conflict(`VNF instance '${id}' is ${row.instantiationState}; terminate it before deleting it`, {
          instantiationState: row.instantiationState,
        });
      }
      await instances.delete({ id });
    });
  }

  private async withDetails(tenantId: string, rows: VnfInstanceEntity[]): Promise<InstanceRecord[]> {
    if (rows.length === 0) return [];
    const [vnfds, vms] = await Promise.all([
      this.scoped(tenantId).vnfds.find({ where: { id: In(rows.map((r) => r.vnfDescriptorId)) }, select: DESCRIPTOR_SUMMARY }),
      // VMs carry no tenant of their own: they are reached through instances already scoped above.
      this.vms.find({ where: { vnfInstanceId: In(rows.map((r) => r.id)) }, relations: { host: true }, order: { vduId: 'ASC', createdAt: 'ASC' } }),
    ]);
    const vnfdById = new Map(vnfds.map((v) => [v.id, v]));
    const vmsByInstance = new Map<string, typeof vms>();
    for (const vm of vms) {
      const list = vmsByInstance.get(vm.vnfInstanceId);
      if (list) list.push(vm);
      else vmsByInstance.set(vm.vnfInstanceId, [vm]);
    }
    const pinnedCpus = await this.pinnedCpus(vms.map((vm) => vm.id));
    return rows.map((row) => ({
      row,
      vnfd: vnfdById.get(row.vnfDescriptorId) as VnfDescriptorEntity,
      vms: vmsByInstance.get(row.id) ?? [],
      pinnedCpus,
    }));
  }

  /** The CPU claims of these VMs: placement's dedicated host CPUs, in order. */
  private async pinnedCpus(vmIds: string[]): Promise<Map<string, number[]>> {
    const byVm = new Map<string, number[]>();
    if (vmIds.length === 0) return byVm;
    const rows = (await this.db.query(
      `SELECT "vduInstanceId", "resourceKey" FROM resource_claims WHERE kind = 'CPU' AND "vduInstanceId" = ANY($1::uuid[]) ORDER BY "resourceKey"::int`,
      [vmIds],
    )) as { vduInstanceId: string; resourceKey: string }[];
    for (const row of rows) byVm.set(row.vduInstanceId, [...(byVm.get(row.vduInstanceId) ?? []), Number(row.resourceKey)]);
    return byVm;
  }

  private scoped(tenantId: string) {
    return {
      instances: new TenantScopedRepository(this.instances, tenantId),
      vnfds: new TenantScopedRepository(this.vnfds, tenantId),
    };
  }
}

const unknownVnfd = (id: string) => ProblemException.validation([{ path: '/vnfdId', message: `VNFD '${id}' does not exist` }]);

/** DISABLED descriptors cannot be used for new instances or instantiated. */
export function assertEnabled(vnfd: VnfDescriptorEntity): void {
  if (vnfd.operationalState === OperationalState.ENABLED) return;
  throw ProblemException.conflict(`VNFD '${vnfd.id}' is ${vnfd.operationalState}; enable it first`, { vnfdOperationalState: vnfd.operationalState });
}
