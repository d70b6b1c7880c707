import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { createDataSource } from '#vim/persistence';
import type { Placement } from '#vim/placement';
import { claimPlacement, claimPlacements, hostsOfGroups } from '#vim/placement-store';
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

  /** VM rows of one instance, one per VDU id given. */
  async function instanceVms(...vduIds: string[]): Promise<{ vnfInstanceId: string; vms: string[] }> {
    const { vnfInstanceId } = await insertVms(db, 0, 'unused');
    const values = vduIds.map((_, i) => `($1, $${i + 2})`).join(', ');
    const rows = await db.query(`INSERT INTO vdu_instances ("vnfInstanceId", "vduId") VALUES ${values} RETURNING id`, [vnfInstanceId, ...vduIds]);
    return { vnfInstanceId, vms: rows.map((r: { id: string }) => r.id) };
  }
  // Cell 1, whose CPUs the other tests leave alone.
  const small = (over: Partial<Placement>) => placement({ cellId: 1, hugepages: { pageSizeKb: 2048, count: 1 }, ...over });

  test('anti-affinity: a second member of the group is refused on the same host, whichever VDU it is of', async () => {
    const { vnfInstanceId, vms: [a, b] } = await instanceVms('fw', 'dpi');
    const group = `${vnfInstanceId}:apart`;
    expect(await claimPlacement(db, a, small({ cpus: [16], antiAffinityGroups: [group] }))).toEqual({ claimed: true });
    const second = await claimPlacement(db, b, small({ cpus: [17], antiAffinityGroups: [group] }));
    expect(second).toEqual({ claimed: false, reason: `another member of anti-affinity group ${group} is on host ${hostId}`, groupConflict: true });
    expect((await db.query(`SELECT "antiAffinityGroups", "affinityGroups" FROM vdu_instances WHERE id = $1`, [a]))[0]).toEqual({ antiAffinityGroups: [group], affinityGroups: [] });
  });

  test('the VMs of one VDU without groups may share a host: spreading them is a preference, not rechecked', async () => {
    const { vnfInstanceId, vms: [a, b] } = await instanceVms('fw', 'fw');
    const spread = `${vnfInstanceId}/fw`;
    expect(await claimPlacement(db, a, small({ cpus: [18], spreadGroup: spread }))).toEqual({ claimed: true });
    expect(await claimPlacement(db, b, small({ cpus: [19], spreadGroup: spread }))).toEqual({ claimed: true });
  });

  describe('affinity', () => {
    let other: string;
    beforeAll(async () => {
      [other] = await insertHosts(db, [{ name: `claims-affinity-${process.pid}`, hugepages2mPerCell: 1024 }]);
    });

    test('a member is refused on another host than the members claimed before, and taken on theirs', async () => {
      const { vnfInstanceId, vms: [a, b, c] } = await instanceVms('fw', 'dpi', 'dpi');
      const group = `${vnfInstanceId}:together`;
      expect(await claimPlacement(db, a, small({ cpus: [20], affinityGroups: [group] }))).toEqual({ claimed: true });
      const away = await claimPlacement(db, b, small({ hostId: other, cpus: [20], affinityGroups: [group] }));
      expect(away).toEqual({ claimed: false, reason: `members of affinity group ${group} are on another host than ${other}`, groupConflict: true });
      expect(await claimPlacement(db, c, small({ cpus: [21], affinityGroups: [group] }))).toEqual({ claimed: true });
    });

    test('two members of one batch on different hosts are both refused', async () => {
      const { vnfInstanceId, vms: [a, b] } = await instanceVms('fw', 'fw');
      const group = `${vnfInstanceId}:together`;
      const outcomes = await claimPlacements(db, [
        { vduInstanceId: a, placement: small({ cpus: [22], affinityGroups: [group] }) },
        { vduInstanceId: b, placement: small({ hostId: other, cpus: [22], affinityGroups: [group] }) },
      ]);
      expect(outcomes.map((o) => o.claimed)).toEqual([false, false]);
    });

    test('a refused member says so (groupConflict), and hostsOfGroups finds where the members are', async () => {
      const { vnfInstanceId, vms: [a, b] } = await instanceVms('fw', 'fw');
      const group = `${vnfInstanceId}:found`;
      expect(await claimPlacement(db, a, small({ cpus: [24], affinityGroups: [group] }))).toEqual({ claimed: true });
      expect(await claimPlacement(db, b, small({ hostId: other, cpus: [24], affinityGroups: [group] }))).toMatchObject({ claimed: false, groupConflict: true });
      expect(await hostsOfGroups(db, [group, `${vnfInstanceId}:none`])).toEqual([hostId]);
    });

    test('claims of one group at once on different hosts: one host wins, the other claim is refused', async () => {
      const { vnfInstanceId, vms: [a, b] } = await instanceVms('fw', 'fw');
      const group = `${vnfInstanceId}:raced`;
      const outcomes = await Promise.all([
        claimPlacement(db, a, small({ cpus: [23], affinityGroups: [group] })),
        claimPlacement(db, b, small({ hostId: other, cpus: [23], affinityGroups: [group] })),
      ]);
      expect(outcomes.filter((o) => o.claimed)).toHaveLength(1);
    });
  });

  test('a named resource already claimed is refused by the database', async () => {
    const { vduInstanceIds: [a, b] } = await insertVms(db, 2, 'cpu');
    expect(await claimPlacement(db, a, placement({ cpus: [5], hugepages: { pageSizeKb: 2048, count: 1 } }))).toEqual({ claimed: true });
    const second = await claimPlacement(db, b, placement({ cpus: [5], hugepages: { pageSizeKb: 2048, count: 1 } }));
    expect(second.claimed).toBe(false);
    expect(second).toEqual({ claimed: false, reason: `CPU 5 on host ${hostId} was claimed meanwhile` });
  });

  describe('batches', () => {
    let other: string;
    beforeAll(async () => {
      [other] = await insertHosts(db, [{ name: `claims-batch-${process.pid}`, hugepages2mPerCell: 1024 }]);
    });
    const on = (host: string, over: Partial<Placement>) => placement({ hostId: host, hugepages: { pageSizeKb: 2048, count: 1 }, ...over });

    test('memory is counted across the batch: the item that would overdraw the pool after the earlier ones is refused', async () => {
      const { vduInstanceIds: [a, b, c] } = await insertVms(db, 3, 'batch-mem');
      const outcomes = await claimPlacements(db, [
        { vduInstanceId: a, placement: on(other, { cellId: 1, cpus: [1], hugepages: { pageSizeKb: 2048, count: 600 } }) },
        { vduInstanceId: b, placement: on(other, { cellId: 1, cpus: [2], hugepages: { pageSizeKb: 2048, count: 600 } }) },
        { vduInstanceId: c, placement: on(other, { cellId: 1, cpus: [3], hugepages: { pageSizeKb: 2048, count: 400 } }) },
      ]);
      expect(outcomes).toEqual([
        { claimed: true },
        { claimed: false, reason: 'numa 1 has 424 free 2048 KiB pages, needs 600' },
        // Counted as if b had been written: refused rather than risk an overdraw, and decided again.
        { claimed: false, reason: 'numa 1 has -176 free 2048 KiB pages, needs 400' },
      ]);
      const written = await db.query(`SELECT "vduInstanceId" FROM resource_claims WHERE "vduInstanceId" = ANY($1::uuid[])`, [[a, b, c]]);
      expect(new Set(written.map((r: { vduInstanceId: string }) => r.vduInstanceId))).toEqual(new Set([a]));
    });

    test('an item whose resource is taken does not hold back the others, and no partial claim is left', async () => {
      const { vduInstanceIds: [x, y, z] } = await insertVms(db, 3, 'batch-cpu');
      expect(await claimPlacement(db, x, on(other, { cpus: [7] }))).toEqual({ claimed: true });
      const outcomes = await claimPlacements(db, [
        { vduInstanceId: y, placement: on(other, { cpus: [8, 7] }) },
        { vduInstanceId: z, placement: on(hostId, { cpus: [9] }) },
      ]);
      expect(outcomes).toEqual([{ claimed: false, reason: `CPU 7 on host ${other} was claimed meanwhile` }, { claimed: true }]);
      expect(await db.query(`SELECT count(*)::int AS n FROM resource_claims WHERE "vduInstanceId" = $1`, [y])).toEqual([{ n: 0 }]);
    });

    test('a host disabled meanwhile refuses its items; the other hosts still take theirs', async () => {
      const [off] = await insertHosts(db, [{ name: `claims-off-${process.pid}` }]);
      await db.query(`UPDATE hosts SET enabled = false WHERE id = $1`, [off]);
      const { vduInstanceIds: [p, q] } = await insertVms(db, 2, 'batch-off');
      const outcomes = await claimPlacements(db, [
        { vduInstanceId: p, placement: on(off, { cpus: [1] }) },
        { vduInstanceId: q, placement: on(other, { cpus: [10] }) },
      ]);
      expect(outcomes).toEqual([{ claimed: false, reason: `host ${off} is no longer enabled and UP` }, { claimed: true }]);
    });

    test('a host another claim holds is busy (answered at once, not waited for); an unknown host is gone; the rest are claimed', async () => {
      const [held] = await insertHosts(db, [{ name: `claims-held-${process.pid}`, hugepages2mPerCell: 1024 }]);
      const { vduInstanceIds: [p, q, r] } = await insertVms(db, 3, 'batch-busy');
      const holder = db.createQueryRunner();
      await holder.connect();
      try {
        await holder.startTransaction();
        await holder.query(`SELECT id FROM hosts WHERE id = $1 FOR UPDATE`, [held]);
        const gone = '00000000-0000-4000-8000-00000000dead';
        const outcomes = await claimPlacements(db, [
          { vduInstanceId: p, placement: on(held, { cpus: [1] }) },
          { vduInstanceId: q, placement: on(gone, { cpus: [1] }) },
          { vduInstanceId: r, placement: on(other, { cpus: [15] }) },
        ]);
        expect(outcomes).toEqual([
          { claimed: false, reason: `host ${held} was busy with another claim`, busy: true },
          { claimed: false, reason: `host ${gone} is gone` },
          { claimed: true },
        ]);
      } finally {
        await holder.rollbackTransaction();
        await holder.release();
      }
      expect(await db.query(`SELECT count(*)::int AS n FROM resource_claims WHERE "vduInstanceId" = ANY($1::uuid[])`, [[p, q]])).toEqual([{ n: 0 }]);
      // Once the holder is done, the host takes the claim.
      expect(await claimPlacement(db, p, on(held, { cpus: [1] }))).toEqual({ claimed: true });
    });

    test('a VM placed by an earlier run is reported as such and gets nothing more', async () => {
      const { vduInstanceIds: [v] } = await insertVms(db, 1, 'batch-again');
      expect(await claimPlacement(db, v, on(other, { cpus: [11] }))).toEqual({ claimed: true });
      expect(await claimPlacement(db, v, on(hostId, { cpus: [12] }))).toEqual({ claimed: false, reason: 'the VM is already placed', alreadyPlaced: true });
      expect(await db.query(`SELECT "hostId", count(*)::int AS n FROM resource_claims WHERE "vduInstanceId" = $1 GROUP BY 1`, [v])).toEqual([{ hostId: other, n: 2 }]);
    });

    test('the same VM twice in one batch is a programming error, refused before anything is written', async () => {
      const { vduInstanceIds: [v] } = await insertVms(db, 1, 'batch-dup');
      await expect(claimPlacements(db, [{ vduInstanceId: v, placement: on(other, { cpus: [13] }) }, { vduInstanceId: v, placement: on(other, { cpus: [14] }) }])).rejects.toThrow(
        'a VM appears twice in one batch',
      );
    });
  });
});
