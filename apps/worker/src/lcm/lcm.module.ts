import { BullModule } from '@nestjs/bullmq';
import { type DynamicModule, Logger, Module } from '@nestjs/common';
import { AppConfig } from '#vim/config';
import { QUEUES } from '#vim/platform';
import { PlacementModule } from '../placement/placement.module.js';
import { PlacementProcessor } from '../placement/placement.processor.js';
import { RealLcmDrivers } from './drivers/real-lcm-drivers.js';
import { LcmProcessor } from './lcm.processor.js';
import { LcmDrivers } from './pipeline/lcm-drivers.js';
import { LcmPipeline } from './pipeline/pipeline.js';
import { LcmReconcilerService } from './reconcile/lcm-reconciler.service.js';
import { RedisEventSink } from './redis-event-sink.js';
import { TypeormLcmStore } from './typeorm-lcm-store.js';
import { VmStateSyncService } from './vm-state/vm-state-sync.service.js';

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
      imports: [BullModule.registerQueue({ name: QUEUES.lcm }, { name: QUEUES.chains }), PlacementModule],
      providers: [
        {
          provide: LcmDrivers,
          inject: [AppConfig],
          useFactory: (config: AppConfig) => options.drivers ?? new RealLcmDrivers({ guestCheckMs: config.LCM_GUEST_CHECK_MS }),
        },
        TypeormLcmStore,
        RedisEventSink,
        {
          provide: LcmPipeline,
          // The place step calls this worker's placement directly: the step is a job already, and
          // a placement job of its own would add a queue round trip to every instantiation.
          inject: [TypeormLcmStore, LcmDrivers, PlacementProcessor, RedisEventSink],
          useFactory: (store: TypeormLcmStore, drivers: LcmDrivers, placer: PlacementProcessor, events: RedisEventSink) => {
            const logger = new Logger('lcm');
            return new LcmPipeline({ store, drivers, placer, events, warn: (message) => logger.warn(message) });
          },
        },
        LcmReconcilerService,
        LcmProcessor,
        VmStateSyncService,
      ],
    };
  }
}
