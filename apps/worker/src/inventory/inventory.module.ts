import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { HostEntity } from '#vim/persistence';
import { QUEUES } from '#vim/platform';
import { HostProbes, RealHostProbes } from './host-probes.js';
import { HostTopologyStore } from './host-topology.store.js';
import { InventoryProcessor } from './inventory.processor.js';

@Module({
  imports: [TypeOrmModule.forFeature([HostEntity]), BullModule.registerQueue({ name: QUEUES.inventory })],
  providers: [HostTopologyStore, InventoryProcessor, { provide: HostProbes, useClass: RealHostProbes }],
})
export class InventoryModule {}
