import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { ChainOpOccEntity, TenantScopedRepository } from '#vim/persistence';
import { isUuid, ProblemException } from '../common/problem.js';
import type { ListChainOpOccsQuery } from './chain-requests.dto.js';

/** Reading chain operations; the worker writes them. */
@Injectable()
export class ChainOperations {
  constructor(@InjectRepository(ChainOpOccEntity) private readonly ops: Repository<ChainOpOccEntity>) {}

  async list(tenantId: string, query: ListChainOpOccsQuery): Promise<{ rows: ChainOpOccEntity[]; total: number }> {
    const [rows, total] = await this.scoped(tenantId).findAndCount({
      where: {
        ...(query.chainId !== undefined && { chainId: query.chainId }),
        ...(query.operation !== undefined && { operation: query.operation }),
        ...(query.operationState !== undefined && { operationState: query.operationState }),
      },
      order: { createdAt: 'DESC', id: 'ASC' },
      take: query.limit,
      skip: query.offset,
    });
    return { rows, total };
  }

  async get(tenantId: string, opId: string): Promise<ChainOpOccEntity> {
    const op = isUuid(opId) ? await this.scoped(tenantId).findOneBy({ id: opId }) : null;
    if (!op) throw ProblemException.notFound(`chain operation occurrence '${opId}'`);
    return op;
  }

  private scoped(tenantId: string): TenantScopedRepository<ChainOpOccEntity> {
    return new TenantScopedRepository(this.ops, tenantId);
  }
}
