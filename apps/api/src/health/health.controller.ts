import { Controller, Get, HttpStatus, Res } from '@nestjs/common';
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Response } from 'express';
import type { DataSource } from 'typeorm';
import { Public } from '../auth/auth.decorators.js';
import { RedisClient, WorkerRegistry } from '#vim/platform';
import { deadline } from '../common/deadline.js';
import { durabilityProblems, REDIS_DURABILITY } from './redis-durability.js';

type Check = 'ok' | string;

const withTimeout = <T>(promise: Promise<T>, ms: number): Promise<T> => deadline(promise, ms, `no answer in ${ms} ms`);

async function check(probe: () => Promise<unknown>): Promise<Check> {
  try {
    await withTimeout(probe(), 2000);
    return 'ok';
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

@ApiTags('health')
@Public()
@Controller()
export class HealthController {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly redis: RedisClient,
    private readonly workers: WorkerRegistry,
  ) {}

  @Get('healthz')
  @ApiOkResponse({ description: 'the process is alive' })
  alive(): { status: 'alive' } {
    return { status: 'alive' };
  }

  /**
   * Ready when Postgres and Redis answer and Redis keeps what it is given (REDIS_DURABILITY); the
   * number of live workers is reported, not required.
   */
  @Get('readyz')
  @ApiOkResponse({ description: 'Postgres and Redis reachable, Redis with append-only persistence and maxmemory-policy noeviction' })
  @ApiServiceUnavailableResponse({ description: 'a dependency does not answer, or Redis may lose jobs; checks says which and why' })
  async ready(@Res({ passthrough: true }) res: Response): Promise<Record<string, unknown>> {
    const redisSettings: Record<string, string> = {};
    // At once: a dependency that hangs costs its timeout once, not once per check.
    const [postgres, redis, redisDurability, workers] = await Promise.all([
      check(() => this.db.query('SELECT 1')),
      check(() => this.redis.ping()),
      check(() => this.redisDurability(redisSettings)),
      this.liveWorkers(),
    ]);
    const checks = { postgres, redis, redisDurability };
    const ready = Object.values(checks).every((c) => c === 'ok');
    res.status(ready ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE);
    return { status: ready ? 'ready' : 'not ready', checks, redis: redisSettings, workers };
  }

  /** Reads the settings into `settings`; a Redis that refuses CONFIG GET cannot be shown to keep jobs, and is reported so. */
  private async redisDurability(settings: Record<string, string>): Promise<void> {
    for (const name of Object.keys(REDIS_DURABILITY)) {
      const [, value] = (await this.redis.config('GET', name)) as string[];
      if (value !== undefined) settings[name] = value;
    }
    const problems = durabilityProblems(settings);
    if (problems.length > 0) throw new Error(`Redis may lose queued jobs: ${problems.join('; ')}`);
  }

  private async liveWorkers(): Promise<number | null> {
    try {
      return await withTimeout(this.workers.live(), 1000);
    } catch {
      return null;
    }
  }
}
