import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { InjectRepository } from '@nestjs/typeorm';
import { IsOptional, IsUUID } from 'class-validator';
import type { Repository } from 'typeorm';
import { AuditEventEntity, Role } from '../../../../libs/persistence/src/index.js';
import { RequireRole } from '../auth/auth.decorators.js';
import { pageQuery } from '../common/page.js';

export class ListAuditQuery extends pageQuery({ size: 100, max: 500 }) {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  tenantId?: string;
}

/** The audit trail, newest first: admins only. */
@ApiTags('admin')
@ApiBearerAuth()
@RequireRole(Role.ADMIN)
@Controller('api/v1/audit')
export class AuditController {
  constructor(@InjectRepository(AuditEventEntity) private readonly events: Repository<AuditEventEntity>) {}

  @Get()
  async list(@Query() query: ListAuditQuery) {
    const [items, total] = await this.events.findAndCount({
      where: query.tenantId ? { tenantId: query.tenantId } : {},
      order: { at: 'DESC', id: 'DESC' },
      take: query.limit,
      skip: query.offset,
    });
    return { items, total, limit: query.limit, offset: query.offset };
  }
}
