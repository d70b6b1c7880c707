import type { MigrationInterface, QueryRunner } from 'typeorm';

// Until API tokens exist every request acts for this tenant (id in libs/persistence default-tenant.ts).
export class SeedDefaultTenant1795570441592 implements MigrationInterface {
  name = 'SeedDefaultTenant1795570441592';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `INSERT INTO "tenants" ("id", "name") VALUES ('00000000-0000-4000-8000-000000000001', 'default') ON CONFLICT DO NOTHING`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DELETE FROM "tenants" WHERE "id" = '00000000-0000-4000-8000-000000000001'`);
  }
}
