import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { createDataSource } from '../../libs/persistence/src/index.js';
import type { Placement } from '../../libs/placement/src/index.js';
import { claimPlacement } from '../../libs/placement-store/src/index.js';
import { insertHosts, insertVms } from '../support/fleet-fixture.js';

describe('claimPlacement against Postgres', () => {
  let db: DataSource;
  let hostId: string;

  const placement = (over: Partial<Placement> = {}): Placement => ({
    hostId,
    cellId: 0,
    cpus: [],
    memoryMb: 1024,
    hugepages: { pageSizeKb: 2048, count: 512 },
    pmdQueues: [],
    vfs: [],
    score: 0,
    ...over,
  });

  beforeAll(async () => {
    db = await createDataSource(process.env.DATABASE_URL as string).initialize();
    [hostId] = await insertHosts(db, [{ name: `claims-${process.pid}`, hugepages2mPerCell: 1024, memoryMbPerCell: 4096 }]);
  });

  afterAll(async () => {
    await db?.destroy();
  });

  test('counted memory: the second VM that would overdraw the hugepage pool is refused, nothing written', async () => {
    const { vduInstanceIds: [a, b] } = await insertVms(db, 2, 'pages');
    expect(await claimPlacement(db, a, placement({ cpus: [1] }))).toEqual({ claimed: true });
    const second = await claimPlacement(db, b, placement({ cpus: [2], hugepages: { pageSizeKb: 2048, count: 600 } }));
    expect(second).toEqual({ claimed: false, reason: 'numa 0 has 512 free 2048 KiB pages, needs 600' });
    expect(await db.query(`SELECT count(*)::int AS n FROM resource_claims WHERE "vduInstanceId" = $1`, [b])).toEqual([{ n: 0 }]);
    expect((await db.query(`SELECT state, "hostId" FROM vdu_instances WHERE id = $1`, [b]))[0]).toEqual({ state: 'PENDING', hostId: null });
  });

  test('small-page memory is counted too (the cell minus its hugepages minus claims)', async () => {
    const { vduInstanceIds: [a] } = await insertVms(db, 1, 'small');
    const { hugepages: _, ...small } = placement({ cellId: 1, memoryMb: 4096 });
    // 4096 MiB on the cell, 2048 MiB of it hugepages: 2048 MiB of small pages.
    expect(await claimPlacement(db, a, small)).toEqual({ claimed: false, reason: 'numa 1 has 2048 MiB of small-page memory free, needs 4096' });
  });

  test('anti-affinity: a second member of the same scaling group is refused on the same host', async () => {
    const { vnfInstanceId } = await insertVms(db, 0, 'unused');
    const [a, b] = (await db.query(`INSERT INTO vdu_instances ("vnfInstanceId", "vduId") VALUES ($1, 'fw'), ($1, 'fw') RETURNING id`, [vnfInstanceId])).map((r: { id: string }) => r.id);
    const group = `${vnfInstanceId}/fw`;
    expect(await claimPlacement(db, a, placement({ cpus: [3], hugepages: { pageSizeKb: 2048, count: 1 }, antiAffinityGroup: group }))).toEqual({ claimed: true });
    const second = await claimPlacement(db, b, placement({ cpus: [4], hugepages: { pageSizeKb: 2048, count: 1 }, antiAffinityGroup: group }));
    expect(second).toEqual({ claimed: false, reason: `another member of scaling group ${group} is on host ${hostId}` });
  });

  test('a named resource already claimed is refused by the database', async () => {
    const { vduInstanceIds: [a, b] } = await insertVms(db, 2, 'cpu');
    expect(await claimPlacement(db, a, placement({ cpus: [5], hugepages: { pageSizeKb: 2048, count: 1 } }))).toEqual({ claimed: true });
    const second = await claimPlacement(db, b, placement({ cpus: [5], hugepages: { pageSizeKb: 2048, count: 1 } }));
    expect(second.claimed).toBe(false);
    expect(second).toMatchObject({ reason: expect.stringMatching(/claimed meanwhile .*CPU, 5/) });
  });
});
