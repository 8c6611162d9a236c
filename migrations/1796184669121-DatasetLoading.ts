import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Datasets load in chunks, each committed by itself: `status` is `loading` until the last one,
 * `loading_total` says how many items the load will have, and `loading_until` is the lease a live
 * load renews with every chunk. Every existing dataset is `ready`.
 */
export class DatasetLoading1796184669121 implements MigrationInterface {
  name = 'DatasetLoading1796184669121';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "datasets" ADD "status" text NOT NULL DEFAULT 'ready'`);
    await queryRunner.query(`ALTER TABLE "datasets" ADD "loading_total" integer`);
    await queryRunner.query(`ALTER TABLE "datasets" ADD "loading_until" TIMESTAMP WITH TIME ZONE`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "datasets" DROP COLUMN "loading_until"`);
    await queryRunner.query(`ALTER TABLE "datasets" DROP COLUMN "loading_total"`);
    await queryRunner.query(`ALTER TABLE "datasets" DROP COLUMN "status"`);
  }
}
