import { QueryFailedError } from 'typeorm';
import { Conflict, DomainError, Invalid } from '#tribunal/contracts';

/** What PostgreSQL (or the embedded PGlite) says about a statement it refused. */
interface DriverError {
  code?: unknown;
  detail?: unknown;
  message?: unknown;
}

/**
 * The refusal a thrown value stands for: a domain error as it is, and PostgreSQL's refusals that are
 * the caller's doing translated by their SQLSTATE:
 * - 23505, a unique violation: Conflict, naming the value that exists (`Key (name)=(x) already exists.`);
 * - 23503, a foreign-key violation: Invalid naming the reference to nothing, or a Conflict when a row
 *   still referred to is being removed (23001, a restrict violation, where the server reports an
 *   ON DELETE RESTRICT key so, as the embedded PGlite does);
 * - class 22, data exceptions (an integer out of range, invalid text for a type): Invalid.
 * Anything else (a lost connection, a deadlock, a bug) is no refusal: undefined, a fault to log.
 */
export function domainErrorOf(error: unknown): DomainError | undefined {
  if (error instanceof DomainError) return error;
  if (!(error instanceof QueryFailedError)) return undefined;
  const driver = ((error as QueryFailedError & { driverError?: DriverError }).driverError ?? {}) as DriverError;
  const code = typeof driver.code === 'string' ? driver.code : undefined;
  const detail = typeof driver.detail === 'string' && driver.detail ? driver.detail : undefined;
  if (code === '23505') return new Conflict(`already exists: ${detail ?? 'a unique value is taken'}`);
  if (code === '23001' || (code === '23503' && detail?.includes('is still referenced'))) {
    return new Conflict(`still in use: ${detail ?? error.message}`);
  }
  if (code === '23503') return new Invalid(`refers to something that does not exist: ${detail ?? error.message}`);
  if (code?.startsWith('22')) return new Invalid(`invalid value: ${error.message}`);
  return undefined;
}
