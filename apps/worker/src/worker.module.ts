import { BullModule } from '@nestjs/bullmq';
import { type DynamicModule, Module } from '@nestjs/common';
import { ConfigModule, DatabaseModule, QUEUES, QueueRootModule, RedisModule } from '#vim/platform';
import { ChainsModule } from './chains/chains.module.js';
import type { ChainDrivers } from './chains/records.js';
import { PlacementModule } from './placement/placement.module.js';
import { InventoryModule } from './inventory/inventory.module.js';
import { LcmModule } from './lcm/lcm.module.js';
import type { LcmDrivers } from './lcm/pipeline/lcm-drivers.js';
import { MembershipModule } from './system/membership.module.js';
import { SystemProcessor } from './system/system.processor.js';

export interface WorkerOptions {
  /** The lifecycle's drivers instead of the real ones (tests: fakes, or real ones with faults injected). */
  lcmDrivers?: LcmDrivers;
  /** The service chains' switch drivers instead of the real ones (tests). */
  chainDrivers?: ChainDrivers;
}

/** The worker: BullMQ processors and periodic jobs, no HTTP. */
@Module({})
export class WorkerModule {
  static register(options: WorkerOptions = {}): DynamicModule {
    return {
      module: WorkerModule,
      imports: [
        ConfigModule,
        DatabaseModule,
        RedisModule,
        QueueRootModule,
        MembershipModule,
        BullModule.registerQueue({ name: QUEUES.system }),
        InventoryModule,
        PlacementModule,
        LcmModule.register({ drivers: options.lcmDrivers }),
        ChainsModule.register({ drivers: options.chainDrivers }),
      ],
      providers: [SystemProcessor],
    };
  }
}
