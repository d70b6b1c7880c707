import type { MigrationInterface, QueryRunner } from 'typeorm';

export class HostCpuFeatures1796481537459 implements MigrationInterface {
  name = 'HostCpuFeatures1796481537459';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "hosts" ADD "disabledCpuFeatures" character varying array NOT NULL DEFAULT '{}'`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "hosts" DROP COLUMN "disabledCpuFeatures"`);
  }
}
