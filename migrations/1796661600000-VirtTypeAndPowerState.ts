import type { MigrationInterface, QueryRunner } from 'typeorm';

export class VirtTypeAndPowerState1796661600000 implements MigrationInterface {
  name = 'VirtTypeAndPowerState1796661600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TYPE "public"."virt_type" AS ENUM('auto', 'kvm', 'qemu')`);
    await queryRunner.query(`ALTER TABLE "hosts" ADD "virtType" "public"."virt_type" NOT NULL DEFAULT 'auto'`);
    await queryRunner.query(`ALTER TABLE "vdu_instances" ADD "powerState" character varying(16)`);
    await queryRunner.query(`ALTER TABLE "vdu_instances" ADD "powerStateReason" character varying(64)`);
    await queryRunner.query(`ALTER TABLE "vdu_instances" ADD "powerStateAt" TIMESTAMP WITH TIME ZONE`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "vdu_instances" DROP COLUMN "powerStateAt"`);
    await queryRunner.query(`ALTER TABLE "vdu_instances" DROP COLUMN "powerStateReason"`);
    await queryRunner.query(`ALTER TABLE "vdu_instances" DROP COLUMN "powerState"`);
    await queryRunner.query(`ALTER TABLE "hosts" DROP COLUMN "virtType"`);
    await queryRunner.query(`DROP TYPE "public"."virt_type"`);
  }
}
