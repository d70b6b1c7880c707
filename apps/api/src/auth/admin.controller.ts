import { Body, Controller, Delete, Get, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { InjectRepository } from '@nestjs/typeorm';
import type { Response } from 'express';
import type { Repository } from 'typeorm';
import { ApiTokenEntity, PG, pgError, Role, TenantEntity } from '../../../../libs/persistence/src/index.js';
import { isUuid, ProblemException } from '../common/problem.js';
import { CreateTenantRequest, CreateTokenRequest } from './admin.dto.js';
import { RequireRole } from './auth.decorators.js';
import { TokenStore } from './token-store.service.js';


const tokenView = (row: ApiTokenEntity) => ({
  id: row.id,
  tenantId: row.tenantId,
  name: row.name,
  role: row.role,
  expiresAt: row.expiresAt?.toISOString() ?? null,
  revokedAt: row.revokedAt?.toISOString() ?? null,
  createdAt: row.createdAt.toISOString(),
});

/** Tenants and their tokens: admins only. */
@ApiTags('admin')
@ApiBearerAuth()
@RequireRole(Role.ADMIN)
@Controller('api/v1')
export class AdminController {
  constructor(
    @InjectRepository(TenantEntity) private readonly tenants: Repository<TenantEntity>,
    private readonly tokens: TokenStore,
  ) {}

  @Post('tenants')
  async createTenant(@Body() body: CreateTenantRequest, @Res({ passthrough: true }) res: Response): Promise<TenantEntity> {
    try {
      const row = await this.tenants.save(this.tenants.create({ name: body.name }));
      res.location(`/api/v1/tenants/${row.id}`);
      return row;
    } catch (error) {
      if (pgError(error, PG.UNIQUE_VIOLATION)) throw ProblemException.conflict(`tenant '${body.name}' exists`);
      throw error;
    }
  }

  @Get('tenants')
  listTenants(): Promise<TenantEntity[]> {
    return this.tenants.find({ order: { createdAt: 'ASC' } });
  }

  /** The secret is in this answer and nowhere else, ever. */
  @Post('tokens')
  async issueToken(@Body() body: CreateTokenRequest, @Res({ passthrough: true }) res: Response) {
    if (!(await this.tenants.existsBy({ id: body.tenantId }))) {
      throw ProblemException.validation([{ path: '/tenantId', message: `tenant '${body.tenantId}' does not exist` }]);
    }
    const expiresAt = body.expiresAt ? new Date(body.expiresAt) : null;
    if (expiresAt && Number.isNaN(expiresAt.getTime())) {
      throw ProblemException.validation([{ path: '/expiresAt', message: 'expiresAt is not a date this server can read (use e.g. 2030-01-01T00:00:00Z)' }]);
    }
    if (expiresAt && expiresAt <= new Date()) {
      throw ProblemException.validation([{ path: '/expiresAt', message: 'expiresAt must be in the future' }]);
    }
    const { row, secret } = await this.tokens.issue({ tenantId: body.tenantId, name: body.name, role: body.role, expiresAt });
    res.location(`/api/v1/tokens/${row.id}`);
    return { ...tokenView(row), secret };
  }

  @Get('tokens')
  async listTokens() {
    return (await this.tokens.list()).map(tokenView);
  }

  @Delete('tokens/:id')
  @HttpCode(200)
  async revokeToken(@Param('id') id: string) {
    const row = isUuid(id) ? await this.tokens.revoke(id) : null;
    if (!row) throw ProblemException.notFound(`token '${id}'`);
    return tokenView(row);
  }
}
