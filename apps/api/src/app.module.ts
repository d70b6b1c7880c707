import { type MiddlewareConsumer, Module, type NestModule } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { ConfigModule, DatabaseModule, QueueRootModule, RedisModule } from '#vim/platform';
import { AuditMiddleware } from './audit/audit.middleware.js';
import { AuditModule } from './audit/audit.module.js';
import { AdmissionMiddleware } from './auth/admission.middleware.js';
import { AuthModule } from './auth/auth.module.js';
import { BodyContractInterceptor } from './common/body-contract.interceptor.js';
import { BodyMiddleware } from './common/body.middleware.js';
import { PlacementModule } from './placement/placement.module.js';
import { HostsModule } from './hosts/hosts.module.js';
import { HealthController } from './health/health.controller.js';
import { LcmModule } from './lcm/lcm.module.js';
import { ChainsModule } from './chains/chains.module.js';
import { VnfdsModule } from './vnfds/vnfds.module.js';

@Module({
  imports: [ConfigModule, DatabaseModule, RedisModule, QueueRootModule, AuthModule, AuditModule, VnfdsModule, HostsModule, PlacementModule, LcmModule, ChainsModule],
  controllers: [HealthController],
  providers: [{ provide: APP_INTERCEPTOR, useClass: BodyContractInterceptor }],
})
export class ApiModule implements NestModule {
  /**
   * The order is the point: the audit hook first, so that every refusal after it is recorded;
   * then authentication and the rate limit; only then is a body read.
   */
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(AuditMiddleware, AdmissionMiddleware, BodyMiddleware).forRoutes('*path');
  }
}
