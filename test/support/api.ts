import type { INestApplication } from '@nestjs/common';
import { pino } from 'pino';
import { createApiApp } from '../../apps/api/src/bootstrap.js';

/** The real HTTP app (same bootstrap as production) on an ephemeral loopback port. */
export async function startApi(): Promise<INestApplication> {
  const app = await createApiApp(pino({ level: process.env.LOG_LEVEL ?? 'silent' }));
  await app.listen(0, '127.0.0.1');
  return app;
}
