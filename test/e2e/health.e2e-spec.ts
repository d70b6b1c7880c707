import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import { promisify } from 'node:util';
import request from 'supertest';
import { Redis } from 'ioredis';
import { startApi } from '../support/api.js';
import { PrivateRedis } from '../support/private-services.js';

describe('health', () => {
  let app: INestApplication;

  beforeAll(async () => {
    app = await startApi();
  });

  afterAll(async () => {
    await app?.close();
  });

  test('/healthz answers while the process lives', async () => {
    const res = await request(app.getHttpServer()).get('/healthz').expect(200);
    expect(res.body).toEqual({ status: 'alive' });
  });

  test('/readyz checks Postgres and Redis', async () => {
    const res = await request(app.getHttpServer()).get('/readyz').expect(200);
    expect(res.body).toMatchObject({ status: 'ready', checks: { postgres: 'ok', redis: 'ok', redisDurability: 'ok' } });
  });

  test('every response carries a request id, and a given one is kept', async () => {
    const res = await request(app.getHttpServer()).get('/healthz').set('x-request-id', 'abc-123').expect(200);
    expect(res.headers['x-request-id']).toBe('abc-123');
    const fresh = await request(app.getHttpServer()).get('/healthz');
    expect(fresh.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  test('unknown routes answer a problem document, not HTML', async () => {
    const res = await request(app.getHttpServer()).get('/api/v1/nothing-here').expect(404);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 404, instance: '/api/v1/nothing-here' });
  });

  test('OpenAPI document describes the descriptor API', async () => {
    const res = await request(app.getHttpServer()).get('/api/docs-json').expect(200);
    expect(Object.keys(res.body.paths)).toEqual(expect.arrayContaining(['/api/v1/vnfds', '/api/v1/vnfds/{id}']));
    expect(res.body.components.schemas).toHaveProperty('VnfdDto');
    await request(app.getHttpServer()).get('/api/docs').expect(200);
  });
});

describe('readiness when Redis is gone', () => {
  let app: INestApplication;
  let silent: Server;
  const saved = process.env.REDIS_URL;

  beforeAll(async () => {
    // A loopback port that accepts and never answers stands in for a hung Redis.
    silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as { port: number };
    process.env.REDIS_URL = `redis://127.0.0.1:${port}`;
    app = await startApi();
  });

  afterAll(async () => {
    process.env.REDIS_URL = saved;
    await app?.close().catch(() => undefined);
    silent.close();
  });

  test('/readyz answers 503 and names the failing check', async () => {
    const res = await request(app.getHttpServer()).get('/readyz').expect(503);
    expect(res.body.checks.postgres).toBe('ok');
    expect(res.body.checks.redis).not.toBe('ok');
  });
});

const run = promisify(execFile);

describe('readiness when Redis may lose jobs', () => {
  let app: INestApplication;
  let redis: PrivateRedis;
  const saved = process.env.REDIS_URL;

  beforeAll(async () => {
    // A Redis of its own, started as deploy/local once started the shared one: no persistence.
    redis = await PrivateRedis.start(false);
    process.env.REDIS_URL = redis.url;
    app = await startApi();
  });

  afterAll(async () => {
    process.env.REDIS_URL = saved;
    await app?.close();
    await redis?.stop();
  });

  test('/readyz answers 503 while Redis runs without an append-only file or may evict, naming each setting; deploy/local gives it both', async () => {
    const res = await request(app.getHttpServer()).get('/readyz').expect(503);
    expect(res.body).toMatchObject({ status: 'not ready', checks: { postgres: 'ok', redis: 'ok' }, redis: { appendonly: 'no' } });
    expect(res.body.checks.redisDurability).toContain('appendonly is no, should be yes');

    const admin = new Redis(redis.url);
    try {
      await admin.config('SET', 'maxmemory-policy', 'allkeys-lru');
      await admin.config('SET', 'appendonly', 'yes');
      const evicting = await request(app.getHttpServer()).get('/readyz').expect(503);
      expect(evicting.body.checks.redisDurability).toBe('Redis may lose queued jobs: maxmemory-policy is allkeys-lru, should be noeviction');
      await admin.config('SET', 'appendonly', 'no');
    } finally {
      admin.disconnect();
    }
    // What deploy/local/services-up.sh does to a Redis that an earlier version started: settings changed while it runs.
    const { stdout } = await run('bash', ['-c', 'source deploy/local/lib.sh && make_redis_durable "$1"', 'durable', String(redis.port)]);
    expect(stdout).toBe(' ok redis: appendonly set to yes\n ok redis: maxmemory-policy set to noeviction\n');
    const ready = await request(app.getHttpServer()).get('/readyz').expect(200);
    expect(ready.body).toMatchObject({ status: 'ready', checks: { redisDurability: 'ok' }, redis: { appendonly: 'yes', 'maxmemory-policy': 'noeviction' } });
  });
});
