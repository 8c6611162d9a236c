import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Experiments1795466711837 implements MigrationInterface {
  name = 'Experiments1795466711837';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "experiments" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "name" text NOT NULL, "config" jsonb NOT NULL, "results" jsonb NOT NULL, "summary" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_aafe1321d916fac58ba06ad8178" PRIMARY KEY ("id"))`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "experiments"`);
  }
}
