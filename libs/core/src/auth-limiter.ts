import { HttpException, HttpStatus, Injectable } from '@nestjs/common';
import type { TribunalConfig } from '../../config/src/index.js';
import { InjectConfig } from './runtime.js';

const WINDOW_MS = 60_000;
/** Addresses remembered at most; the oldest are forgotten first. */
const MAX_SOURCES = 10_000;

/** Too many failed authentications from one address: the client waits `retryAfterSeconds`. */
export class TooManyFailures extends HttpException {
  constructor(readonly retryAfterSeconds: number) {
    super(`too many failed authentications from this address; retry in ${retryAfterSeconds} s`, HttpStatus.TOO_MANY_REQUESTS);
  }
}

/**
 * Slows key guessing: an address whose keys failed `limit` times in the last minute is refused,
 * valid key or not, until the oldest of those failures is a minute old. Counts live in the process
 * (each API process limits on its own). A limit of 0 turns it off.
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

  /** Throws TooManyFailures when the address is refused for now. */
  check(source: string): void {
    if (this.limit === 0) return;
    const recent = this.recent(source);
    if (recent.length >= this.limit) throw new TooManyFailures(Math.max(1, Math.ceil((recent[0]! + WINDOW_MS - this.now()) / 1000)));
  }

  fail(source: string): void {
    if (this.limit === 0) return;
    const recent = this.recent(source);
    this.failures.delete(source);
    this.failures.set(source, [...recent, this.now()]);
    if (this.failures.size > MAX_SOURCES) this.failures.delete(this.failures.keys().next().value!);
  }
}

@Injectable()
export class AuthLimiter extends FailureWindow {
  constructor(@InjectConfig() config: TribunalConfig) {
    super(config.authFailuresPerMinute);
  }
}
