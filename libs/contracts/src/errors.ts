/**
 * The refusals every layer shares. Services throw these (never a framework's HTTP exceptions);
 * persistence translates PostgreSQL's refusals into them (`domainErrorOf` in libs/persistence);
 * the HTTP API, the socket acknowledgements and the command line each answer a kind the one way
 * `ERROR_KINDS` says. Anything else thrown is a fault: 500 "internal error", exit code 1.
 */
export type ErrorKind = 'invalid' | 'not-found' | 'conflict' | 'forbidden' | 'too-many' | 'unavailable';

/**
 * Each kind's HTTP status (also the `status` of a socket acknowledgement) and the command line's
 * exit code. Invalid input is 400 wherever it is found (a request's validation or a service's rules):
 * a client cannot tell the two apart, so they answer alike.
 */
export const ERROR_KINDS: Readonly<Record<ErrorKind, { status: number; exitCode: number }>> = {
  invalid: { status: 400, exitCode: 3 },
  'not-found': { status: 404, exitCode: 4 },
  conflict: { status: 409, exitCode: 5 },
  forbidden: { status: 403, exitCode: 6 },
  'too-many': { status: 429, exitCode: 7 },
  unavailable: { status: 503, exitCode: 8 },
};

/** The command line's exit codes besides the kinds': success, a fault, and a command used wrongly. */
export const EXIT_CODES = { ok: 0, unexpected: 1, usage: 2 } as const;

/** A refusal of one of the shared kinds; its message is the whole story, for people and clients. */
export abstract class DomainError extends Error {
  abstract readonly kind: ErrorKind;
}

/** What was asked for does not exist (404). */
export class NotFound extends DomainError {
  override readonly name = 'NotFound';
  readonly kind = 'not-found';
}

/** The request is fine, but the state of things refuses it: a name taken, a debate not waiting for it (409). */
export class Conflict extends DomainError {
  override readonly name = 'Conflict';
  readonly kind = 'conflict';
}

/** Bad input, every problem named, each by the field it concerns where there is one (400). */
export class Invalid extends DomainError {
  override readonly name: string = 'Invalid';
  readonly kind = 'invalid';
  readonly problems: string[];
  constructor(problems: string | string[]) {
    const list = typeof problems === 'string' ? [problems] : problems;
    super(list.join('; '));
    this.problems = list;
  }
}

/** The caller may not do this (403). */
export class Forbidden extends DomainError {
  override readonly name = 'Forbidden';
  readonly kind = 'forbidden';
}

/** Too many attempts: the caller waits `retryAfterSeconds` (429). */
export class TooMany extends DomainError {
  override readonly name = 'TooMany';
  readonly kind = 'too-many';
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message);
  }
}

/** Something the server needs is missing or down, whatever the caller does (503). */
export class Unavailable extends DomainError {
  override readonly name = 'Unavailable';
  readonly kind = 'unavailable';
}

/** The refusal of a kind with a message: what a client makes of an HTTP status it was answered. */
export function domainError(kind: ErrorKind, message: string): DomainError {
  switch (kind) {
    case 'invalid':
      return new Invalid(message);
    case 'not-found':
      return new NotFound(message);
    case 'conflict':
      return new Conflict(message);
    case 'forbidden':
      return new Forbidden(message);
    case 'too-many':
      return new TooMany(message, 0);
    case 'unavailable':
      return new Unavailable(message);
  }
}

/** The kind an HTTP status stands for, if it stands for one. */
export function errorKindOfStatus(status: number): ErrorKind | undefined {
  return (Object.keys(ERROR_KINDS) as ErrorKind[]).find((kind) => ERROR_KINDS[kind].status === status);
}
