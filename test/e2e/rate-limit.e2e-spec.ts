import { afterAll, beforeAll, describe, expect, jest, test } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import { Role } from '#vim/persistence';
import { client, startApi, tokenFor } from '../support/api.js';

describe('rate limit per token', () => {
  jest.setTimeout(20_000);
  let app: INestApplication;
  const saved = process.env.RATE_LIMIT_PER_MINUTE;

  beforeAll(async () => {
    process.env.RATE_LIMIT_PER_MINUTE = '5';
    app = await startApi();
  });

  afterAll(async () => {
    process.env.RATE_LIMIT_PER_MINUTE = saved;
    await app?.close();
  });

  test('past the limit a token gets 429 with Retry-After; another token is not affected', async () => {
    // The window is the wall-clock minute: keep the burst clear of its boundary.
    const second = new Date().getSeconds();
    if (second >= 55) await new Promise((r) => setTimeout(r, (61 - second) * 1000));
    const busy = client(app, await tokenFor(app, Role.VIEWER));
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await busy.get('/api/v1/vnfds')).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200]);
    const refused = await busy.get('/api/v1/vnfds').expect(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(refused.body.type).toBe('urn:vim:problem:rate-limited');

    const other = client(app, await tokenFor(app, Role.VIEWER));
    await other.get('/api/v1/vnfds').expect(200);
  });
});
