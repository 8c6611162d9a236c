import type { MigrationInterface, QueryRunner } from 'typeorm';

export class ModelTraining1795460637146 implements MigrationInterface {
  name = 'ModelTraining1795460637146';

  async up(queryRunner: QueryRunner): Promise<void> {
    // model_versions and training_jobs had no writer before this migration, so they are empty and the
    // NOT NULL columns added to them need no default.
    await queryRunner.query(
      `CREATE TABLE "scoring_runs" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "model_version_id" uuid NOT NULL, "dataset_id" uuid NOT NULL, "status" text NOT NULL DEFAULT 'queued', "selection" jsonb, "scored" integer NOT NULL DEFAULT '0', "total" integer NOT NULL DEFAULT '0', "disputes_created" integer, "error" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "finished_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_65e449ee5150d76d02cb7975de0" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_abda71ac8b703e8767a4b8a666" ON "scoring_runs"  ("model_version_id") `);
    await queryRunner.query(`CREATE INDEX "IDX_b4ac9388fe01a90a4932e26fda" ON "scoring_runs"  ("dataset_id") `);
    await queryRunner.query(`ALTER TABLE "datasets" ADD "model_policy" jsonb NOT NULL DEFAULT '{}'`);
    await queryRunner.query(`ALTER TABLE "model_versions" ADD "dataset_id" uuid NOT NULL`);
    await queryRunner.query(`ALTER TABLE "model_versions" ADD "training_job_id" uuid`);
    await queryRunner.query(`ALTER TABLE "model_versions" ADD "promoted_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`ALTER TABLE "training_jobs" ADD "dataset_id" uuid NOT NULL`);
    await queryRunner.query(`ALTER TABLE "training_jobs" ADD "trigger" text NOT NULL DEFAULT 'manual'`);
    await queryRunner.query(`ALTER TABLE "training_jobs" ADD "snapshot" jsonb`);
    await queryRunner.query(`ALTER TABLE "training_jobs" ADD "progress" jsonb NOT NULL DEFAULT '[]'`);
    await queryRunner.query(`ALTER TABLE "training_jobs" ADD "checkpoint" bytea`);
    await queryRunner.query(`ALTER TABLE "training_jobs" ADD "checkpoint_step" integer`);
    await queryRunner.query(`ALTER TABLE "training_jobs" ADD "device" text`);
    await queryRunner.query(`CREATE INDEX "IDX_ef272b950ce3c2039133adb8b8" ON "model_versions"  ("dataset_id") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "model_versions_one_active" ON "model_versions"  ("dataset_id") WHERE status = 'active'`);
    await queryRunner.query(`CREATE INDEX "IDX_3a88799101749ac9eb448309a6" ON "training_jobs"  ("dataset_id") `);
    await queryRunner.query(
      `ALTER TABLE "model_versions" ADD CONSTRAINT "FK_ef272b950ce3c2039133adb8b81" FOREIGN KEY ("dataset_id") REFERENCES "datasets"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "training_jobs" ADD CONSTRAINT "FK_3a88799101749ac9eb448309a6a" FOREIGN KEY ("dataset_id") REFERENCES "datasets"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "scoring_runs" ADD CONSTRAINT "FK_abda71ac8b703e8767a4b8a666a" FOREIGN KEY ("model_version_id") REFERENCES "model_versions"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "scoring_runs" ADD CONSTRAINT "FK_b4ac9388fe01a90a4932e26fdaf" FOREIGN KEY ("dataset_id") REFERENCES "datasets"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "scoring_runs" DROP CONSTRAINT "FK_b4ac9388fe01a90a4932e26fdaf"`);
    await queryRunner.query(`ALTER TABLE "scoring_runs" DROP CONSTRAINT "FK_abda71ac8b703e8767a4b8a666a"`);
    await queryRunner.query(`ALTER TABLE "training_jobs" DROP CONSTRAINT "FK_3a88799101749ac9eb448309a6a"`);
    await queryRunner.query(`ALTER TABLE "model_versions" DROP CONSTRAINT "FK_ef272b950ce3c2039133adb8b81"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_3a88799101749ac9eb448309a6"`);
    await queryRunner.query(`DROP INDEX "public"."model_versions_one_active"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_ef272b950ce3c2039133adb8b8"`);
    await queryRunner.query(`ALTER TABLE "training_jobs" DROP COLUMN "device"`);
    await queryRunner.query(`ALTER TABLE "training_jobs" DROP COLUMN "checkpoint_step"`);
    await queryRunner.query(`ALTER TABLE "training_jobs" DROP COLUMN "checkpoint"`);
    await queryRunner.query(`ALTER TABLE "training_jobs" DROP COLUMN "progress"`);
    await queryRunner.query(`ALTER TABLE "training_jobs" DROP COLUMN "snapshot"`);
    await queryRunner.query(`ALTER TABLE "training_jobs" DROP COLUMN "trigger"`);
    await queryRunner.query(`ALTER TABLE "training_jobs" DROP COLUMN "dataset_id"`);
    await queryRunner.query(`ALTER TABLE "model_versions" DROP COLUMN "promoted_at"`);
    await queryRunner.query(`ALTER TABLE "model_versions" DROP COLUMN "training_job_id"`);
    await queryRunner.query(`ALTER TABLE "model_versions" DROP COLUMN "dataset_id"`);
    await queryRunner.query(`ALTER TABLE "datasets" DROP COLUMN "model_policy"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_b4ac9388fe01a90a4932e26fda"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_abda71ac8b703e8767a4b8a666"`);
    await queryRunner.query(`DROP TABLE "scoring_runs"`);
  }
}
