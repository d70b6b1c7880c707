import type { MigrationInterface, QueryRunner } from 'typeorm';

export class LifecycleFolders1795582218001 implements MigrationInterface {
  name = 'LifecycleFolders1795582218001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "hosts" ADD "vhostSocketDir" character varying(1024) NOT NULL DEFAULT '/var/run/vim-lite/vhost'`);
    await queryRunner.query(`ALTER TABLE "hosts" ADD "imageDir" character varying(1024) NOT NULL DEFAULT '/var/lib/vim-lite/images'`);
    await queryRunner.query(`ALTER TABLE "lcm_op_occs" ADD "timings" jsonb NOT NULL DEFAULT '{}'`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "lcm_op_occs" DROP COLUMN "timings"`);
    await queryRunner.query(`ALTER TABLE "hosts" DROP COLUMN "imageDir"`);
    await queryRunner.query(`ALTER TABLE "hosts" DROP COLUMN "vhostSocketDir"`);
  }
}
