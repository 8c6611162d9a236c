import { QueryFailedError } from 'typeorm';
import { describe, expect, it, vi } from 'vitest';
import {
  Conflict,
  ContractViolation,
  domainError,
  DomainError,
  ERROR_KINDS,
  errorKindOfStatus,
  EXIT_CODES,
  Forbidden,
  Invalid,
  NotFound,
  TooMany,
  Unavailable,
  type ErrorKind,
} from '#tribunal/contracts';
import { domainErrorOf } from '#tribunal/persistence';
import { errorReply } from '../src/errors.js';

/** A refusal as TypeORM hands it on: the driver's error, with PostgreSQL's SQLSTATE and detail. */
function queryFailed(code: string, detail?: string, message = 'the statement failed'): QueryFailedError {
  return new QueryFailedError('INSERT …', [], Object.assign(new Error(message), { code, detail }));
}

describe('the error kinds', () => {
  it('map each kind to one HTTP status and one exit code, none shared and none taken by success, faults or usage', () => {
    expect(ERROR_KINDS).toEqual({
      invalid: { status: 400, exitCode: 3 },
      'not-found': { status: 404, exitCode: 4 },
      conflict: { status: 409, exitCode: 5 },
      forbidden: { status: 403, exitCode: 6 },
      'too-many': { status: 429, exitCode: 7 },
      unavailable: { status: 503, exitCode: 8 },
    });
    const exits = Object.values(ERROR_KINDS).map((k) => k.exitCode);
    expect(new Set(exits).size).toBe(exits.length);
    for (const code of Object.values(EXIT_CODES)) expect(exits).not.toContain(code);
    const statuses = Object.values(ERROR_KINDS).map((k) => k.status);
    expect(new Set(statuses).size).toBe(statuses.length);
  });

  it('are what each domain error says it is, and what a client makes of a status', () => {
    const errors: [DomainError, ErrorKind][] = [
      [new Invalid('x'), 'invalid'],
      [new NotFound('x'), 'not-found'],
      [new Conflict('x'), 'conflict'],
      [new Forbidden('x'), 'forbidden'],
      [new TooMany('x', 3), 'too-many'],
      [new Unavailable('x'), 'unavailable'],
    ];
    for (const [error, kind] of errors) {
      expect(error.kind).toBe(kind);
      expect(errorKindOfStatus(ERROR_KINDS[kind].status)).toBe(kind);
      const back = domainError(kind, 'said so');
      expect([back.kind, back.message]).toEqual([kind, 'said so']);
    }
    expect(errorKindOfStatus(401)).toBeUndefined();
    expect(errorKindOfStatus(500)).toBeUndefined();
  });

  it('Invalid names every problem, its message joining them', () => {
    const invalid = new Invalid(['a must be a number', 'b is not a field']);
    expect(invalid.problems).toEqual(['a must be a number', 'b is not a field']);
    expect(invalid.message).toBe('a must be a number; b is not a field');
    expect(new Invalid('one problem').problems).toEqual(['one problem']);
    // A contract's violation is invalid input like any other.
    expect(new ContractViolation(['spec.x is wrong'])).toBeInstanceOf(Invalid);
  });
});

