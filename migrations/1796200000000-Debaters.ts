import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * People who speak for manual seats in the web app have a role of their own, `debater`. (Which seat a
 * person holds is recorded on the debate's seats.)
 */
export class Debaters1796200000000 implements MigrationInterface {
  name = 'Debaters1796200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TYPE "public"."user_role" ADD VALUE 'debater'`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TYPE "public"."user_role_old" AS ENUM('admin', 'researcher', 'judge', 'pipeline')`);
    await queryRunner.query(
      `ALTER TABLE "users" ALTER COLUMN "role" TYPE "public"."user_role_old" USING "role"::"text"::"public"."user_role_old"`,
    );
    await queryRunner.query(`DROP TYPE "public"."user_role"`);
    await queryRunner.query(`ALTER TYPE "public"."user_role_old" RENAME TO "user_role"`);
  }
}
