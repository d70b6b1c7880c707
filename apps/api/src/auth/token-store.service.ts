import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, type Repository } from 'typeorm';
import { AppConfig } from '#vim/config';
import { hashTokenSecret, looksLikeTokenSecret, newTokenSecret, type Principal } from '#vim/auth';
import { ApiTokenEntity, DEFAULT_TENANT_ID, Role } from '#vim/persistence';

export interface NewToken {
  tenantId: string;
  name: string;
  role: Role;
  expiresAt?: Date | null;
}

/** API tokens: issue (secret shown once), resolve a bearer secret to a principal, revoke. */
@Injectable()
export class TokenStore implements OnApplicationBootstrap {
  constructor(
    @InjectRepository(ApiTokenEntity) private readonly tokens: Repository<ApiTokenEntity>,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  /** BOOTSTRAP_ADMIN_TOKEN becomes a platform administrator's token (of the default tenant), once. */
  async onApplicationBootstrap(): Promise<void> {
    const secret = this.config.BOOTSTRAP_ADMIN_TOKEN;
    if (!secret) return;
    await this.tokens
      .createQueryBuilder()
      .insert()
      .values({ tenantId: DEFAULT_TENANT_ID, name: 'bootstrap', role: Role.PLATFORM_ADMIN, secretHash: hashTokenSecret(secret) })
      .orIgnore()
      .execute();
  }

  async issue(token: NewToken): Promise<{ row: ApiTokenEntity; secret: string }> {
    const secret = newTokenSecret();
    const row = await this.tokens.save(this.tokens.create({ ...token, expiresAt: token.expiresAt ?? null, secretHash: hashTokenSecret(secret) }));
    return { row, secret };
  }

  async authenticate(secret: string, now = new Date()): Promise<Principal | null> {
    if (!looksLikeTokenSecret(secret)) return null;
    const row = await this.tokens.findOneBy({ secretHash: hashTokenSecret(secret), revokedAt: IsNull() });
    if (!row || (row.expiresAt && row.expiresAt <= now)) return null;
    return { tokenId: row.id, tenantId: row.tenantId, role: row.role };
  }

  /** `tenantId` undefined: every tenant's tokens. */
  list(tenantId?: string): Promise<ApiTokenEntity[]> {
    return this.tokens.find({ where: tenantId ? { tenantId } : {}, order: { createdAt: 'ASC' } });
  }

  /** A token of `tenantId` (any tenant's when undefined); another tenant's is as absent as a missing one. */
  find(id: string, tenantId?: string): Promise<ApiTokenEntity | null> {
    return this.tokens.findOneBy(tenantId ? { id, tenantId } : { id });
  }

  /** Revoking twice is harmless; the first revocation time is kept. */
  async revoke(id: string, tenantId?: string): Promise<ApiTokenEntity | null> {
    const row = await this.find(id, tenantId);
    if (!row) return null;
    if (!row.revokedAt) {
      row.revokedAt = new Date();
      await this.tokens.save(row);
    }
    return row;
  }
}
