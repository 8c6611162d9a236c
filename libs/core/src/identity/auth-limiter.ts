import { Injectable } from '@nestjs/common';
import type { TribunalConfig } from '#tribunal/config';
import { TooMany } from '#tribunal/contracts';
import { InjectConfig } from '../infrastructure/infrastructure.module.js';

const WINDOW_MS = 60_000;
/** Addresses remembered at most; the oldest are forgotten first. */
const MAX_SOURCES = 10_000;

/** Too many failed authentications from one address: the client waits `retryAfterSeconds`. */
export class TooManyFailures extends TooMany {
  constructor(retryAfterSeconds: number) {
    super(`too many failed authentications from this address; retry in ${retryAfterSeconds} s`, retryAfterSeconds);
  }
}

/**
 * Slows key guessing without locking anyone out: an address whose keys failed `limit` times in the
 * last minute has its further invalid keys answered 429 (not 401) until the oldest of those failures
 * is a minute old. A valid key is never refused, whatever its address did: people behind one NAT
 * or proxy share an address with whoever guesses there. (Keys are 256 random bits, so guessing one
 * is hopeless; the limit tells a guesser to stop and keeps its noise bounded.) Counts live in the
 * process (each API process limits on its own). A limit of 0 turns it off.
 */
export class FailureWindow {
  private readonly failures = new Map<string, number[]>();

  constructor(
    readonly limit: number,
    private readonly now: () => number = Date.now,
  ) {}

  private recent(source: string): number[] {
    const cutoff = this.now() - WINDOW_MS;
    const kept = (this.failures.get(source) ?? []).filter((t) => t > cutoff);
    if (kept.length) this.failures.set(source, kept);
    else this.failures.delete(source);
    return kept;
  }

  /**
   * Records a failed authentication from `source`. Returns the refusal to answer with when the
   * address had already failed `limit` times in the last minute (that failure is not counted, so
   * the address is let in again a minute after its first failures), else undefined (answer 401).
   */
  fail(source: string): TooManyFailures | undefined {
    if (this.limit === 0) return undefined;
    const recent = this.recent(source);
    if (recent.length >= this.limit) return new TooManyFailures(Math.max(1, Math.ceil((recent[0]! + WINDOW_MS - this.now()) / 1000)));
    this.failures.delete(source);
    this.failures.set(source, [...recent, this.now()]);
    if (this.failures.size > MAX_SOURCES) this.failures.delete(this.failures.keys().next().value!);
    return undefined;
  }
}

@Injectable()
export class AuthLimiter extends FailureWindow {
  constructor(@InjectConfig() config: TribunalConfig) {
    super(config.authFailuresPerMinute);
  }
}
