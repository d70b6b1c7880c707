import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { QUEUES } from '#vim/platform';
import { MembershipModule } from '../system/membership.module.js';
import { FleetCache } from './fleet-cache.js';
import { PlacementPeers } from './placement-peers.js';
import { PlacementProcessor } from './placement.processor.js';

@Module({
  imports: [BullModule.registerQueue({ name: QUEUES.placement }), MembershipModule],
  providers: [FleetCache, PlacementPeers, PlacementProcessor],
  // The lifecycle's place step places through it in-process.
  exports: [PlacementProcessor],
})
export class PlacementModule {}
