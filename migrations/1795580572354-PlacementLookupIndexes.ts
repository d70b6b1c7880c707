import type { MigrationInterface, QueryRunner } from 'typeorm';

export class PlacementLookupIndexes1795580572354 implements MigrationInterface {
  name = 'PlacementLookupIndexes1795580572354';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX "IDX_d13686f32aafddf8ddaf89a552" ON "hosts"  ("updatedAt") `);
    await queryRunner.query(`CREATE INDEX "idx_resource_claims_host" ON "resource_claims"  ("hostId", "kind", "resourceKey") `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."idx_resource_claims_host"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_d13686f32aafddf8ddaf89a552"`);
  }
}
