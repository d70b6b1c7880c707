import type { MigrationInterface, QueryRunner } from 'typeorm';

export class ClaimPortIndex1795574644735 implements MigrationInterface {
  name = 'ClaimPortIndex1795574644735';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "resource_claims" ADD "portIndex" integer`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "resource_claims" DROP COLUMN "portIndex"`);
  }
}
