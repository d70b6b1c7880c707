import type { MigrationInterface, QueryRunner } from 'typeorm';

export class ClaimCreatedAtIndex1795578492107 implements MigrationInterface {
  name = 'ClaimCreatedAtIndex1795578492107';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX "IDX_59a58751a9ba71588dab8da5c3" ON "resource_claims"  ("createdAt") `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."IDX_59a58751a9ba71588dab8da5c3"`);
  }
}
