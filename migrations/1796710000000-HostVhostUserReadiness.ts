import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Discovery's verdict on a host's vhost-user ports (issue 18): null until the next discovery. */
export class HostVhostUserReadiness1796710000000 implements MigrationInterface {
  name = 'HostVhostUserReadiness1796710000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "hosts" ADD "vhostUserReady" boolean`);
    await queryRunner.query(`ALTER TABLE "hosts" ADD "vhostUserProblem" text`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "hosts" DROP COLUMN "vhostUserProblem"`);
    await queryRunner.query(`ALTER TABLE "hosts" DROP COLUMN "vhostUserReady"`);
  }
}
