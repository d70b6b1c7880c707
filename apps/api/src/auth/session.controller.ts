import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import type { Principal } from '#vim/auth';
import { Role, TenantEntity } from '#vim/persistence';
import { CurrentPrincipal } from './auth.decorators.js';
import { TokenStore } from './token-store.service.js';

export class SessionView {
  @ApiProperty({ format: 'uuid' }) tokenId: string;
  @ApiProperty() tokenName: string;
  @ApiProperty({ enum: Role, description: 'viewer reads; operator also changes; admin also manages tokens; platform-admin every tenant and hosts' }) role: Role;
  @ApiProperty({ format: 'uuid' }) tenantId: string;
  @ApiProperty() tenantName: string;
  @ApiPropertyOptional({ type: String, nullable: true }) expiresAt: string | null;
}

/** Who the caller is: what a client (the dashboard) shows after sign-in and offers by role. */
@ApiTags('admin')
@ApiBearerAuth()
@Controller('api/v1/session')
export class SessionController {
  constructor(
    @InjectRepository(TenantEntity) private readonly tenants: Repository<TenantEntity>,
    private readonly tokens: TokenStore,
  ) {}

  @Get()
  @ApiOkResponse({ type: SessionView })
  async get(@CurrentPrincipal() caller: Principal): Promise<SessionView> {
    const [token, tenant] = await Promise.all([this.tokens.find(caller.tokenId, caller.tenantId), this.tenants.findOneByOrFail({ id: caller.tenantId })]);
    return {
      tokenId: caller.tokenId,
      tokenName: token?.name ?? '',
      role: caller.role,
      tenantId: caller.tenantId,
      tenantName: tenant.name,
      expiresAt: token?.expiresAt?.toISOString() ?? null,
    };
  }
}
