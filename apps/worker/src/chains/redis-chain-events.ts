import { Inject, Injectable } from '@nestjs/common';
import type { ChainEvent } from '#vim/chains';
import { AppConfig } from '#vim/config';
import { lcmEventChannel } from '#vim/lcm';
import { RedisClient } from '#vim/platform';
import type { ChainEventSink } from './records.js';

/** ChainEvents on the lifecycle events' channel, so the API's one stream carries both (`kind: 'chain'`). */
@Injectable()
export class RedisChainEvents implements ChainEventSink {
  private readonly channel: string;

  constructor(
    private readonly redis: RedisClient,
    @Inject(AppConfig) config: AppConfig,
  ) {
    this.channel = lcmEventChannel(config.QUEUE_PREFIX);
  }

  async publish(event: ChainEvent): Promise<void> {
    await this.redis.publish(this.channel, JSON.stringify(event));
  }
}
