import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { InjectRepository } from '@nestjs/typeorm';
import type { Response } from 'express';
import type { Repository } from 'typeorm';
import { administeredTenant, administers, type Principal, roleAllows, rolesGrantableBy } from '#vim/auth';
import { type ApiTokenEntity, Role, TenantEntity } from '#vim/persistence';
import { isUuid, PROBLEM, ProblemException } from '../common/problem.js';
import { CreateTokenRequest } from './admin.dto.js';
import { CurrentPrincipal, RequireRole } from './auth.decorators.js';
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

const roleAboveCaller = (caller: Principal, role: Role, action: string) =>
  new ProblemException({
    type: PROBLEM.forbidden,
    title: 'Forbidden',
    status: HttpStatus.FORBIDDEN,
    detail: `a ${caller.role} token may not ${action} a ${role} token`,
    errors: [{ path: '/role', message: `must be one of ${rolesGrantableBy(caller.role).join(', ')}` }],
  });

/**
 * Tokens: an admin manages its own tenant's, a platform administrator every tenant's. Another
 * tenant's token answers 404, like any other tenant-owned resource.
 */
@ApiTags('admin')
@ApiBearerAuth()
@RequireRole(Role.ADMIN)
@Controller('api/v1/tokens')
export class TokensController {
  constructor(
    @InjectRepository(TenantEntity) private readonly tenants: Repository<TenantEntity>,
    private readonly tokens: TokenStore,
  ) {}

  /** The secret is in this answer and nowhere else, ever. */
  @Post()
  async issue(@CurrentPrincipal() caller: Principal, @Body() body: CreateTokenRequest, @Res({ passthrough: true }) res: Response) {
    // Another tenant gets the same answer as a missing one, so that its existence does not leak.
    if (!administers(caller, body.tenantId) || !(await this.tenants.existsBy({ id: body.tenantId }))) {
      throw ProblemException.validation([{ path: '/tenantId', message: `tenant '${body.tenantId}' does not exist` }]);
    }
    if (!roleAllows(caller.role, body.role)) throw roleAboveCaller(caller, body.role, 'issue');
    const { row, secret } = await this.tokens.issue({ tenantId: body.tenantId, name: body.name, role: body.role, expiresAt: expiryOf(body) });
    res.location(`/api/v1/tokens/${row.id}`);
    return { ...tokenView(row), secret };
  }

  @Get()
  async list(@CurrentPrincipal() caller: Principal) {
    return (await this.tokens.list(administeredTenant(caller))).map(tokenView);
  }

  @Get(':id')
  async get(@CurrentPrincipal() caller: Principal, @Param('id') id: string) {
    return tokenView(await this.visible(caller, id));
  }

  @Delete(':id')
  @HttpCode(200)
  async revoke(@CurrentPrincipal() caller: Principal, @Param('id') id: string) {
    const row = await this.visible(caller, id);
    if (!roleAllows(caller.role, row.role)) throw roleAboveCaller(caller, row.role, 'revoke');
    return tokenView((await this.tokens.revoke(row.id)) ?? row);
  }

  private async visible(caller: Principal, id: string): Promise<ApiTokenEntity> {
    const row = isUuid(id) ? await this.tokens.find(id, administeredTenant(caller)) : null;
    if (!row) throw ProblemException.notFound(`token '${id}'`);
    return row;
  }
}

function expiryOf(body: CreateTokenRequest): Date | null {
  const expiresAt = body.expiresAt ? new Date(body.expiresAt) : null;
  if (expiresAt && Number.isNaN(expiresAt.getTime())) {
    throw ProblemException.validation([{ path: '/expiresAt', message: 'expiresAt is not a date this server can read (use e.g. 2030-01-01T00:00:00Z)' }]);
  }
  if (expiresAt && expiresAt <= new Date()) {
    throw ProblemException.validation([{ path: '/expiresAt', message: 'expiresAt must be in the future' }]);
  }
  return expiresAt;
}
