import { HttpStatus, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { QueryFailedError, type Repository } from 'typeorm';
import {
  normalizeVnfd,
  parseDocument,
  validateVnfdSemantics,
  type DocumentFormat,
} from '../../../../libs/descriptors/src/index.js';
import {
  DocumentFormat as StoredFormat,
  OperationalState,
  VnfDescriptorEntity,
  VnfInstanceEntity,
} from '../../../../libs/persistence/src/index.js';
import { syntaxProblem } from '../common/body.middleware.js';
import { isUuid, PROBLEM, ProblemException } from '../common/problem.js';
import { validateVnfdStructure } from './dto/index.js';
import type { ListVnfdsQuery } from './vnfd-requests.dto.js';

const PG_UNIQUE_VIOLATION = '23505';
const PG_FOREIGN_KEY_VIOLATION = '23503';

const isPgError = (error: unknown, code: string): boolean =>
  error instanceof QueryFailedError && (error.driverError as { code?: string }).code === code;

/** A submitted descriptor: its text as sent, and the document when the body reader already parsed it. */
export interface Submission {
  text: string;
  format: DocumentFormat;
  document?: unknown;
}

/**
 * The VNFD catalogue of a tenant: onboarding (syntax, structure, semantics, then one INSERT,
 * so a rejected document leaves nothing behind), listing, enabling and deleting.
 */
@Injectable()
export class VnfdCatalogue {
  constructor(
    @InjectRepository(VnfDescriptorEntity) private readonly vnfds: Repository<VnfDescriptorEntity>,
    @InjectRepository(VnfInstanceEntity) private readonly instances: Repository<VnfInstanceEntity>,
  ) {}

  async onboard(tenantId: string, submission: Submission): Promise<VnfDescriptorEntity> {
    const document = this.readDocument(submission);
    const structural = validateVnfdStructure(document);
    if (structural.length > 0) throw ProblemException.validation(structural, 'the descriptor does not have the SOL006 shape');
    const semantic = validateVnfdSemantics(document);
    if (semantic.length > 0) throw ProblemException.validation(semantic, 'the descriptor contradicts itself');
    const model = normalizeVnfd(document);
    const tooLong = columnOverflows(model);
    if (tooLong.length > 0) throw ProblemException.validation(tooLong);
    if (submission.text.includes('\u0000')) {
      throw ProblemException.validation([{ path: '', message: 'the document must not contain NUL characters' }]);
    }
    try {
      return await this.vnfds.save(
        this.vnfds.create({
          tenantId,
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
      if (isPgError(error, PG_UNIQUE_VIOLATION)) {
        const existing = await this.vnfds.findOneBy({ tenantId, vnfdId: model.vnfdId, version: model.version });
        throw ProblemException.conflict(`VNFD '${model.vnfdId}' version '${model.version}' is already onboarded`, {
          existing: existing ? `/api/v1/vnfds/${existing.id}` : undefined,
        });
      }
      throw error;
    }
  }

  async list(tenantId: string, query: ListVnfdsQuery): Promise<{ rows: VnfDescriptorEntity[]; total: number }> {
    const [rows, total] = await this.vnfds.findAndCount({
      where: {
        tenantId,
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
    return { row, instanceCount: await this.instances.countBy({ tenantId, vnfDescriptorId: id }) };
  }

  async setOperationalState(tenantId: string, id: string, state: OperationalState): Promise<VnfDescriptorEntity> {
    const row = await this.find(tenantId, id);
    if (row.operationalState === state) return row;
    row.operationalState = state;
    return this.vnfds.save(row);
  }

  async delete(tenantId: string, id: string): Promise<void> {
    await this.find(tenantId, id);
    const users = await this.instances.countBy({ tenantId, vnfDescriptorId: id });
    if (users > 0) throw inUse(id, users);
    try {
      await this.vnfds.delete({ tenantId, id });
    } catch (error) {
      // An instance created between the count and the DELETE: the foreign key refuses.
      if (isPgError(error, PG_FOREIGN_KEY_VIOLATION)) throw inUse(id, 1);
      throw error;
    }
  }

  private async find(tenantId: string, id: string): Promise<VnfDescriptorEntity> {
    const row = isUuid(id) ? await this.vnfds.findOneBy({ tenantId, id }) : null;
    if (!row) throw ProblemException.notFound(`VNFD '${id}'`);
    return row;
  }

  private readDocument(submission: Submission): unknown {
    if (submission.document !== undefined) return submission.document;
    const parsed = parseDocument(submission.text, submission.format);
    if (!parsed.ok) throw syntaxProblem(parsed.problem);
    return parsed.document;
  }
}

/** Identifying fields are columns of at most 255 characters. */
function columnOverflows(model: ReturnType<typeof normalizeVnfd>): { path: string; message: string }[] {
  const fields: [string, string | undefined][] = [
    ['/vnfd/id', model.vnfdId],
    ['/vnfd/version', model.version],
    ['/vnfd/provider', model.provider],
    ['/vnfd/product-name', model.productName],
    ['/vnfd/software-version', model.softwareVersion],
  ];
  return fields.filter(([, v]) => v !== undefined && v.length > 255).map(([path]) => ({ path, message: 'must be at most 255 characters' }));
}


function inUse(id: string, instances: number): ProblemException {
  return new ProblemException({
    type: PROBLEM.conflict,
    title: 'Descriptor in use',
    status: HttpStatus.CONFLICT,
    detail: `VNFD '${id}' is used by ${instances} VNF instance(s); delete them first`,
  });
}
