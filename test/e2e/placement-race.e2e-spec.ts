import { afterAll, beforeAll, describe, expect, jest, test } from '@jest/globals';
import type { INestApplicationContext } from '@nestjs/common';
import { Queue, QueueEvents } from 'bullmq';
import { pino } from 'pino';
import { DataSource } from 'typeorm';
import { createWorker } from '../../apps/worker/src/bootstrap.js';
import { loadConfig } from '#vim/config';
import type { PlacementRequest } from '#vim/placement';
import { bullmqBatchRunner, type PlaceResult, PlacementClient } from '#vim/placement-queue';
import { QUEUES } from '#vim/platform';
import { insertHosts, insertVms } from '../support/fleet-fixture.js';

jest.setTimeout(120_000);

const WORKERS = 4;
const REQUESTS = 200;

describe('placement race: 200 requests, 4 workers, 32 free VFs', () => {
  let workers: INestApplicationContext[] = [];
  let db: DataSource;
  let queue: Queue;
  let events: QueueEvents;
  const prefix = `race-${process.pid}`;

  beforeAll(async () => {
    // A queue prefix of its own, so no other suite's jobs or workers mix in.
    process.env.QUEUE_PREFIX = prefix;
    process.env.PLACEMENT_CONCURRENCY = '8';
    // The simulated hosts must not be "rediscovered" as the test:/// driver's default node.
    process.env.INVENTORY_REFRESH_SECONDS = '0';
    const config = loadConfig();
    queue = new Queue(QUEUES.placement, { connection: { url: config.REDIS_URL }, prefix });
    events = new QueueEvents(QUEUES.placement, { connection: { url: config.REDIS_URL }, prefix });
    await events.waitUntilReady();
    workers = await Promise.all(Array.from({ length: WORKERS }, () => createWorker(pino({ level: 'silent' }))));
    db = workers[0].get(DataSource);
  });

  afterAll(async () => {
    await Promise.all(workers.map((w) => w.close()));
    await events?.close();
    await queue?.obliterate({ force: true }).catch(() => undefined);
    await queue?.close();
    delete process.env.QUEUE_PREFIX;
    delete process.env.PLACEMENT_CONCURRENCY;
    delete process.env.INVENTORY_REFRESH_SECONDS;
  });

  test('exactly 32 succeed, the rest explain why, and no resource is claimed twice', async () => {
    // Two hosts, each with 2 cells x 1 PF x 8 VFs on physnet "race": 32 VFs in all, CPUs to spare.
    await insertHosts(db, [
      { name: `race-a-${process.pid}`, vfsPerPf: 8, physnet: 'race' },
      { name: `race-b-${process.pid}`, vfsPerPf: 8, physnet: 'race' },
    ]);
    const { vduInstanceIds } = await insertVms(db, REQUESTS);
    const request = (id: string): PlacementRequest => ({
      requestId: id,
      vcpus: 1,
      cpuPolicy: 'dedicated',
      memoryMb: 256,
      pageSize: 2048,
      virtioPorts: 0,
      sriovPorts: [{ physnet: 'race' }],
      vfNumaAffinity: 'required',
    });
    // Jobs of 8 requests: 25 jobs spread over the 4 workers' 8 slots each.
    const client = new PlacementClient(bullmqBatchRunner(queue, events, 90_000), { maxBatch: 8 });
    const results = await Promise.all(vduInstanceIds.map((id) => client.submit({ vduInstanceId: id, request: request(id) })));

    const placed = results.filter((r) => r.ok);
    const refused = results.filter((r): r is Extract<PlaceResult, { ok: false }> => !r.ok);
    expect(placed).toHaveLength(32);
    expect(refused).toHaveLength(REQUESTS - 32);
    for (const r of refused) expect(r.explanation.reasonCounts).toHaveProperty('SriovFilter');
    expect(refused[0].explanation.summary).toMatch(/^no valid host: /);

    const duplicates = await db.query(
      `SELECT "hostId", kind, "resourceKey", count(*) FROM resource_claims WHERE kind IN ('CPU', 'VF', 'PMD_QUEUE') GROUP BY 1, 2, 3 HAVING count(*) > 1`,
    );
    expect(duplicates).toEqual([]);
    const [{ vfs }] = await db.query(`SELECT count(*)::int AS vfs FROM resource_claims WHERE kind = 'VF' AND "vduInstanceId" = ANY($1::uuid[])`, [vduInstanceIds]);
    expect(vfs).toBe(32);
    const [{ vms }] = await db.query(`SELECT count(*)::int AS vms FROM vdu_instances WHERE state = 'PLACED' AND id = ANY($1::uuid[])`, [vduInstanceIds]);
    expect(vms).toBe(32);
  });

  test('a job that runs twice changes nothing the second time, and answers the same placement', async () => {
    const { vduInstanceIds } = await insertVms(db, 1, 'again');
    await insertHosts(db, [{ name: `again-${process.pid}`, physnet: 'again' }]);
    const client = new PlacementClient(bullmqBatchRunner(queue, events, 30_000));
    const item = { vduInstanceId: vduInstanceIds[0], request: againRequest('again') };
    const first = await client.submit(item);
    const second = await client.submit(item);
    expect([first, second].map((r) => (r.ok ? "ok" : r.explanation.summary))).toEqual(["ok", "ok"]);
    expect(second).toMatchObject({ alreadyPlaced: true });
    if (first.ok && second.ok) {
      expect(second.placement).toMatchObject({ hostId: first.placement.hostId, cpus: first.placement.cpus, cellId: first.placement.cellId });
      expect(second.placement.vfs).toEqual(first.placement.vfs);
      expect(second.placement.vfs[0]).toMatchObject({ physnet: 'again', pfPciAddress: expect.stringMatching(/^0000:/) });
    }
    const [{ n }] = await db.query(`SELECT count(*)::int AS n FROM resource_claims WHERE "vduInstanceId" = $1`, [vduInstanceIds[0]]);
    expect(n).toBe(5); // 2 CPUs, 1 PMD queue slot, 1 VF, 1 memory row
  });

  test('the same VM in jobs running at once on different workers is placed once', async () => {
    const { vduInstanceIds } = await insertVms(db, 1, 'twice');
    await insertHosts(db, [1, 2, 3].map((k) => ({ name: `twice-${k}-${process.pid}`, physnet: 'twice' })));
    // One request per job, so the copies go to different workers and decide independently.
    const client = new PlacementClient(bullmqBatchRunner(queue, events, 30_000), { maxBatch: 1 });
    const item = { vduInstanceId: vduInstanceIds[0], request: againRequest('twice') };
    const results = await Promise.all(Array.from({ length: 8 }, () => client.submit(item)));
    expect(results.map((r) => (r.ok ? "ok" : r.explanation.summary))).toEqual(Array(8).fill("ok"));
    const hosts = new Set(results.map((r) => (r.ok ? r.placement.hostId : '')));
    expect(hosts.size).toBe(1);
    const [{ n }] = await db.query(`SELECT count(*)::int AS n FROM resource_claims WHERE "vduInstanceId" = $1`, [vduInstanceIds[0]]);
    expect(n).toBe(5);
  });
});

function againRequest(physnet: string): PlacementRequest {
  return {
    requestId: physnet,
    vcpus: 2,
    cpuPolicy: 'dedicated',
    memoryMb: 512,
    pageSize: 'small',
    virtioPorts: 1,
    sriovPorts: [{ physnet }],
    vfNumaAffinity: 'preferred',
  };
}
