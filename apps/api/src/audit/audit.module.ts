import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditEventEntity } from '#vim/persistence';
import { AuditController } from './audit.controller.js';

/**
 * The audit trail's storage and reader. Its recorder (AuditMiddleware) is applied by ApiModule,
 * first of all middleware, so that refusals made while admitting or reading a request are recorded.
 */
@Module({
  imports: [TypeOrmModule.forFeature([AuditEventEntity])],
  controllers: [AuditController],
  exports: [TypeOrmModule],
})
export class AuditModule {}
