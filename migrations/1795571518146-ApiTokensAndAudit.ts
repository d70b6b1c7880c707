import type { MigrationInterface, QueryRunner } from 'typeorm';

export class ApiTokensAndAudit1795571518146 implements MigrationInterface {
  name = 'ApiTokensAndAudit1795571518146';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TYPE "public"."role" AS ENUM('admin', 'operator', 'viewer')`);
    await queryRunner.query(`CREATE TABLE "api_tokens" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "tenantId" uuid NOT NULL, "name" character varying(63) NOT NULL, "role" "public"."role" NOT NULL, "secretHash" character(64) NOT NULL, "expiresAt" TIMESTAMP WITH TIME ZONE, "revokedAt" TIMESTAMP WITH TIME ZONE, "createdAt" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_03b99893d4e65696c202f4c7c48" UNIQUE ("secretHash"), CONSTRAINT "PK_c587455266b5fa8dace7194caac" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_95ea600512b808611046d1eb1f" ON "api_tokens"  ("tenantId") `);
    await queryRunner.query(`CREATE TABLE "audit_events" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "tenantId" uuid, "tokenId" uuid, "role" character varying(16), "method" character varying(8) NOT NULL, "path" character varying(2048) NOT NULL, "status" integer NOT NULL, "requestId" character varying(64), CONSTRAINT "PK_910f64d901a5c3e9878f0d4a407" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_0fb995b4c49da29ecf6a3d9f1f" ON "audit_events"  ("tenantId", "at") `);
    await queryRunner.query(`ALTER TABLE "api_tokens" ADD CONSTRAINT "FK_95ea600512b808611046d1eb1f9" FOREIGN KEY ("tenantId") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "api_tokens" DROP CONSTRAINT "FK_95ea600512b808611046d1eb1f9"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_0fb995b4c49da29ecf6a3d9f1f"`);
    await queryRunner.query(`DROP TABLE "audit_events"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_95ea600512b808611046d1eb1f"`);
    await queryRunner.query(`DROP TABLE "api_tokens"`);
    await queryRunner.query(`DROP TYPE "public"."role"`);
  }
}
