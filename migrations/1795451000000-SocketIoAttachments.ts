import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The table the socket.io PostgreSQL adapter and emitter use for payloads too large for NOTIFY. */
export class SocketIoAttachments1795451000000 implements MigrationInterface {
  name = 'SocketIoAttachments1795451000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "socket_io_attachments" ("id" bigserial UNIQUE, "created_at" TIMESTAMP WITH TIME ZONE DEFAULT now(), "payload" bytea)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "socket_io_attachments"`);
  }
}
