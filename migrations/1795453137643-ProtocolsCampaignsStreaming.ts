import type { MigrationInterface, QueryRunner } from 'typeorm';

export class ProtocolsCampaignsStreaming1795453137643 implements MigrationInterface {
  name = 'ProtocolsCampaignsStreaming1795453137643';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "speech_drafts" ("debate_id" uuid NOT NULL, "index" integer NOT NULL, "seat" text NOT NULL, "text" text NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_c696ad75f487e98fb85f809a51d" PRIMARY KEY ("debate_id", "index"))`,
    );
    await queryRunner.query(`CREATE TYPE "public"."campaign_status" AS ENUM('running', 'completed', 'cancelled')`);
    await queryRunner.query(
      `CREATE TABLE "campaigns" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "name" text NOT NULL, "protocol_id" uuid NOT NULL, "status" "public"."campaign_status" NOT NULL DEFAULT 'running', "concurrency" integer NOT NULL, "created_by" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "finished_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_831e3fcd4fc45b4e4c3f57a9ee4" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "campaign_entries" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "campaign_id" uuid NOT NULL, "dispute_id" uuid NOT NULL, "position" integer NOT NULL, "debate_id" uuid, CONSTRAINT "campaign_entries_campaign_dispute" UNIQUE ("campaign_id", "dispute_id"), CONSTRAINT "PK_3de4ae16b700e702d878f5b946a" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_312ba11d988f11d34892e9a53e" ON "campaign_entries"  ("campaign_id") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "IDX_4841acfe89374babcf4eca3d39" ON "campaign_entries"  ("debate_id") `);
    await queryRunner.query(`ALTER TABLE "debates" ADD "campaign_id" uuid`);
    // Citations written before quotations existed all cite evidence by id.
    await queryRunner.query(`ALTER TABLE "citations" ADD "kind" text`);
    await queryRunner.query(`UPDATE "citations" SET "kind" = 'evidence'`);
    await queryRunner.query(`ALTER TABLE "citations" ALTER COLUMN "kind" SET NOT NULL`);
    await queryRunner.query(`ALTER TABLE "citations" ADD "quote" text`);
    await queryRunner.query(`ALTER TABLE "citations" ADD "score" real`);
    await queryRunner.query(`ALTER TABLE "citations" ADD "span_start" integer`);
    await queryRunner.query(`ALTER TABLE "citations" ADD "span_end" integer`);
    await queryRunner.query(`ALTER TABLE "citations" ADD "at_start" integer`);
    await queryRunner.query(`ALTER TABLE "citations" ADD "at_end" integer`);
    await queryRunner.query(`ALTER TABLE "verdicts" ADD "ends_debate" boolean NOT NULL DEFAULT false`);
    await queryRunner.query(`ALTER TABLE "citations" ALTER COLUMN "evidence_id" DROP NOT NULL`);
    await queryRunner.query(`ALTER TYPE "public"."judge_kind" ADD VALUE 'llm'`);
    await queryRunner.query(`CREATE INDEX "IDX_b1299528f388e7a3acdfa34963" ON "debates"  ("campaign_id") `);
    await queryRunner.query(
      `ALTER TABLE "speech_drafts" ADD CONSTRAINT "FK_15b352797f3d21f12e9e8c83988" FOREIGN KEY ("debate_id") REFERENCES "debates"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "campaigns" ADD CONSTRAINT "FK_ec89891fca64533c0c8e804cf06" FOREIGN KEY ("protocol_id") REFERENCES "protocols"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "campaign_entries" ADD CONSTRAINT "FK_312ba11d988f11d34892e9a53ef" FOREIGN KEY ("campaign_id") REFERENCES "campaigns"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "campaign_entries" ADD CONSTRAINT "FK_0298ee127b20c09534459f41998" FOREIGN KEY ("dispute_id") REFERENCES "disputes"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "campaign_entries" ADD CONSTRAINT "FK_4841acfe89374babcf4eca3d394" FOREIGN KEY ("debate_id") REFERENCES "debates"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "campaign_entries" DROP CONSTRAINT "FK_4841acfe89374babcf4eca3d394"`);
    await queryRunner.query(`ALTER TABLE "campaign_entries" DROP CONSTRAINT "FK_0298ee127b20c09534459f41998"`);
    await queryRunner.query(`ALTER TABLE "campaign_entries" DROP CONSTRAINT "FK_312ba11d988f11d34892e9a53ef"`);
    await queryRunner.query(`ALTER TABLE "campaigns" DROP CONSTRAINT "FK_ec89891fca64533c0c8e804cf06"`);
    await queryRunner.query(`ALTER TABLE "speech_drafts" DROP CONSTRAINT "FK_15b352797f3d21f12e9e8c83988"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_b1299528f388e7a3acdfa34963"`);
    await queryRunner.query(`CREATE TYPE "public"."judge_kind_old" AS ENUM('human', 'simulated')`);
    await queryRunner.query(
      `ALTER TABLE "judge_assignments" ALTER COLUMN "kind" TYPE "public"."judge_kind_old" USING "kind"::"text"::"public"."judge_kind_old"`,
    );
    await queryRunner.query(`DROP TYPE "public"."judge_kind"`);
    await queryRunner.query(`ALTER TYPE "public"."judge_kind_old" RENAME TO "judge_kind"`);
    await queryRunner.query(`ALTER TABLE "citations" ALTER COLUMN "evidence_id" SET NOT NULL`);
    await queryRunner.query(`ALTER TABLE "verdicts" DROP COLUMN "ends_debate"`);
    await queryRunner.query(`ALTER TABLE "citations" DROP COLUMN "at_end"`);
    await queryRunner.query(`ALTER TABLE "citations" DROP COLUMN "at_start"`);
    await queryRunner.query(`ALTER TABLE "citations" DROP COLUMN "span_end"`);
    await queryRunner.query(`ALTER TABLE "citations" DROP COLUMN "span_start"`);
    await queryRunner.query(`ALTER TABLE "citations" DROP COLUMN "score"`);
    await queryRunner.query(`ALTER TABLE "citations" DROP COLUMN "quote"`);
    await queryRunner.query(`ALTER TABLE "citations" DROP COLUMN "kind"`);
    await queryRunner.query(`ALTER TABLE "debates" DROP COLUMN "campaign_id"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_4841acfe89374babcf4eca3d39"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_312ba11d988f11d34892e9a53e"`);
    await queryRunner.query(`DROP TABLE "campaign_entries"`);
    await queryRunner.query(`DROP TABLE "campaigns"`);
    await queryRunner.query(`DROP TYPE "public"."campaign_status"`);
    await queryRunner.query(`DROP TABLE "speech_drafts"`);
  }
}
