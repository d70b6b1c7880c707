import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ChainHopEntity, ChainOpOccEntity, ServiceChainEntity } from '#vim/persistence';
import { QUEUES } from '#vim/platform';
import { LcmModule } from '../lcm/lcm.module.js';
import { ChainEvents } from './chain-events.service.js';
import { ChainJobs } from './chain-jobs.service.js';
import { ChainOpOccsController } from './chain-op-occs.controller.js';
import { ChainOperations } from './chain-operations.service.js';
import { ChainTraces } from './chain-traces.service.js';
import { ServiceChains } from './service-chains.service.js';
import { ServiceChainsController } from './service-chains.controller.js';

@Module({
  imports: [TypeOrmModule.forFeature([ServiceChainEntity, ChainHopEntity, ChainOpOccEntity]), BullModule.registerQueue({ name: QUEUES.chains }), LcmModule],
  controllers: [ServiceChainsController, ChainOpOccsController],
  providers: [ServiceChains, ChainOperations, ChainJobs, ChainEvents, ChainTraces],
})
export class ChainsModule {}
