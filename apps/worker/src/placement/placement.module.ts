import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { QUEUES } from '../../../../libs/platform/src/index.js';
import { FleetCache } from './fleet-cache.js';
import { PlacementProcessor } from './placement.processor.js';

@Module({
  imports: [BullModule.registerQueue({ name: QUEUES.placement })],
  providers: [FleetCache, PlacementProcessor],
})
export class PlacementModule {}