describe('the translation of PostgreSQL refusals', () => {
  it('a unique violation (23505) is a Conflict naming the value that exists', () => {
    const error = domainErrorOf(queryFailed('23505', 'Key (name)=(ada) already exists.'));
    expect(error).toBeInstanceOf(Conflict);
    expect(error!.message).toBe('already exists: Key (name)=(ada) already exists.');
  });

  it('a foreign-key violation (23503) is Invalid naming the reference, or a Conflict when a row still in use is removed', () => {
    const missing = domainErrorOf(
      queryFailed('23503', 'Key (user_id)=(6f1c2b8e-3d4a-4e5f-8a9b-0c1d2e3f4a5b) is not present in table "users".'),
    );
    expect(missing).toBeInstanceOf(Invalid);
    expect(missing!.message).toBe(
      'refers to something that does not exist: Key (user_id)=(6f1c2b8e-3d4a-4e5f-8a9b-0c1d2e3f4a5b) is not present in table "users".',
    );
    const used = domainErrorOf(queryFailed('23503', 'Key (id)=(p1) is still referenced from table "campaigns".'));
    expect(used).toBeInstanceOf(Conflict);
    expect(used!.message).toBe('still in use: Key (id)=(p1) is still referenced from table "campaigns".');
    // As the embedded database reports a key declared ON DELETE RESTRICT.
    expect(domainErrorOf(queryFailed('23001', 'Key (id)=(p1) is referenced from table "campaigns".'))).toBeInstanceOf(Conflict);
  });

  it('a data exception (class 22: 22P02, 22003) is Invalid with the database message', () => {
    const syntax = domainErrorOf(queryFailed('22P02', undefined, 'invalid input syntax for type uuid: "nope"'));
    expect(syntax).toBeInstanceOf(Invalid);
    expect(syntax!.message).toBe('invalid value: invalid input syntax for type uuid: "nope"');
    expect(domainErrorOf(queryFailed('22003', undefined, 'integer out of range'))).toBeInstanceOf(Invalid);
  });

  it('anything else is no refusal: a deadlock, a missing table, a plain error', () => {
    expect(domainErrorOf(queryFailed('40P01'))).toBeUndefined();
    expect(domainErrorOf(queryFailed('42P01'))).toBeUndefined();
    expect(domainErrorOf(new Error('boom'))).toBeUndefined();
    expect(domainErrorOf('boom')).toBeUndefined();
  });

  it('a domain error is itself', () => {
    const error = new NotFound('dataset d does not exist');
    expect(domainErrorOf(error)).toBe(error);
  });
});

describe('the one mapping to a reply', () => {
  it('answers a refusal with its kind’s status and its message, an invalid one with its problems too', () => {
    const fault = vi.fn();
    expect(errorReply(new NotFound('dataset d does not exist'), fault)).toEqual({ status: 404, message: 'dataset d does not exist' });
    expect(errorReply(new Forbidden('only judges give verdicts'), fault)).toEqual({ status: 403, message: 'only judges give verdicts' });
    expect(errorReply(new Invalid(['a is wrong', 'b is wrong']), fault)).toEqual({
      status: 400,
      message: 'a is wrong; b is wrong',
      problems: ['a is wrong', 'b is wrong'],
    });
    expect(errorReply(new TooMany('slow down', 30), fault)).toEqual({ status: 429, message: 'slow down' });
    expect(errorReply(new Unavailable('no import directory'), fault)).toEqual({ status: 503, message: 'no import directory' });
    expect(fault).not.toHaveBeenCalled();
  });

  it('answers PostgreSQL’s refusals as their kinds: 409, 400, 400', () => {
    const fault = vi.fn();
    expect(errorReply(queryFailed('23505', 'Key (name)=(ada) already exists.'), fault)).toEqual({
      status: 409,
      message: 'already exists: Key (name)=(ada) already exists.',
    });
    expect(errorReply(queryFailed('23503', 'Key (user_id)=(u) is not present in table "users".'), fault)).toMatchObject({ status: 400 });
    expect(errorReply(queryFailed('22P02', undefined, 'invalid input syntax for type uuid: "x"'), fault)).toMatchObject({ status: 400 });
    expect(fault).not.toHaveBeenCalled();
  });

  it('answers a fault 500 "internal error", telling the client nothing of it, and hands it to be logged', () => {
    const fault = vi.fn();
    const secret = new Error('connection to 10.0.0.5 refused');
    expect(errorReply(secret, fault)).toEqual({ status: 500, message: 'internal error' });
    const deadlock = queryFailed('40P01');
    expect(errorReply(deadlock, fault)).toEqual({ status: 500, message: 'internal error' });
    expect(fault.mock.calls).toEqual([[secret], [deadlock]]);
  });
});
