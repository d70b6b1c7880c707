import { Controller, Get, HttpStatus, Res } from '@nestjs/common';
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Response } from 'express';
import type { DataSource } from 'typeorm';
import { Public } from '../auth/auth.decorators.js';
import { RedisClient, WorkerRegistry } from '../../../../libs/platform/src/index.js';
import { deadline } from '../common/deadline.js';

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

  /** Ready when Postgres and Redis answer; the number of live workers is reported, not required. */
  @Get('readyz')
  @ApiOkResponse({ description: 'Postgres and Redis reachable' })
  @ApiServiceUnavailableResponse({ description: 'a dependency does not answer; checks says which' })
  async ready(@Res({ passthrough: true }) res: Response): Promise<Record<string, unknown>> {
    const checks = {
      postgres: await check(() => this.db.query('SELECT 1')),
      redis: await check(() => this.redis.ping()),
    };
    const ready = Object.values(checks).every((c) => c === 'ok');
    res.status(ready ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE);
    return { status: ready ? 'ready' : 'not ready', checks, workers: await this.liveWorkers() };
  }

  private async liveWorkers(): Promise<number | null> {
    try {
      return await withTimeout(this.workers.live(), 1000);
    } catch {
      return null;
    }
  }
}
