import type { MigrationInterface, QueryRunner } from 'typeorm';

const DEFAULT_TENANT_ID = '00000000-0000-4000-8000-000000000001';

/**
 * Splits the admin role. Until now every admin could act on every tenant; the admin tokens of the
 * default tenant (the bootstrap token's and the token CLI's) keep that as platform-admin, and the
 * admin tokens of other tenants become admins of their own tenant only. The type is made anew
 * rather than extended, because a value added with ADD VALUE cannot be used in the same transaction.
 */
export class PlatformAdminRole1796700000000 implements MigrationInterface {
  name = 'PlatformAdminRole1796700000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TYPE "public"."role" RENAME TO "role_old"`);
    await queryRunner.query(`CREATE TYPE "public"."role" AS ENUM('platform-admin', 'admin', 'operator', 'viewer')`);
    await queryRunner.query(`ALTER TABLE "api_tokens" ALTER COLUMN "role" TYPE "public"."role" USING "role"::"text"::"public"."role"`);
    await queryRunner.query(`DROP TYPE "public"."role_old"`);
    await queryRunner.query(`UPDATE "api_tokens" SET "role" = 'platform-admin' WHERE "role" = 'admin' AND "tenantId" = $1`, [DEFAULT_TENANT_ID]);
  }

  /** Back to one admin role: platform administrators become the all-tenant admins they were. */
  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TYPE "public"."role_old" AS ENUM('admin', 'operator', 'viewer')`);
    await queryRunner.query(
      `ALTER TABLE "api_tokens" ALTER COLUMN "role" TYPE "public"."role_old" USING (CASE WHEN "role" = 'platform-admin' THEN 'admin' ELSE "role"::"text" END)::"public"."role_old"`,
    );
    await queryRunner.query(`DROP TYPE "public"."role"`);
    await queryRunner.query(`ALTER TYPE "public"."role_old" RENAME TO "role"`);
  }
}
