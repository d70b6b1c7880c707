import { Body, Controller, Get, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { InjectRepository } from '@nestjs/typeorm';
import type { Response } from 'express';
import type { Repository } from 'typeorm';
import { PG, pgError, Role, TenantEntity } from '#vim/persistence';
import { ProblemException } from '../common/problem.js';
import { CreateTenantRequest } from './admin.dto.js';
import { RequireRole } from './auth.decorators.js';

/** Tenants: the platform's business, so platform administrators only. */
@ApiTags('admin')
@ApiBearerAuth()
@RequireRole(Role.PLATFORM_ADMIN)
@Controller('api/v1/tenants')
export class TenantsController {
  constructor(@InjectRepository(TenantEntity) private readonly tenants: Repository<TenantEntity>) {}

  @Post()
  async create(@Body() body: CreateTenantRequest, @Res({ passthrough: true }) res: Response): Promise<TenantEntity> {
    try {
      const row = await this.tenants.save(this.tenants.create({ name: body.name }));
      res.location(`/api/v1/tenants/${row.id}`);
      return row;
    } catch (error) {
      if (pgError(error, PG.UNIQUE_VIOLATION)) throw ProblemException.conflict(`tenant '${body.name}' exists`);
      throw error;
    }
  }

  @Get()
  list(): Promise<TenantEntity[]> {
    return this.tenants.find({ order: { createdAt: 'ASC' } });
  }
}
