import type { MigrationInterface, QueryRunner } from 'typeorm';

// Nothing wrote service_chains before this migration (no API did), so its columns are replaced
// rather than carried over, and the old state values need no mapping.
export class ChainOperations1796720000000 implements MigrationInterface {
  name = 'ChainOperations1796720000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."IDX_2f7d27bc48ae2104867a995b2c"`);
    await queryRunner.query(`CREATE TYPE "public"."chain_operation" AS ENUM('CREATE', 'UPDATE', 'DELETE', 'REPAIR')`);
    await queryRunner.query(`CREATE TYPE "public"."chain_operation_state" AS ENUM('STARTING', 'PROCESSING', 'COMPLETED', 'FAILED')`);
    await queryRunner.query(`CREATE TABLE "chain_op_occs" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "tenantId" uuid NOT NULL, "chainId" uuid NOT NULL, "chainName" character varying(63) NOT NULL, "operation" "public"."chain_operation" NOT NULL, "operationState" "public"."chain_operation_state" NOT NULL DEFAULT 'STARTING', "isAutomaticInvocation" boolean NOT NULL DEFAULT false, "operationParams" jsonb NOT NULL DEFAULT '{}', "error" jsonb, "startTime" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "stateEnteredTime" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "createdAt" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updatedAt" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_917dfe720554c44dfd4dcb19277" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_59ae2bc72623e0f7b49f102534" ON "chain_op_occs"  ("tenantId") `);
    await queryRunner.query(`CREATE INDEX "IDX_212d6b3ed835d0a0e6a87b3ceb" ON "chain_op_occs"  ("chainId") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_chain_op_occs_one_active_per_chain" ON "chain_op_occs"  ("chainId") WHERE "operationState" IN ('STARTING', 'PROCESSING')`);
    await queryRunner.query(`ALTER TABLE "service_chains" DROP COLUMN "classifier"`);
    await queryRunner.query(`ALTER TABLE "service_chains" ADD "spec" jsonb NOT NULL`);
    await queryRunner.query(`ALTER TABLE "service_chains" ADD "stateReason" text`);
    await queryRunner.query(`ALTER TABLE "service_chains" ADD "generation" integer NOT NULL DEFAULT '0'`);
    await queryRunner.query(`ALTER TABLE "service_chains" ADD "installed" jsonb NOT NULL DEFAULT '[]'`);
    await queryRunner.query(`ALTER TABLE "service_chains" ADD "facts" jsonb`);
    await queryRunner.query(`ALTER TABLE "service_chains" ADD "counters" jsonb`);
    await queryRunner.query(`ALTER TABLE "service_chains" ADD "repairs" integer NOT NULL DEFAULT '0'`);
    await queryRunner.query(`ALTER TABLE "service_chains" ADD "lastRepairAt" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`ALTER TYPE "public"."chain_state" RENAME TO "chain_state_old"`);
    await queryRunner.query(`CREATE TYPE "public"."chain_state" AS ENUM('PENDING', 'ACTIVE', 'DEGRADED', 'ERROR', 'DELETING')`);
    await queryRunner.query(`ALTER TABLE "service_chains" ALTER COLUMN "state" DROP DEFAULT`);
    await queryRunner.query(`ALTER TABLE "service_chains" ALTER COLUMN "state" TYPE "public"."chain_state" USING "state"::"text"::"public"."chain_state"`);
    await queryRunner.query(`ALTER TABLE "service_chains" ALTER COLUMN "state" SET DEFAULT 'PENDING'`);
    await queryRunner.query(`DROP TYPE "public"."chain_state_old"`);
    await queryRunner.query(`CREATE UNIQUE INDEX "IDX_150c8d2219909ebeddde8eb6fc" ON "chain_hops"  ("chainId", "position", "vnfInstanceId") `);
    await queryRunner.query(`ALTER TABLE "chain_op_occs" ADD CONSTRAINT "FK_59ae2bc72623e0f7b49f102534e" FOREIGN KEY ("tenantId") REFERENCES "tenants"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "chain_op_occs" DROP CONSTRAINT "FK_59ae2bc72623e0f7b49f102534e"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_150c8d2219909ebeddde8eb6fc"`);
    await queryRunner.query(`CREATE TYPE "public"."chain_state_old" AS ENUM('PENDING', 'ACTIVE', 'FAILED', 'DELETING')`);
    await queryRunner.query(`ALTER TABLE "service_chains" ALTER COLUMN "state" DROP DEFAULT`);
    await queryRunner.query(`ALTER TABLE "service_chains" ALTER COLUMN "state" TYPE "public"."chain_state_old" USING "state"::"text"::"public"."chain_state_old"`);
    await queryRunner.query(`ALTER TABLE "service_chains" ALTER COLUMN "state" SET DEFAULT 'PENDING'`);
    await queryRunner.query(`DROP TYPE "public"."chain_state"`);
    await queryRunner.query(`ALTER TYPE "public"."chain_state_old" RENAME TO "chain_state"`);
    await queryRunner.query(`ALTER TABLE "service_chains" DROP COLUMN "lastRepairAt"`);
    await queryRunner.query(`ALTER TABLE "service_chains" DROP COLUMN "repairs"`);
    await queryRunner.query(`ALTER TABLE "service_chains" DROP COLUMN "counters"`);
    await queryRunner.query(`ALTER TABLE "service_chains" DROP COLUMN "facts"`);
    await queryRunner.query(`ALTER TABLE "service_chains" DROP COLUMN "installed"`);
    await queryRunner.query(`ALTER TABLE "service_chains" DROP COLUMN "generation"`);
    await queryRunner.query(`ALTER TABLE "service_chains" DROP COLUMN "stateReason"`);
    await queryRunner.query(`ALTER TABLE "service_chains" DROP COLUMN "spec"`);
    await queryRunner.query(`ALTER TABLE "service_chains" ADD "classifier" jsonb NOT NULL DEFAULT '{}'`);
    await queryRunner.query(`DROP INDEX "public"."uq_chain_op_occs_one_active_per_chain"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_212d6b3ed835d0a0e6a87b3ceb"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_59ae2bc72623e0f7b49f102534"`);
    await queryRunner.query(`DROP TABLE "chain_op_occs"`);
    await queryRunner.query(`DROP TYPE "public"."chain_operation_state"`);
    await queryRunner.query(`DROP TYPE "public"."chain_operation"`);
    await queryRunner.query(`CREATE UNIQUE INDEX "IDX_2f7d27bc48ae2104867a995b2c" ON "chain_hops" USING btree ("chainId", "position") `);
  }
}
