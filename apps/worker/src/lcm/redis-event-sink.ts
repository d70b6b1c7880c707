import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { AppConfig } from '#vim/config';
import { type LcmEvent, lcmEventChannel, type VmStateEvent } from '#vim/lcm';
import { QUEUES, RedisClient } from '#vim/platform';
import { triggerRefresh } from '../chains/refresh/refresh-trigger.js';
import type { LcmEventSink } from './pipeline/pipeline.js';

/**
 * LcmEvents and VM power state changes on Redis pub/sub, where the API listens to stream them to
 * the dashboard. Every event that may change what a service chain renders from (an operation that
 * settled, a VM that changed power state) also asks for the chains through that instance to be
 * refreshed: this is where all of them pass.
 */
@Injectable()
export class RedisEventSink implements LcmEventSink {
  private readonly channel: string;
  private readonly logger = new Logger('lcm');

  constructor(
    private readonly redis: RedisClient,
    @Inject(AppConfig) config: AppConfig,
    @InjectQueue(QUEUES.chains) private readonly chains: Queue,
  ) {
    this.channel = lcmEventChannel(config.QUEUE_PREFIX);
  }

  async publish(event: LcmEvent | VmStateEvent): Promise<void> {
    await this.redis.publish(this.channel, JSON.stringify(event));
    await triggerRefresh(this.chains, event, (message) => this.logger.warn(message));
  }
}
