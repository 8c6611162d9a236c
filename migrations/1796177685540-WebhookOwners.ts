import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Webhooks belong to the user who created them: `created_by` references `users` (a webhook whose
 * creator is gone, or was never recorded, is null: seen by admins only) and is indexed for listing
 * a user's own. A `created_by` naming no user is cleared first, so the constraint holds.
 */
export class WebhookOwners1796177685540 implements MigrationInterface {
  name = 'WebhookOwners1796177685540';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `UPDATE "webhooks" SET "created_by" = NULL WHERE "created_by" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "users" WHERE "users"."id" = "webhooks"."created_by")`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_eb68180d7bcb926c84b0cafb44" ON "webhooks" ("created_by") `);
    await queryRunner.query(
      `ALTER TABLE "webhooks" ADD CONSTRAINT "FK_eb68180d7bcb926c84b0cafb447" FOREIGN KEY ("created_by") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "webhooks" DROP CONSTRAINT "FK_eb68180d7bcb926c84b0cafb447"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_eb68180d7bcb926c84b0cafb44"`);
  }
}
