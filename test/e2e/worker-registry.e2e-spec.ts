import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { Redis } from 'ioredis';
import { loadConfig } from '#vim/config';
import { WORKER_LEASE_MS, WorkerRegistry } from '#vim/platform';

describe('WorkerRegistry (real Redis)', () => {
  const prefix = `e2e-registry-${process.pid}`;
  let redis: Redis;
  let registry: WorkerRegistry;

  beforeAll(() => {
    redis = new Redis(loadConfig().REDIS_URL);
    registry = new WorkerRegistry(redis, prefix);
  });

  afterAll(async () => {
    await redis.del(`${prefix}:workers`);
    await redis.quit();
  });

  test('a renewal answers the live workers by name, whatever the order they joined in', async () => {
    await registry.renew('w-b', 1_000);
    expect(await registry.renew('w-a', 1_000)).toEqual(['w-a', 'w-b']);
    expect(await registry.live(1_000)).toBe(2);
  });

  test('a worker whose lease ran out is counted out, and dropped at the next renewal', async () => {
    const later = 1_000 + WORKER_LEASE_MS + 1;
    expect(await registry.live(later)).toBe(0);
    expect(await registry.renew('w-b', later)).toEqual(['w-b']);
    expect(await redis.zscore(`${prefix}:workers`, 'w-a')).toBeNull();
  });

  test('a worker that leaves is no longer live', async () => {
    const now = 2_000 + WORKER_LEASE_MS;
    await registry.renew('w-c', now);
    await registry.leave('w-b');
    expect(await registry.renew('w-c', now)).toEqual(['w-c']);
    expect(await registry.live(now)).toBe(1);
  });

  test('another deployment (queue prefix) is not counted', async () => {
    const other = new WorkerRegistry(redis, `${prefix}-other`);
    expect(await other.live(0)).toBe(0);
  });
});
