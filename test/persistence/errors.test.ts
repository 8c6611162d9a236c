import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Conflict, Invalid } from '#tribunal/contracts';
import { errorReply } from '#tribunal/core';
import { Database, domainErrorOf } from '#tribunal/persistence';
import { createTestDatabase } from '../support/postgres.js';

/** What a statement throws, to be translated. */
async function refusal(database: Database, text: string, parameters: unknown[] = []): Promise<unknown> {
  return database.dataSource.query(text, parameters).then(
    () => expect.fail(`${text} did not fail`),
    (error: unknown) => error,
  );
}

/** The refusals of both databases, as the database itself words them, translated by `domainErrorOf`. */
describe.each(['postgres', 'embedded'] as const)('PostgreSQL refusals translated (%s)', (kind) => {
  let database: Database;
  let drop: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    if (kind === 'postgres') {
      const created = await createTestDatabase();
      drop = created.drop;
      database = await Database.open({ kind: 'postgres', url: created.url, poolSize: 2 });
    } else {
      database = await Database.open({ kind: 'embedded', dataDir: undefined });
      await database.migrate();
    }
    await database.dataSource.query(`INSERT INTO users (name, role) VALUES ('ada', 'researcher')`);
  });
  afterAll(async () => {
    await database?.close();
    await drop?.();
  });

  it('a unique violation (23505) is a Conflict, answered 409 naming the value that exists', async () => {
    const error = await refusal(database, `INSERT INTO users (name, role) VALUES ('ada', 'judge')`);
    expect(domainErrorOf(error)).toBeInstanceOf(Conflict);
    expect(errorReply(error, () => expect.fail('not a fault'))).toEqual({
      status: 409,
      message: 'already exists: Key (name)=(ada) already exists.',
    });
  });

  it('a foreign key to nothing (23503) is Invalid, answered 400 naming the reference', async () => {
    const nobody = '6f1c2b8e-3d4a-4e5f-8a9b-0c1d2e3f4a5b';
    const error = await refusal(database, `INSERT INTO api_keys (user_id, prefix, key_hash) VALUES ($1, 'trb_x', 'h')`, [nobody]);
    expect(domainErrorOf(error)).toBeInstanceOf(Invalid);
    expect(errorReply(error, () => expect.fail('not a fault'))).toEqual({
      status: 400,
      message: `refers to something that does not exist: Key (user_id)=(${nobody}) is not present in table "users".`,
      problems: [`refers to something that does not exist: Key (user_id)=(${nobody}) is not present in table "users".`],
    });
  });

  it('removing a row still referred to (23503) is a Conflict', async () => {
    const [protocol] = await database.dataSource.query(
      `INSERT INTO protocols (name, version, kind, spec) VALUES ('p', 1, 'debate', '{}') RETURNING id`,
    );
    await database.dataSource.query(`INSERT INTO campaigns (name, protocol_id, concurrency) VALUES ('c', $1, 1)`, [protocol.id]);
    const error = await refusal(database, `DELETE FROM protocols WHERE id = $1`, [protocol.id]);
    expect(domainErrorOf(error)).toBeInstanceOf(Conflict);
    expect(errorReply(error, () => expect.fail('not a fault'))).toMatchObject({
      status: 409,
      message: expect.stringContaining('campaigns'),
    });
  });

  it('text that is not a value of its type (22P02) is Invalid, answered 400', async () => {
    const error = await refusal(database, `SELECT * FROM users WHERE id = $1`, ['not-a-uuid']);
    expect(domainErrorOf(error)).toBeInstanceOf(Invalid);
    expect(errorReply(error, () => expect.fail('not a fault'))).toMatchObject({
      status: 400,
      message: expect.stringMatching(/^invalid value: invalid input syntax for type uuid: "not-a-uuid"/),
    });
  });

  it('any other failure is a fault: 500, logged', async () => {
    const error = await refusal(database, `SELECT * FROM no_such_table`);
    const fault = vi.fn();
    expect(domainErrorOf(error)).toBeUndefined();
    expect(errorReply(error, fault)).toEqual({ status: 500, message: 'internal error' });
    expect(fault).toHaveBeenCalledWith(error);
  });
});
