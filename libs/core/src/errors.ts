import { ERROR_KINDS, Invalid } from '#tribunal/contracts';
import { domainErrorOf } from '#tribunal/persistence';

/** How a request that failed is answered: an HTTP status (a socket acknowledgement's too) and one line saying why. */
export interface ErrorReply {
  status: number;
  message: string;
  /** An Invalid refusal's problems, one per offending field; `message` joins them with "; ". */
  problems?: string[];
}

/** The answer to a fault: nothing of it reaches the client, which could only be confused or told too much. */
export const INTERNAL_ERROR: Readonly<ErrorReply> = { status: 500, message: 'internal error' };

/**
 * The one mapping from anything thrown while serving a request to its answer, used alike by the HTTP
 * API's exception filter and the sockets' acknowledgements: a domain error (or a PostgreSQL refusal,
 * translated by `domainErrorOf`) answers its kind's status (`ERROR_KINDS`) with its message; anything
 * else is a fault, handed to `logFault` and answered 500 "internal error".
 */
export function errorReply(error: unknown, logFault: (error: unknown) => void): ErrorReply {
  const refusal = domainErrorOf(error);
  if (!refusal) {
    logFault(error);
    return { ...INTERNAL_ERROR };
  }
  const { status } = ERROR_KINDS[refusal.kind];
  return refusal instanceof Invalid
    ? { status, message: refusal.message, problems: refusal.problems }
    : { status, message: refusal.message };
}
