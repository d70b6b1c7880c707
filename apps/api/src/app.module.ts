import { type MiddlewareConsumer, Module, type NestModule } from '@nestjs/common';
import { ConfigModule, DatabaseModule, QueueRootModule, RedisModule } from '../../../libs/platform/src/index.js';
import { AuditModule } from './audit/audit.module.js';
import { AuthModule } from './auth/auth.module.js';
import { BodyMiddleware } from './common/body.middleware.js';
import { PlacementModule } from './placement/placement.module.js';
import { HostsModule } from './hosts/hosts.module.js';
import { HealthController } from './health/health.controller.js';
import { LcmModule } from './lcm/lcm.module.js';
import { VnfdsModule } from './vnfds/vnfds.module.js';

@Module({
  imports: [ConfigModule, DatabaseModule, RedisModule, QueueRootModule, AuthModule, AuditModule, VnfdsModule, HostsModule, PlacementModule, LcmModule],
  controllers: [HealthController],
})
export class ApiModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(BodyMiddleware).forRoutes('*path');
  }
}
