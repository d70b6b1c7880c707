import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { type Queue, QueueEvents } from 'bullmq';
import { AppConfig } from '../../../../libs/config/src/index.js';
import { bullmqBatchRunner, type PlaceItem, type PlaceResult, PlacementClient } from '../../../../libs/placement-queue/src/index.js';
import { QUEUES } from '../../../../libs/platform/src/index.js';
import type { Placer } from './pipeline/op-context.js';

/** Placement as `place-batch` jobs on the placement queue, which any worker (this one too) consumes. */
@Injectable()
export class QueuePlacer implements Placer, OnApplicationShutdown {
  private readonly events: QueueEvents;
  private readonly client: PlacementClient;

  constructor(@InjectQueue(QUEUES.placement) queue: Queue, @Inject(AppConfig) config: AppConfig) {
    this.events = new QueueEvents(QUEUES.placement, { connection: { url: config.REDIS_URL }, prefix: config.QUEUE_PREFIX });
    this.client = new PlacementClient(bullmqBatchRunner(queue, this.events));
  }

  async place(items: readonly PlaceItem[]): Promise<PlaceResult[]> {
    await this.events.waitUntilReady();
    return Promise.all(items.map((item) => this.client.submit(item)));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.events.close();
  }
}
