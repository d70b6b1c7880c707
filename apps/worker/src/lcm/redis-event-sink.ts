import { Inject, Injectable } from '@nestjs/common';
import { AppConfig } from '../../../../libs/config/src/index.js';
import { type LcmEvent, lcmEventChannel } from '../../../../libs/lcm/src/index.js';
import { RedisClient } from '../../../../libs/platform/src/index.js';
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
