import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { InjectRepository } from '@nestjs/typeorm';
import { IsOptional, IsUUID } from 'class-validator';
import type { FindOptionsWhere, Repository } from 'typeorm';
import { administeredTenant, type Principal } from '#vim/auth';
import { AuditEventEntity, Role } from '#vim/persistence';
import { CurrentPrincipal, RequireRole } from '../auth/auth.decorators.js';
import { pageQuery } from '../common/page.js';
import { isUuid, ProblemException } from '../common/problem.js';

export class ListAuditQuery extends pageQuery({ size: 100, max: 500 }) {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  tenantId?: string;
}

/**
 * The events an admin may read: its own tenant's, or, for a platform administrator, every
 * tenant's and those of no tenant (refused anonymous calls). Null: nothing (a filter on another tenant).
 */
function visibleEvents(caller: Principal, tenantId?: string): FindOptionsWhere<AuditEventEntity> | null {
  const scope = administeredTenant(caller);
  if (scope !== undefined && tenantId !== undefined && tenantId !== scope) return null;
  const only = scope ?? tenantId;
  return only === undefined ? {} : { tenantId: only };
}

/** The audit trail, newest first: an admin reads its tenant's, a platform administrator everyone's. */
@ApiTags('admin')
@ApiBearerAuth()
@RequireRole(Role.ADMIN)
@Controller('api/v1/audit')
export class AuditController {
  constructor(@InjectRepository(AuditEventEntity) private readonly events: Repository<AuditEventEntity>) {}

  @Get()
  async list(@CurrentPrincipal() caller: Principal, @Query() query: ListAuditQuery) {
    const where = visibleEvents(caller, query.tenantId);
    const [items, total] = where
      ? await this.events.findAndCount({ where, order: { at: 'DESC', id: 'DESC' }, take: query.limit, skip: query.offset })
      : [[], 0];
    return { items, total, limit: query.limit, offset: query.offset };
  }

  /** Another tenant's event answers 404, like any other tenant-owned resource. */
  @Get(':id')
  async get(@CurrentPrincipal() caller: Principal, @Param('id') id: string) {
    const where = visibleEvents(caller);
    const event = isUuid(id) && where ? await this.events.findOneBy({ ...where, id }) : null;
    if (!event) throw ProblemException.notFound(`audit event '${id}'`);
    return event;
  }
}
