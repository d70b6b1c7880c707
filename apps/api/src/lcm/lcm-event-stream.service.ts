import { type BeforeApplicationShutdown, HttpStatus, Inject, Injectable, Logger } from '@nestjs/common';
import type { Response } from 'express';
import type { Redis } from 'ioredis';
import { AppConfig } from '#vim/config';
import { lcmEventChannel } from '#vim/lcm';
import type { LcmOpOccEntity } from '#vim/persistence';
import { RedisClient } from '#vim/platform';
import { ProblemException } from '../common/problem.js';
import { deadline } from '../common/deadline.js';
import { EventFanout, type EventFilter, opEvent, type StreamEvent } from './lcm-events.js';

const HEARTBEAT_MS = 15_000;
const SUBSCRIBE_TIMEOUT_MS = 5000;

/**
 * LCM events. The process subscribes once, on a connection of its own (a subscribed connection
 * can do nothing else), when the first client comes, and fans every event out as server-sent
 * events to the clients whose tenant (and instance) it concerns. The API's own state changes are
 * published here too, so that watchers see them like the worker's.
 */
@Injectable()
export class LcmEventStream implements BeforeApplicationShutdown {
  private readonly logger = new Logger(LcmEventStream.name);
  private readonly fanout = new EventFanout(HEARTBEAT_MS);
  private subscriber: Promise<Redis> | undefined;
  private readonly channel: string;

  constructor(
    private readonly redis: RedisClient,
    @Inject(AppConfig) config: AppConfig,
  ) {
    this.channel = lcmEventChannel(config.QUEUE_PREFIX);
  }

  get clients(): number {
    return this.fanout.size;
  }

  /**
   * Answers once the subscription is live, so that a client that has the headers misses nothing
   * published afterwards.
   */
  async serve(res: Response, filter: EventFilter): Promise<void> {
    await this.subscribe();
    // The client may have gone while the subscription was being made.
    if (!res.socket || res.socket.destroyed) return;
    const remove = this.fanout.add({ filter, write: (chunk) => res.write(chunk), end: () => res.end() });
    res.on('close', () => {
      remove();
      this.logger.debug(`event stream closed; ${this.clients} open`);
    });
    res.writeHead(HttpStatus.OK, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive', 'x-accel-buffering': 'no' });
    res.write(': connected\n\n');
  }

  /** Best effort and never awaited: watchers are a courtesy, Postgres has the truth. */
  announce(op: LcmOpOccEntity): void {
    this.publish(opEvent(op), op.id);
  }

  /** Any event of the stream (a chain's, for example), published like the operations' own. */
  publish(event: StreamEvent, about: string): void {
    this.redis.publish(this.channel, JSON.stringify(event)).catch((error: unknown) => this.logger.warn(`event for ${about} not published: ${String(error)}`));
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.fanout.closeAll();
    const subscriber = await this.subscriber?.catch(() => undefined);
    subscriber?.disconnect();
  }

  private subscribe(): Promise<Redis> {
    this.subscriber ??= this.connect().catch((error: unknown) => {
      this.subscriber = undefined;
      this.logger.error(`cannot subscribe to LCM events: ${String(error)}`);
      throw ProblemException.unavailable('the event stream is not available; try again');
    });
    return this.subscriber;
  }

  private async connect(): Promise<Redis> {
    const subscriber = this.redis.duplicate();
    subscriber.on('error', (error: Error) => this.logger.warn(`LCM event subscriber: ${error.message}`));
    subscriber.on('message', (_channel: string, message: string) => this.fanout.publish(message));
    try {
      await deadline(subscriber.subscribe(this.channel), SUBSCRIBE_TIMEOUT_MS, 'Redis did not confirm the subscription');
      return subscriber;
    } catch (error) {
      subscriber.disconnect();
      throw error;
    }
  }
}
