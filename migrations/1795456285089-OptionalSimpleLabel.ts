import type { MigrationInterface, QueryRunner } from 'typeorm';

export class OptionalSimpleLabel1795456285089 implements MigrationInterface {
  name = 'OptionalSimpleLabel1795456285089';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "items" ALTER COLUMN "simple_label" DROP NOT NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "items" ALTER COLUMN "simple_label" SET NOT NULL`);
  }
}
