import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { INestApplication, INestApplicationContext } from '@nestjs/common';
import { Queue, QueueEvents } from 'bullmq';
import { pino } from 'pino';
import request from 'supertest';
import { createWorker } from '../../apps/worker/src/bootstrap.js';
import { loadConfig } from '#vim/config';
import { QUEUES } from '#vim/platform';
import { isolateQueues, startApi } from '../support/api.js';

describe('worker', () => {
  let worker: INestApplicationContext;
  let api: INestApplication;
  let queue: Queue;
  let events: QueueEvents;

  let restoreQueues: () => void;

  beforeAll(async () => {
    restoreQueues = isolateQueues('worker');
    const config = loadConfig();
    const connection = { url: config.REDIS_URL };
    queue = new Queue(QUEUES.system, { connection, prefix: config.QUEUE_PREFIX });
    events = new QueueEvents(QUEUES.system, { connection, prefix: config.QUEUE_PREFIX });
    await events.waitUntilReady();
    worker = await createWorker(pino({ level: 'silent' }));
    api = await startApi();
  });

  afterAll(async () => {
    await api?.close();
    await worker?.close();
    await events?.close();
    await queue?.obliterate({ force: true }).catch(() => undefined);
    await queue?.close();
    restoreQueues();
  });

  test('consumes a job from Redis and answers with the time from Postgres', async () => {
    const before = Date.now();
    const job = await queue.add('ping', {}, { removeOnComplete: true });
    const result = (await job.waitUntilFinished(events, 15_000)) as { workerId: string; databaseTime: string };
    expect(result.workerId).toMatch(new RegExp(`^${(await import('node:os')).hostname()}:${process.pid}:[0-9a-f]{8}$`));
    expect(Date.parse(result.databaseTime)).toBeGreaterThanOrEqual(before - 1000);
  });

  test('is counted by /readyz through its lease, in its own deployment only', async () => {
    const res = await request(api.getHttpServer()).get('/readyz').expect(200);
    expect(res.body.workers).toBe(1);
  });

  test('an unknown job fails with a reason instead of vanishing', async () => {
    const job = await queue.add('nonsense', {});
    await expect(job.waitUntilFinished(events, 15_000)).rejects.toThrow(/unknown job 'nonsense'/);
  });
});
