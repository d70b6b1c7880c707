import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import { AppConfig } from '#vim/config';
import { RedisClient } from '#vim/platform';
import { PROBLEM, ProblemException } from '../common/problem.js';

const WINDOW_SECONDS = 60;

/**
 * A fixed one-minute window per token, counted in Redis so that every api process shares it.
 * When Redis does not answer the request goes through: losing the limit briefly is better
 * than losing the API.
 */
@Injectable()
export class RateLimiter {
  constructor(
    private readonly redis: RedisClient,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  async check(tokenId: string, now = Date.now()): Promise<void> {
    const window = Math.floor(now / 1000 / WINDOW_SECONDS);
    const key = `vim:rate:${tokenId}:${window}`;
    let count: number;
    try {
      const [[, incremented]] = (await this.redis.multi().incr(key).expire(key, WINDOW_SECONDS * 2).exec()) as [[unknown, number]];
      count = incremented;
    } catch {
      return;
    }
    if (count <= this.config.RATE_LIMIT_PER_MINUTE) return;
    const retryAfter = (window + 1) * WINDOW_SECONDS - Math.floor(now / 1000);
    throw new ProblemException({
      type: PROBLEM.rateLimited,
      title: 'Too Many Requests',
      status: HttpStatus.TOO_MANY_REQUESTS,
      detail: `more than ${this.config.RATE_LIMIT_PER_MINUTE} requests in a minute with this token; retry in ${retryAfter} s`,
      retryAfter,
    });
  }
}
