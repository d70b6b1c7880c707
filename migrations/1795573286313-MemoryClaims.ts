import type { MigrationInterface, QueryRunner } from 'typeorm';

export class MemoryClaims1795573286313 implements MigrationInterface {
  name = 'MemoryClaims1795573286313';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."uq_resource_claims_exclusive"`);
    await queryRunner.query(`ALTER TYPE "public"."claim_kind" ADD VALUE 'MEMORY'`);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_resource_claims_exclusive" ON "resource_claims"  ("hostId", "kind", "resourceKey") WHERE "kind" IN ('CPU', 'VF', 'PMD_QUEUE')`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."uq_resource_claims_exclusive"`);
    await queryRunner.query(`CREATE TYPE "public"."claim_kind_old" AS ENUM('CPU', 'VF', 'PMD_QUEUE', 'HUGEPAGES')`);
    await queryRunner.query(`ALTER TABLE "resource_claims" ALTER COLUMN "kind" TYPE "public"."claim_kind_old" USING "kind"::"text"::"public"."claim_kind_old"`);
    await queryRunner.query(`DROP TYPE "public"."claim_kind"`);
    await queryRunner.query(`ALTER TYPE "public"."claim_kind_old" RENAME TO "claim_kind"`);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_resource_claims_exclusive" ON "resource_claims" USING btree ("hostId", "kind", "resourceKey") WHERE (kind <> 'HUGEPAGES'::claim_kind)`);
  }
}
