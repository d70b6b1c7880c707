import { HttpStatus, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import {
  DocumentFormat as StoredFormat,
  OperationalState,
  PG,
  pgError,
  TenantScopedRepository,
  VnfDescriptorEntity,
  VnfInstanceEntity,
} from '#vim/persistence';
import { isUuid, PROBLEM, ProblemException } from '../common/problem.js';
import { acceptSubmission, type Submission } from './vnfd-submission.js';
import type { ListVnfdsQuery } from './vnfd-requests.dto.js';
import { vnfdPath } from './vnfd.views.js';

/**
 * The VNFD catalogue of a tenant: onboarding (every check first, then one INSERT, so a
 * rejected document leaves nothing behind), listing, enabling and deleting. All data access
 * goes through repositories scoped to the caller's tenant.
 */
@Injectable()
export class VnfdCatalogue {
  constructor(
    @InjectRepository(VnfDescriptorEntity) private readonly vnfds: Repository<VnfDescriptorEntity>,
    @InjectRepository(VnfInstanceEntity) private readonly instances: Repository<VnfInstanceEntity>,
  ) {}

  async onboard(tenantId: string, submission: Submission): Promise<VnfDescriptorEntity> {
    const model = acceptSubmission(submission);
    const { vnfds } = this.scoped(tenantId);
    try {
      return await vnfds.save(
        vnfds.create({
          vnfdId: model.vnfdId,
          version: model.version,
          provider: model.provider ?? null,
          productName: model.productName,
          softwareVersion: model.softwareVersion ?? null,
          description: model.description ?? null,
          model: model as unknown as Record<string, unknown>,
          original: submission.text,
          originalFormat: submission.format === 'yaml' ? StoredFormat.YAML : StoredFormat.JSON,
        }),
      );
    } catch (error) {
      if (!pgError(error, PG.UNIQUE_VIOLATION)) throw error;
      const existing = await vnfds.findOneBy({ vnfdId: model.vnfdId, version: model.version });
      throw ProblemException.conflict(`VNFD '${model.vnfdId}' version '${model.version}' is already onboarded`, {
        existing: existing ? vnfdPath(existing.id) : undefined,
      });
    }
  }

  async list(tenantId: string, query: ListVnfdsQuery): Promise<{ rows: VnfDescriptorEntity[]; total: number }> {
    const [rows, total] = await this.scoped(tenantId).vnfds.findAndCount({
      where: {
        ...(query.provider !== undefined && { provider: query.provider }),
        ...(query.product !== undefined && { productName: query.product }),
      },
      order: { createdAt: 'ASC', id: 'ASC' },
      take: query.limit,
      skip: query.offset,
    });
    return { rows, total };
  }

  async get(tenantId: string, id: string): Promise<{ row: VnfDescriptorEntity; instanceCount: number }> {
    const row = await this.find(tenantId, id);
    return { row, instanceCount: await this.scoped(tenantId).instances.countBy({ vnfDescriptorId: id }) };
  }

  async setOperationalState(tenantId: string, id: string, state: OperationalState): Promise<VnfDescriptorEntity> {
    const row = await this.find(tenantId, id);
    if (row.operationalState === state) return row;
    row.operationalState = state;
    return this.scoped(tenantId).vnfds.save(row);
  }

  async delete(tenantId: string, id: string): Promise<void> {
    await this.find(tenantId, id);
    const { vnfds, instances } = this.scoped(tenantId);
    const users = await instances.countBy({ vnfDescriptorId: id });
    if (users > 0) throw inUse(id, users);
    try {
      await vnfds.delete({ id });
    } catch (error) {
      // An instance created between the count and the DELETE: the foreign key refuses.
      if (pgError(error, PG.FOREIGN_KEY_VIOLATION)) throw inUse(id, 1);
      throw error;
    }
  }

  private scoped(tenantId: string) {
    return {
      vnfds: new TenantScopedRepository(this.vnfds, tenantId),
      instances: new TenantScopedRepository(this.instances, tenantId),
    };
  }

  private async find(tenantId: string, id: string): Promise<VnfDescriptorEntity> {
    const row = isUuid(id) ? await this.scoped(tenantId).vnfds.findOneBy({ id }) : null;
    if (!row) throw ProblemException.notFound(`VNFD '${id}'`);
    return row;
  }
}

function inUse(id: string, instances: number): ProblemException {
  return new ProblemException({
    type: PROBLEM.conflict,
    title: 'Descriptor in use',
    status: HttpStatus.CONFLICT,
    detail: `VNFD '${id}' is used by ${instances} VNF instance(s); delete them first`,
  });
}
