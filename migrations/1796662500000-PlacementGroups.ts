import type { MigrationInterface, QueryRunner } from 'typeorm';
import { ClaimPlacementsFunction1796627561592 } from './1796627561592-ClaimPlacementsFunction.js';

/**
 * The descriptor's affinity and anti-affinity groups (scope nfvi-node) instead of an implicit
 * anti-affinity among the VMs of one VDU. Each VM row records the groups it was claimed in
 * (fleet-wide names, `<vnf instance id>:<group id>`), written by the claim itself, so that the
 * fleet picture and the next claim's recheck see them; rows claimed before have none.
 *
 * claim_placements takes each item's groups as rows (item number, kind, name), as it takes claim
 * rows, and answers which group an item would break instead of a boolean. Anti-affinity is
 * rechecked on the item's host, which the claim has locked, as before. Affinity is broken on
 * another host, which no host lock covers: two claimers of one group could each see no member
 * and place on different hosts. So a claim first takes a transaction-level advisory lock per
 * affinity group it carries (in one order, so two claimers cannot wait on each other), and its
 * second statement, on a new snapshot, sees every member another claimer committed. The batch's
 * own items are checked against each other too: the worker decides them on one picture, and a
 * claim must not depend on that.
 */
const CREATE = `
CREATE FUNCTION claim_placements(
  item_vm uuid[], item_host uuid[], item_cell int[], item_page int[], item_need bigint[],
  group_items int[], group_kinds text[], group_names text[],
  claim_items int[], claim_kinds text[], claim_keys text[], claim_cells int[], claim_amounts int[], claim_ports int[]
) RETURNS TABLE (host_state text, available text, "fitsMemory" boolean, taken text, "groupConflict" text, placed boolean)
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
  PERFORM pg_advisory_xact_lock(k) FROM (
    SELECT DISTINCT hashtextextended('vim affinity ' || name, 0) AS k
    FROM unnest(group_kinds, group_names) AS g(kind, name) WHERE kind = 'affinity' ORDER BY 1) s;

  -- A host another claim holds is skipped, not waited for: its items are answered 'busy' at once.
  SELECT coalesce(array_agg(h.id), '{}'), coalesce(array_agg(h.id) FILTER (WHERE h.enabled AND h.reachability = 'UP'), '{}')
    INTO locked, usable
    FROM (SELECT id, enabled, reachability FROM hosts WHERE id = ANY(item_host) FOR UPDATE SKIP LOCKED) h;
  existing := locked;
  IF EXISTS (SELECT 1 FROM unnest(item_host) x WHERE x <> ALL(locked)) THEN
    existing := ARRAY(SELECT id FROM hosts WHERE id = ANY(item_host));
  END IF;

  -- Memory and the VM row's "hostId" as in 1796627561592-ClaimPlacementsFunction.
  RETURN QUERY
  WITH item AS (
    SELECT * FROM unnest(item_vm, item_host, item_cell, item_page, item_need)
      WITH ORDINALITY AS t(vm, host, cell, page, need, n)
  ),
  open_item AS (
    SELECT * FROM item WHERE host = ANY(usable)
  ),
  claim AS (
    SELECT * FROM unnest(claim_items, claim_kinds, claim_keys, claim_cells, claim_amounts, claim_ports) AS t(n, kind, key, cell, amount, port)
  ),
  member AS (
    SELECT * FROM unnest(group_items, group_kinds, group_names) AS t(n, kind, name)
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
  -- Anti-affinity: another member on this host; affinity: another member on another host. Other
  -- members are the instance's VM rows (group names start with the instance id) and the batch's items.
  conflict AS (
    SELECT DISTINCT ON (m.n) m.n, m.kind || ' ' || m.name AS what
    FROM open_item i JOIN member m ON m.n = i.n
    WHERE EXISTS (
        SELECT 1 FROM vdu_instances me JOIN vdu_instances other ON other."vnfInstanceId" = me."vnfInstanceId" AND other.id <> me.id
        WHERE me.id = i.vm AND CASE m.kind
          WHEN 'anti-affinity' THEN other."hostId" = i.host AND m.name = ANY(other."antiAffinityGroups")
          ELSE other."hostId" <> i.host AND m.name = ANY(other."affinityGroups") END)
      OR EXISTS (
        SELECT 1 FROM member o JOIN item j ON j.n = o.n
        WHERE o.n <> m.n AND o.kind = m.kind AND o.name = m.name AND j.vm <> i.vm
          AND CASE m.kind WHEN 'anti-affinity' THEN j.host = i.host ELSE j.host <> i.host END)
    ORDER BY m.n, m.kind, m.name
  ),
  verdict AS (
    SELECT i.n, i.vm, i.host, i.cell,
      p.available - (p.needed - i.need) AS available,
      coalesce(p.available, 0) >= p.needed AS fits_memory,
      (SELECT r.kind || ' ' || r.key FROM claim r JOIN resource_claims c
         ON c."hostId" = i.host AND c.kind = r.kind::claim_kind AND c."resourceKey" = r.key
       WHERE r.n = i.n AND r.kind IN ('CPU', 'VF', 'PMD_QUEUE') LIMIT 1) AS taken,
      (SELECT k.what FROM conflict k WHERE k.n = i.n) AS group_conflict
    FROM open_item i JOIN pool p ON p.n = i.n
  ),
  placed AS (
    UPDATE vdu_instances v SET "hostId" = x.host, "numaCell" = x.cell, state = 'PLACED', "updatedAt" = now(),
      "affinityGroups" = ARRAY(SELECT m.name FROM member m WHERE m.n = x.n AND m.kind = 'affinity' ORDER BY m.name),
      "antiAffinityGroups" = ARRAY(SELECT m.name FROM member m WHERE m.n = x.n AND m.kind = 'anti-affinity' ORDER BY m.name)
    FROM verdict x
    WHERE v.id = x.vm AND x.fits_memory AND x.taken IS NULL AND x.group_conflict IS NULL AND num_nulls(v."hostId") = 1
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
    x.available::text, x.fits_memory, x.taken, x.group_conflict, EXISTS (SELECT 1 FROM placed WHERE placed.id = i.vm)
  FROM item i LEFT JOIN verdict x ON x.n = i.n
  ORDER BY i.n;
END
$fn$`;

const OLD_ARGUMENTS = 'uuid[], uuid[], int[], int[], bigint[], boolean[], int[], text[], text[], int[], int[], int[]';
const ARGUMENTS = 'uuid[], uuid[], int[], int[], bigint[], int[], text[], text[], int[], text[], text[], int[], int[], int[]';

export class PlacementGroups1796662500000 implements MigrationInterface {
  name = 'PlacementGroups1796662500000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "vdu_instances" ADD "affinityGroups" text array NOT NULL DEFAULT '{}'`);
    await queryRunner.query(`ALTER TABLE "vdu_instances" ADD "antiAffinityGroups" text array NOT NULL DEFAULT '{}'`);
    await queryRunner.query(`DROP FUNCTION claim_placements(${OLD_ARGUMENTS})`);
    await queryRunner.query(CREATE);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP FUNCTION claim_placements(${ARGUMENTS})`);
    await new ClaimPlacementsFunction1796627561592().up(queryRunner);
    await queryRunner.query(`ALTER TABLE "vdu_instances" DROP COLUMN "antiAffinityGroups"`);
    await queryRunner.query(`ALTER TABLE "vdu_instances" DROP COLUMN "affinityGroups"`);
  }
}
