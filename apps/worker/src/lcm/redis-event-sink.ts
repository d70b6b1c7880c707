import { Inject, Injectable } from '@nestjs/common';
import { AppConfig } from '#vim/config';
import { type LcmEvent, lcmEventChannel } from '#vim/lcm';
import { RedisClient } from '#vim/platform';
import type { LcmEventSink } from './pipeline/pipeline.js';

/** LcmEvents on Redis pub/sub, where the API listens to stream them to the dashboard. */
@Injectable()
export class RedisEventSink implements LcmEventSink {
  private readonly channel: string;

  constructor(
    private readonly redis: RedisClient,
    @Inject(AppConfig) config: AppConfig,
  ) {
    this.channel = lcmEventChannel(config.QUEUE_PREFIX);
  }

  async publish(event: LcmEvent): Promise<void> {
    await this.redis.publish(this.channel, JSON.stringify(event));
  }
}
