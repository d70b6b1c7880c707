import { BullModule } from '@nestjs/bullmq';
import { type DynamicModule, Logger, Module } from '@nestjs/common';
import { QUEUES } from '../../../../libs/platform/src/index.js';
import { RealLcmDrivers } from './drivers/real-lcm-drivers.js';
import { LcmProcessor } from './lcm.processor.js';
import { LcmDrivers } from './pipeline/lcm-drivers.js';
import { LcmPipeline } from './pipeline/pipeline.js';
import { QueuePlacer } from './queue-placer.js';
import { RedisEventSink } from './redis-event-sink.js';
import { TypeormLcmStore } from './typeorm-lcm-store.js';

export interface LcmModuleOptions {
  /** Replaces the real drivers, e.g. with fakes or with the real ones plus injected faults. The worker closes them at shutdown. */
  drivers?: LcmDrivers;
}

/** The lifecycle pipeline: RUN_OP_JOB and its step jobs on the lcm queue. */
@Module({})
export class LcmModule {
  static register(options: LcmModuleOptions = {}): DynamicModule {
    return {
      module: LcmModule,
      imports: [BullModule.registerQueue({ name: QUEUES.lcm }, { name: QUEUES.placement })],
      providers: [
        { provide: LcmDrivers, useFactory: () => options.drivers ?? new RealLcmDrivers() },
        TypeormLcmStore,
        QueuePlacer,
        RedisEventSink,
        {
          provide: LcmPipeline,
          inject: [TypeormLcmStore, LcmDrivers, QueuePlacer, RedisEventSink],
          useFactory: (store: TypeormLcmStore, drivers: LcmDrivers, placer: QueuePlacer, events: RedisEventSink) => {
            const logger = new Logger('lcm');
            return new LcmPipeline({ store, drivers, placer, events, warn: (message) => logger.warn(message) });
          },
        },
        LcmProcessor,
      ],
    };
  }
}
