import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ApiTokenEntity, TenantEntity } from '#vim/persistence';
import { AuthGuard } from './auth.guard.js';
import { RateLimiter } from './rate-limiter.service.js';
import { RequestAuthenticator } from './request-authenticator.service.js';
import { TenantsController } from './tenants.controller.js';
import { TokenStore } from './token-store.service.js';
import { SessionController } from './session.controller.js';
import { TokensController } from './tokens.controller.js';

@Module({
  imports: [TypeOrmModule.forFeature([ApiTokenEntity, TenantEntity])],
  controllers: [TenantsController, TokensController, SessionController],
  providers: [TokenStore, RateLimiter, RequestAuthenticator, { provide: APP_GUARD, useClass: AuthGuard }],
  exports: [TokenStore, RequestAuthenticator],
})
export class AuthModule {}
