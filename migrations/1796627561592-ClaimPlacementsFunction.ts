import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * claim_placements: a batch of placement claims in one round trip (see libs/placement-store's
 * claim-writer.ts for the arguments and the answer). It was a client-side transaction of four
 * round trips (BEGIN and settings, lock, claim, COMMIT); on a busy 2-core machine each round trip
 * waits for both processes to be scheduled, and that wait was most of a claim's time.
 *
 * Its two statements must stay two: in READ COMMITTED each statement of a VOLATILE function takes a
 * new snapshot, so the claim statement sees every claim committed on the hosts the first one
 * locked. One statement that locked and checked would check on a snapshot taken before its locks.
 *
 * The settings are the function's own: its statements only look rows up by key, so each keeps one
 * generic plan per connection, made without sequential scans (one made while the tables were
 * small stays right as they grow).
 */
const CREATE = `
CREATE FUNCTION claim_placements(
  item_vm uuid[], item_host uuid[], item_cell int[], item_page int[], item_need bigint[], item_grouped boolean[],
  claim_items int[], claim_kinds text[], claim_keys text[], claim_cells int[], claim_amounts int[], claim_ports int[]
) RETURNS TABLE (host_state text, available text, "fitsMemory" boolean, taken text, "fitsGroup" boolean, placed boolean)
LANGUAGE plpgsql VOLATILE
SET plan_cache_mode = force_generic_plan
SET enable_seqscan = off
AS $fn$
#variable_conflict use_column
DECLARE
  locked uuid[];
  usable uuid[];
  existing uuid[];
BEGIN
  -- A host another claim holds is skipped, not waited for: its items are answered 'busy' at once.
  SELECT coalesce(array_agg(h.id), '{}'), coalesce(array_agg(h.id) FILTER (WHERE h.enabled AND h.reachability = 'UP'), '{}')
    INTO locked, usable
    FROM (SELECT id, enabled, reachability FROM hosts WHERE id = ANY(item_host) FOR UPDATE SKIP LOCKED) h;
  existing := locked;
  IF EXISTS (SELECT 1 FROM unnest(item_host) x WHERE x <> ALL(locked)) THEN
    existing := ARRAY(SELECT id FROM hosts WHERE id = ANY(item_host));
  END IF;

  -- Memory is checked cumulatively: an item needs its pool to hold it plus the batch's earlier
  -- items on the same pool, even if one of those is refused for another reason (it is then
  -- decided again; never over-allocated). The VM row's "hostId" is rechecked to be null after any
  -- row lock wait, so two runs of the same job cannot both place one VM. It is tested with
  -- num_nulls, which no index matches, so that the VM is looked up by id: with "hostId" IS NULL a
  -- generic plan made from statistics with few waiting VMs walked the "hostId" index over every
  -- waiting VM for each item (1.2 of 4 ms per 10 VMs with 5,000 waiting).
  RETURN QUERY
  WITH item AS (
    SELECT * FROM unnest(item_vm, item_host, item_cell, item_page, item_need, item_grouped)
      WITH ORDINALITY AS t(vm, host, cell, page, need, grouped, n)
  ),
  open_item AS (
    SELECT * FROM item WHERE host = ANY(usable)
  ),
  claim AS (
    SELECT * FROM unnest(claim_items, claim_kinds, claim_keys, claim_cells, claim_amounts, claim_ports) AS t(n, kind, key, cell, amount, port)
  ),
  pool AS (
    SELECT i.n, sum(i.need) OVER (PARTITION BY i.host, i.cell, i.page ORDER BY i.n) AS needed,
      CASE WHEN i.page IS NOT NULL THEN (
        SELECT least(p.free, p.total - coalesce((SELECT sum(c.amount) FROM resource_claims c
          WHERE c."hostId" = i.host AND c.kind = 'HUGEPAGES' AND c."resourceKey" = i.cell::text || '/' || i.page::text), 0))
        FROM hugepage_pools p WHERE p."hostId" = i.host AND p."numaCell" = i.cell AND p."pageSizeKb" = i.page)
      ELSE (
        SELECT cell."memoryKb" / 1024
          - coalesce((SELECT sum(h.total::bigint * h."pageSizeKb" / 1024) FROM hugepage_pools h WHERE h."hostId" = i.host AND h."numaCell" = i.cell), 0)
          - coalesce((SELECT sum(c.amount) FROM resource_claims c WHERE c."hostId" = i.host AND c.kind = 'MEMORY' AND c."resourceKey" = i.cell::text), 0)
        FROM numa_cells cell WHERE cell."hostId" = i.host AND cell."cellId" = i.cell)
      END AS available
    FROM open_item i
  ),
  verdict AS (
    SELECT i.n, i.vm, i.host, i.cell,
      p.available - (p.needed - i.need) AS available,
      coalesce(p.available, 0) >= p.needed AS fits_memory,
      (SELECT r.kind || ' ' || r.key FROM claim r JOIN resource_claims c
         ON c."hostId" = i.host AND c.kind = r.kind::claim_kind AND c."resourceKey" = r.key
       WHERE r.n = i.n AND r.kind IN ('CPU', 'VF', 'PMD_QUEUE') LIMIT 1) AS taken,
      NOT (i.grouped AND EXISTS (
        SELECT 1 FROM vdu_instances me JOIN vdu_instances other
          ON other."vnfInstanceId" = me."vnfInstanceId" AND other."vduId" = me."vduId" AND other.id <> me.id
        WHERE me.id = i.vm AND other."hostId" = i.host)) AS fits_group
    FROM open_item i JOIN pool p ON p.n = i.n
  ),
  placed AS (
    UPDATE vdu_instances v SET "hostId" = x.host, "numaCell" = x.cell, state = 'PLACED', "updatedAt" = now()
    FROM verdict x
    WHERE v.id = x.vm AND x.fits_memory AND x.taken IS NULL AND x.fits_group AND num_nulls(v."hostId") = 1
    RETURNING v.id
  ),
  written AS (
    INSERT INTO resource_claims ("hostId", "vduInstanceId", kind, "resourceKey", "numaCell", amount, "portIndex")
    SELECT x.host, x.vm, r.kind::claim_kind, r.key, r.cell, r.amount, r.port
    FROM claim r JOIN verdict x ON x.n = r.n JOIN placed ON placed.id = x.vm
    RETURNING 1
  )
  SELECT
    CASE WHEN i.host = ANY(usable) THEN 'usable' WHEN i.host = ANY(locked) THEN 'unusable' WHEN i.host = ANY(existing) THEN 'busy' ELSE 'gone' END,
    x.available::text, x.fits_memory, x.taken, x.fits_group, EXISTS (SELECT 1 FROM placed WHERE placed.id = i.vm)
  FROM item i LEFT JOIN verdict x ON x.n = i.n
  ORDER BY i.n;
END
$fn$`;

const ARGUMENTS = 'uuid[], uuid[], int[], int[], bigint[], boolean[], int[], text[], text[], int[], int[], int[]';

export class ClaimPlacementsFunction1796627561592 implements MigrationInterface {
  name = 'ClaimPlacementsFunction1796627561592';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(CREATE);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP FUNCTION claim_placements(${ARGUMENTS})`);
  }
}
