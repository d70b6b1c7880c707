import { type MiddlewareConsumer, Module, type NestModule } from '@nestjs/common';
import { ConfigModule, DatabaseModule, RedisModule } from '../../../libs/platform/src/index.js';
import { BodyMiddleware } from './common/body.middleware.js';
import { HealthController } from './health/health.controller.js';
import { VnfdsModule } from './vnfds/vnfds.module.js';

@Module({
  imports: [ConfigModule, DatabaseModule, RedisModule, VnfdsModule],
  controllers: [HealthController],
})
export class ApiModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(BodyMiddleware).forRoutes('*path');
  }
}
