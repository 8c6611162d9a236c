import { describe, expect, it } from 'vitest';
import { FailureWindow, TooManyFailures } from '../src/auth-limiter.js';

describe('the failed-authentication window', () => {
  it('refuses an address after `limit` failures in a minute, until the oldest is a minute old', () => {
    let now = 1_000_000;
    const window = new FailureWindow(3, () => now);
    for (let i = 0; i < 3; i++) {
      expect(() => window.check('10.0.0.1')).not.toThrow();
      window.fail('10.0.0.1');
      now += 10_000;
    }
    // Failures at 0 s, 10 s and 20 s; now is 30 s: refused for another 30 s.
    expect(() => window.check('10.0.0.1')).toThrow(TooManyFailures);
    try {
      window.check('10.0.0.1');
    } catch (error) {
      expect((error as TooManyFailures).retryAfterSeconds).toBe(30);
      expect((error as TooManyFailures).getStatus()).toBe(429);
    }
    // Another address is not affected.
    expect(() => window.check('10.0.0.2')).not.toThrow();
    now += 30_001;
    expect(() => window.check('10.0.0.1')).not.toThrow();
  });

  it('does nothing with a limit of 0', () => {
    const window = new FailureWindow(0);
    for (let i = 0; i < 100; i++) window.fail('10.0.0.1');
    expect(() => window.check('10.0.0.1')).not.toThrow();
  });
});
