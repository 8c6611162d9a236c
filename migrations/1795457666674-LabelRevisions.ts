import type { MigrationInterface, QueryRunner } from 'typeorm';

export class LabelRevisions1795457666674 implements MigrationInterface {
  name = 'LabelRevisions1795457666674';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "labels" ADD "revises" uuid`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "labels" DROP COLUMN "revises"`);
  }
}
