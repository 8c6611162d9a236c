import type { MigrationInterface, QueryRunner } from 'typeorm';

export class JudgeNames1795457506718 implements MigrationInterface {
  name = 'JudgeNames1795457506718';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "judge_assignments" ADD "judge_name" text`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "judge_assignments" DROP COLUMN "judge_name"`);
  }
}
