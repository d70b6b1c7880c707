import { BullModule } from '@nestjs/bullmq';
import { type DynamicModule, Logger, Module } from '@nestjs/common';
import { QUEUES } from '#vim/platform';
import { ChainApplier } from './apply/chain-applier.js';
import { ChainsProcessor } from './chains.processor.js';
import { ChainDriversToken } from './chains.tokens.js';
import { RealChainDrivers } from './real-chain-drivers.js';
import type { ChainDrivers } from './records.js';
import { RedisChainEvents } from './redis-chain-events.js';
import { ChainRefresher } from './refresh/chain-refresher.js';
import { ChainSteering } from './steering/chain-steering.js';
import { ChainTraceRunner } from './trace/chain-trace-runner.js';
import { TypeormChainStore } from './typeorm-chain-store.js';

export interface ChainsModuleOptions {
  /** Replaces the real switch drivers (tests). The worker closes them at shutdown. */
  drivers?: ChainDrivers;
}

const logger = new Logger('chains');
const log = { log: (m: string) => logger.log(m), warn: (m: string) => logger.warn(m) };

/** Service chains on the switches: apply-chain, refresh-chains and trace-chain on the chains queue. */
@Module({})
export class ChainsModule {
  static register(options: ChainsModuleOptions = {}): DynamicModule {
    return {
      module: ChainsModule,
      imports: [BullModule.registerQueue({ name: QUEUES.chains })],
      providers: [
        { provide: ChainDriversToken, useFactory: () => options.drivers ?? new RealChainDrivers() },
        TypeormChainStore,
        RedisChainEvents,
        { provide: ChainSteering, inject: [TypeormChainStore, ChainDriversToken], useFactory: (store: TypeormChainStore, drivers: ChainDrivers) => new ChainSteering(store, drivers) },
        {
          provide: ChainApplier,
          inject: [TypeormChainStore, ChainSteering, RedisChainEvents],
          useFactory: (store: TypeormChainStore, steering: ChainSteering, events: RedisChainEvents) => new ChainApplier({ store, steering, events, log }),
        },
        {
          provide: ChainRefresher,
          inject: [TypeormChainStore, ChainDriversToken, RedisChainEvents, ChainApplier],
          useFactory: (store: TypeormChainStore, drivers: ChainDrivers, events: RedisChainEvents, applier: ChainApplier) =>
            new ChainRefresher({ store, drivers, events, log, resume: (opId) => applier.applyHeld(opId) }),
        },
        {
          provide: ChainTraceRunner,
          inject: [TypeormChainStore, ChainDriversToken],
          useFactory: (store: TypeormChainStore, drivers: ChainDrivers) => new ChainTraceRunner(store, drivers),
        },
        ChainsProcessor,
      ],
    };
  }
}
