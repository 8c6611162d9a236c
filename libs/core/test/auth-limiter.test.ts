import { describe, expect, it } from 'vitest';
import { ERROR_KINDS } from '#tribunal/contracts';
import { FailureWindow, TooManyFailures } from '../src/identity/auth-limiter.js';

describe('the failed-authentication window', () => {
  it('refuses an address after `limit` failures in a minute, until the oldest is a minute old', () => {
    let now = 1_000_000;
    const window = new FailureWindow(3, () => now);
    for (let i = 0; i < 3; i++) {
      expect(window.fail('10.0.0.1')).toBeUndefined();
      now += 10_000;
    }
    // Failures at 0 s, 10 s and 20 s; now is 30 s: refused for another 30 s.
    const refused = window.fail('10.0.0.1');
    expect(refused).toBeInstanceOf(TooManyFailures);
    expect(refused!.retryAfterSeconds).toBe(30);
    expect(ERROR_KINDS[refused!.kind].status).toBe(429);
    // Refused failures are not counted: the window does not grow while the address keeps failing.
    now += 29_000;
    expect(window.fail('10.0.0.1')!.retryAfterSeconds).toBe(1);
    // Another address is not affected.
    expect(window.fail('10.0.0.2')).toBeUndefined();
    now += 1_001;
    expect(window.fail('10.0.0.1')).toBeUndefined();
  });

  it('does nothing with a limit of 0', () => {
    const window = new FailureWindow(0);
    for (let i = 0; i < 100; i++) expect(window.fail('10.0.0.1')).toBeUndefined();
  });
});
