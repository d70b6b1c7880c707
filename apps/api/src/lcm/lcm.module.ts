import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LcmOpOccEntity, VduInstanceEntity, VnfDescriptorEntity, VnfInstanceEntity } from '#vim/persistence';
import { QUEUES } from '#vim/platform';
import { LcmEventStream } from './lcm-event-stream.service.js';
import { LcmJobs } from './lcm-jobs.service.js';
import { LcmOpOccsController } from './lcm-op-occs.controller.js';
import { LcmOperations } from './lcm-operations.service.js';
import { VmConsoles } from './vm-console.service.js';
import { VnfInstanceCatalogue } from './vnf-instance-catalogue.service.js';
import { VnfInstancesController } from './vnf-instances.controller.js';

@Module({
  imports: [
    TypeOrmModule.forFeature([VnfInstanceEntity, VduInstanceEntity, VnfDescriptorEntity, LcmOpOccEntity]),
    BullModule.registerQueue({ name: QUEUES.lcm }),
  ],
  controllers: [VnfInstancesController, LcmOpOccsController],
  providers: [VnfInstanceCatalogue, LcmOperations, LcmJobs, LcmEventStream, VmConsoles],
  exports: [LcmEventStream],
})
export class LcmModule {}
