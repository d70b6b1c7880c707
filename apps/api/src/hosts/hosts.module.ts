import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { HostEntity, ResourceClaimEntity, VduInstanceEntity } from '#vim/persistence';
import { QUEUES } from '#vim/platform';
import { HostCatalogue } from './host-catalogue.service.js';
import { HostsController } from './hosts.controller.js';

@Module({
  imports: [TypeOrmModule.forFeature([HostEntity, VduInstanceEntity, ResourceClaimEntity]), BullModule.registerQueue({ name: QUEUES.inventory })],
  controllers: [HostsController],
  providers: [HostCatalogue],
})
export class HostsModule {}
