import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { createApiApp } from '../../apps/api/src/bootstrap.js';
import { TokenStore } from '../../apps/api/src/auth/token-store.service.js';
import { DEFAULT_TENANT_ID, Role } from '#vim/persistence';
import { createLogger } from '#vim/platform';

/** The real HTTP app (same bootstrap as production) on an ephemeral loopback port. */
export async function startApi(logStream?: { write(line: string): void }): Promise<INestApplication> {
  const logger = logStream ? createLogger('trace', 'api', logStream) : createLogger(process.env.LOG_LEVEL ?? 'silent', 'api');
  const app = await createApiApp(logger);
  await app.listen(0, '127.0.0.1');
  return app;
}

/** A fresh token secret, issued the way the admin API issues them. */
export async function tokenFor(app: INestApplication, role: Role, tenantId = DEFAULT_TENANT_ID): Promise<string> {
  const { secret } = await app.get(TokenStore).issue({ tenantId, name: `test-${role}`, role });
  return secret;
}

export type Client = ReturnType<typeof client>;

/** supertest with the caller's bearer token on every request (none when secret is undefined). */
export function client(app: INestApplication, secret?: string) {
  const server = app.getHttpServer();
  const auth = (test: request.Test): request.Test => (secret ? test.set('authorization', `Bearer ${secret}`) : test);
  return {
    get: (url: string) => auth(request(server).get(url)),
    post: (url: string) => auth(request(server).post(url)),
    patch: (url: string) => auth(request(server).patch(url)),
    delete: (url: string) => auth(request(server).delete(url)),
  };
}

/**
 * Gives the suite BullMQ queues of its own (a key prefix), so that its workers neither take
 * jobs that other suites left behind nor leave theirs to later suites. Call before starting apps.
 */
export function isolateQueues(suite: string): () => void {
  const saved = process.env.QUEUE_PREFIX;
  process.env.QUEUE_PREFIX = `e2e-${suite}-${process.pid}`;
  return () => {
    if (saved === undefined) delete process.env.QUEUE_PREFIX;
    else process.env.QUEUE_PREFIX = saved;
  };
}
