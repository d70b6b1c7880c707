import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { ConfigModule, DatabaseModule, QUEUES, QueueRootModule, RedisModule } from '../../../libs/platform/src/index.js';
import { PlacementModule } from './placement/placement.module.js';
import { InventoryModule } from './inventory/inventory.module.js';
import { HeartbeatService } from './system/heartbeat.service.js';
import { SystemProcessor } from './system/system.processor.js';
import { WorkerIdentity } from './system/worker-identity.js';

/** The worker: BullMQ processors and periodic jobs, no HTTP. */
@Module({
  imports: [ConfigModule, DatabaseModule, RedisModule, QueueRootModule, BullModule.registerQueue({ name: QUEUES.system }), InventoryModule, PlacementModule],
  providers: [WorkerIdentity, HeartbeatService, SystemProcessor],
})
export class WorkerModule {}
