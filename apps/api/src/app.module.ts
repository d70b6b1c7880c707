import { type MiddlewareConsumer, Module, type NestModule } from '@nestjs/common';
import { ConfigModule, DatabaseModule, RedisModule } from '../../../libs/platform/src/index.js';
import { AuditModule } from './audit/audit.module.js';
import { AuthModule } from './auth/auth.module.js';
import { BodyMiddleware } from './common/body.middleware.js';
import { HealthController } from './health/health.controller.js';
import { VnfdsModule } from './vnfds/vnfds.module.js';

@Module({
  imports: [ConfigModule, DatabaseModule, RedisModule, AuthModule, AuditModule, VnfdsModule],
  controllers: [HealthController],
})
export class ApiModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(BodyMiddleware).forRoutes('*path');
  }
}
