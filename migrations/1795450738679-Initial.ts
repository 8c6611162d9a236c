import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Initial1795450738679 implements MigrationInterface {
  name = 'Initial1795450738679';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "datasets" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "name" text NOT NULL, "source" text NOT NULL, "params" jsonb NOT NULL DEFAULT '{}', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_1bf831e43c559a240303e23d038" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "IDX_4a40dadf87d8be1c12c51a13f1" ON "datasets"  ("name") `);
    await queryRunner.query(
      `CREATE TABLE "items" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "dataset_id" uuid NOT NULL, "external_id" text NOT NULL, "context" jsonb NOT NULL, "evidence" jsonb NOT NULL, "question" text NOT NULL, "answers" jsonb NOT NULL, "simple_label" integer NOT NULL, "ground_truth" integer, "features" real array, "meta" jsonb NOT NULL DEFAULT '{}', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "items_dataset_external" UNIQUE ("dataset_id", "external_id"), CONSTRAINT "PK_ba5885359424c15ca6b9e79bcf6" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_144a09feb0793cf088cfd563c2" ON "items"  ("dataset_id") `);
    await queryRunner.query(`CREATE TYPE "public"."model_version_status" AS ENUM('candidate', 'active', 'retired')`);
    await queryRunner.query(
      `CREATE TABLE "model_versions" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "name" text NOT NULL, "status" "public"."model_version_status" NOT NULL DEFAULT 'candidate', "sha256" text, "onnx" bytea, "config" jsonb NOT NULL DEFAULT '{}', "evaluation" jsonb NOT NULL DEFAULT '{}', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_77c0256872dcc26394dba4b87ec" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "IDX_2f86f4038e5c57684df6e5e2be" ON "model_versions"  ("name") `);
    await queryRunner.query(
      `CREATE TABLE "predictions" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "model_version_id" uuid NOT NULL, "item_id" uuid NOT NULL, "intended" real array NOT NULL, "instrumental" real array NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "predictions_version_item" UNIQUE ("model_version_id", "item_id"), CONSTRAINT "PK_b92c9e4db595214b289f5e28adc" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_976499b6924bb0f6f2ad87d83c" ON "predictions"  ("item_id") `);
    await queryRunner.query(`CREATE TYPE "public"."training_job_status" AS ENUM('queued', 'running', 'completed', 'failed', 'cancelled')`);
    await queryRunner.query(
      `CREATE TABLE "training_jobs" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "status" "public"."training_job_status" NOT NULL DEFAULT 'queued', "config" jsonb NOT NULL DEFAULT '{}', "model_version_id" uuid, "error" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "started_at" TIMESTAMP WITH TIME ZONE, "finished_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_8596b9a44ae04a393792936a05b" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE TYPE "public"."dispute_status" AS ENUM('open', 'debating', 'labelled', 'unresolved')`);
    await queryRunner.query(
      `CREATE TABLE "disputes" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "item_id" uuid NOT NULL, "reasons" jsonb NOT NULL, "status" "public"."dispute_status" NOT NULL DEFAULT 'open', "model_version_id" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_3c97580d01c1a4b0b345c42a107" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_c79a6a13325333c716180daae8" ON "disputes"  ("item_id") `);
    await queryRunner.query(`CREATE TYPE "public"."protocol_kind" AS ENUM('debate', 'consultancy', 'interactive', 'direct')`);
    await queryRunner.query(
      `CREATE TABLE "protocols" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "name" text NOT NULL, "version" integer NOT NULL, "kind" "public"."protocol_kind" NOT NULL, "spec" jsonb NOT NULL, "created_by" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "locked_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "protocols_name_version" UNIQUE ("name", "version"), CONSTRAINT "PK_69900eec42c88582ac8affff3e1" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE TYPE "public"."debate_status" AS ENUM('pending', 'running', 'awaiting_judges', 'judging', 'completed', 'failed')`,
    );
    await queryRunner.query(
      `CREATE TABLE "debates" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "dispute_id" uuid NOT NULL, "item_id" uuid NOT NULL, "protocol_id" uuid NOT NULL, "status" "public"."debate_status" NOT NULL DEFAULT 'pending', "seats" jsonb NOT NULL, "failure_reason" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "ended_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_c01c82ece83e680c12b20e2ef9e" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_6a0684866b29fcb3a58c59eca5" ON "debates"  ("dispute_id") `);
    await queryRunner.query(`CREATE INDEX "IDX_62920feecb9ebbd51c1e7efcaa" ON "debates"  ("item_id") `);
    await queryRunner.query(`CREATE INDEX "IDX_bf770d0852d30e5a2ab9b36fd3" ON "debates"  ("status") `);
    await queryRunner.query(
      `CREATE TABLE "turns" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "debate_id" uuid NOT NULL, "index" integer NOT NULL, "round" integer NOT NULL, "seat" text NOT NULL, "text" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "turns_debate_index" UNIQUE ("debate_id", "index"), CONSTRAINT "PK_66edaea493f45e3c39d7c3553ed" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "citations" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "turn_id" uuid NOT NULL, "evidence_id" text NOT NULL, "verified" boolean NOT NULL, "excerpt" text, CONSTRAINT "PK_3ac0e933616c270f79f04cfc9fc" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_4f1a641fab3e3f858f412ab8cc" ON "citations"  ("turn_id") `);
    await queryRunner.query(`CREATE TYPE "public"."user_role" AS ENUM('admin', 'researcher', 'judge', 'pipeline')`);
    await queryRunner.query(
      `CREATE TABLE "users" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "name" text NOT NULL, "role" "public"."user_role" NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_a3ffb1c0c8416b9fc6f907b7433" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "IDX_51b8b26ac168fbe7d6f5653e6c" ON "users"  ("name") `);
    await queryRunner.query(
      `CREATE TABLE "api_keys" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "user_id" uuid NOT NULL, "prefix" text NOT NULL, "key_hash" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "revoked_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_5c8a79801b44bd27b79228e1dad" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "IDX_57384430aa1959f4578046c9b8" ON "api_keys"  ("key_hash") `);
    await queryRunner.query(`CREATE TYPE "public"."judge_kind" AS ENUM('human', 'simulated')`);
    await queryRunner.query(
      `CREATE TABLE "judge_assignments" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "debate_id" uuid NOT NULL, "slot" integer NOT NULL, "kind" "public"."judge_kind" NOT NULL, "judge_id" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "judge_assignments_debate_slot" UNIQUE ("debate_id", "slot"), CONSTRAINT "PK_b2f2a5dac77c026cc260a7d7df5" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_b7f46132d39f73dc0c986c2086" ON "judge_assignments"  ("debate_id") `);
    await queryRunner.query(`CREATE INDEX "IDX_960f6e37b18343355c63e4f687" ON "judge_assignments"  ("judge_id") `);
    await queryRunner.query(
      `CREATE TABLE "verdicts" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "assignment_id" uuid NOT NULL, "debate_id" uuid NOT NULL, "stage" text NOT NULL, "probabilities" double precision array NOT NULL, "note" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "verdicts_assignment_round" UNIQUE ("assignment_id", "stage"), CONSTRAINT "PK_2c4a14769fb5ae0dac9cafbb941" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_3e0b5889f7cd0138b1f488a828" ON "verdicts"  ("debate_id") `);
    await queryRunner.query(
      `CREATE TABLE "labels" ("seq" bigint NOT NULL, "id" uuid NOT NULL DEFAULT gen_random_uuid(), "item_id" uuid NOT NULL, "dataset_id" uuid NOT NULL, "answer" integer NOT NULL, "distribution" double precision array NOT NULL, "method" text NOT NULL, "agrees_with_simple" boolean NOT NULL, "provenance" jsonb NOT NULL, "schema_version" integer NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_57822349c07bfdb51fc38cf09ab" PRIMARY KEY ("seq"))`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "IDX_c0c4e97f76f1f3a268c7a70b92" ON "labels"  ("id") `);
    await queryRunner.query(`CREATE INDEX "IDX_08169525b3a4e9aeae676b9656" ON "labels"  ("item_id") `);
    await queryRunner.query(`CREATE INDEX "IDX_4a56a44af24a77e512b672f07d" ON "labels"  ("dataset_id") `);
    await queryRunner.query(
      `ALTER TABLE "items" ADD CONSTRAINT "FK_144a09feb0793cf088cfd563c28" FOREIGN KEY ("dataset_id") REFERENCES "datasets"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "predictions" ADD CONSTRAINT "FK_e9989fd001ef202504fb8edce1d" FOREIGN KEY ("model_version_id") REFERENCES "model_versions"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "predictions" ADD CONSTRAINT "FK_976499b6924bb0f6f2ad87d83c7" FOREIGN KEY ("item_id") REFERENCES "items"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "training_jobs" ADD CONSTRAINT "FK_3926857fcf5ef37fa95d06cbe52" FOREIGN KEY ("model_version_id") REFERENCES "model_versions"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "disputes" ADD CONSTRAINT "FK_c79a6a13325333c716180daae86" FOREIGN KEY ("item_id") REFERENCES "items"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "disputes" ADD CONSTRAINT "FK_11901e52b1c07ad236bc8aac37d" FOREIGN KEY ("model_version_id") REFERENCES "model_versions"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "debates" ADD CONSTRAINT "FK_6a0684866b29fcb3a58c59eca53" FOREIGN KEY ("dispute_id") REFERENCES "disputes"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "debates" ADD CONSTRAINT "FK_62920feecb9ebbd51c1e7efcaac" FOREIGN KEY ("item_id") REFERENCES "items"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "debates" ADD CONSTRAINT "FK_3c7735225c05a678443f9209091" FOREIGN KEY ("protocol_id") REFERENCES "protocols"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "turns" ADD CONSTRAINT "FK_16966e3414d37b7a083a69b1a36" FOREIGN KEY ("debate_id") REFERENCES "debates"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "citations" ADD CONSTRAINT "FK_4f1a641fab3e3f858f412ab8cc8" FOREIGN KEY ("turn_id") REFERENCES "turns"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "api_keys" ADD CONSTRAINT "FK_a3baee01d8408cd3c0f89a9a973" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "judge_assignments" ADD CONSTRAINT "FK_b7f46132d39f73dc0c986c20865" FOREIGN KEY ("debate_id") REFERENCES "debates"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "judge_assignments" ADD CONSTRAINT "FK_960f6e37b18343355c63e4f6876" FOREIGN KEY ("judge_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "verdicts" ADD CONSTRAINT "FK_829404c97f371583299b9bf191d" FOREIGN KEY ("assignment_id") REFERENCES "judge_assignments"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "labels" ADD CONSTRAINT "FK_08169525b3a4e9aeae676b9656f" FOREIGN KEY ("item_id") REFERENCES "items"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "labels" ADD CONSTRAINT "FK_4a56a44af24a77e512b672f07dc" FOREIGN KEY ("dataset_id") REFERENCES "datasets"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "labels" DROP CONSTRAINT "FK_4a56a44af24a77e512b672f07dc"`);
    await queryRunner.query(`ALTER TABLE "labels" DROP CONSTRAINT "FK_08169525b3a4e9aeae676b9656f"`);
    await queryRunner.query(`ALTER TABLE "verdicts" DROP CONSTRAINT "FK_829404c97f371583299b9bf191d"`);
    await queryRunner.query(`ALTER TABLE "judge_assignments" DROP CONSTRAINT "FK_960f6e37b18343355c63e4f6876"`);
    await queryRunner.query(`ALTER TABLE "judge_assignments" DROP CONSTRAINT "FK_b7f46132d39f73dc0c986c20865"`);
    await queryRunner.query(`ALTER TABLE "api_keys" DROP CONSTRAINT "FK_a3baee01d8408cd3c0f89a9a973"`);
    await queryRunner.query(`ALTER TABLE "citations" DROP CONSTRAINT "FK_4f1a641fab3e3f858f412ab8cc8"`);
    await queryRunner.query(`ALTER TABLE "turns" DROP CONSTRAINT "FK_16966e3414d37b7a083a69b1a36"`);
    await queryRunner.query(`ALTER TABLE "debates" DROP CONSTRAINT "FK_3c7735225c05a678443f9209091"`);
    await queryRunner.query(`ALTER TABLE "debates" DROP CONSTRAINT "FK_62920feecb9ebbd51c1e7efcaac"`);
    await queryRunner.query(`ALTER TABLE "debates" DROP CONSTRAINT "FK_6a0684866b29fcb3a58c59eca53"`);
    await queryRunner.query(`ALTER TABLE "disputes" DROP CONSTRAINT "FK_11901e52b1c07ad236bc8aac37d"`);
    await queryRunner.query(`ALTER TABLE "disputes" DROP CONSTRAINT "FK_c79a6a13325333c716180daae86"`);
    await queryRunner.query(`ALTER TABLE "training_jobs" DROP CONSTRAINT "FK_3926857fcf5ef37fa95d06cbe52"`);
    await queryRunner.query(`ALTER TABLE "predictions" DROP CONSTRAINT "FK_976499b6924bb0f6f2ad87d83c7"`);
    await queryRunner.query(`ALTER TABLE "predictions" DROP CONSTRAINT "FK_e9989fd001ef202504fb8edce1d"`);
    await queryRunner.query(`ALTER TABLE "items" DROP CONSTRAINT "FK_144a09feb0793cf088cfd563c28"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_4a56a44af24a77e512b672f07d"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_08169525b3a4e9aeae676b9656"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_c0c4e97f76f1f3a268c7a70b92"`);
    await queryRunner.query(`DROP TABLE "labels"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_3e0b5889f7cd0138b1f488a828"`);
    await queryRunner.query(`DROP TABLE "verdicts"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_960f6e37b18343355c63e4f687"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_b7f46132d39f73dc0c986c2086"`);
    await queryRunner.query(`DROP TABLE "judge_assignments"`);
    await queryRunner.query(`DROP TYPE "public"."judge_kind"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_57384430aa1959f4578046c9b8"`);
    await queryRunner.query(`DROP TABLE "api_keys"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_51b8b26ac168fbe7d6f5653e6c"`);
    await queryRunner.query(`DROP TABLE "users"`);
    await queryRunner.query(`DROP TYPE "public"."user_role"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_4f1a641fab3e3f858f412ab8cc"`);
    await queryRunner.query(`DROP TABLE "citations"`);
    await queryRunner.query(`DROP TABLE "turns"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_bf770d0852d30e5a2ab9b36fd3"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_62920feecb9ebbd51c1e7efcaa"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_6a0684866b29fcb3a58c59eca5"`);
    await queryRunner.query(`DROP TABLE "debates"`);
    await queryRunner.query(`DROP TYPE "public"."debate_status"`);
    await queryRunner.query(`DROP TABLE "protocols"`);
    await queryRunner.query(`DROP TYPE "public"."protocol_kind"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_c79a6a13325333c716180daae8"`);
    await queryRunner.query(`DROP TABLE "disputes"`);
    await queryRunner.query(`DROP TYPE "public"."dispute_status"`);
    await queryRunner.query(`DROP TABLE "training_jobs"`);
    await queryRunner.query(`DROP TYPE "public"."training_job_status"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_976499b6924bb0f6f2ad87d83c"`);
    await queryRunner.query(`DROP TABLE "predictions"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_2f86f4038e5c57684df6e5e2be"`);
    await queryRunner.query(`DROP TABLE "model_versions"`);
    await queryRunner.query(`DROP TYPE "public"."model_version_status"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_144a09feb0793cf088cfd563c2"`);
    await queryRunner.query(`DROP TABLE "items"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_4a40dadf87d8be1c12c51a13f1"`);
    await queryRunner.query(`DROP TABLE "datasets"`);
  }
}
