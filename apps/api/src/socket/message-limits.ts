/** Messages a socket may send per second, on average. */
export const SOCKET_MESSAGES_PER_SECOND = 50;
/** Messages a socket may send at once before the rate applies (a token bucket of this size). */
export const SOCKET_MESSAGE_BURST = 200;
/** Messages of one socket being handled at once; more are refused until one is answered. */
export const SOCKET_MESSAGES_IN_FLIGHT = 16;
/** Refusals (forgiven at the same rate as messages) after which the socket is disconnected. */
export const SOCKET_REFUSALS_BEFORE_DISCONNECT = 200;

export type Verdict = { admitted: true } | { admitted: false; error: string; disconnect: boolean };

/**
 * The limits of one socket: a token bucket for the rate, a count of messages being handled, and a
 * count of refusals that disconnects a socket which keeps sending past them. One socket's flood then
 * costs the server a few handlers, not thousands, and other users are still answered.
 */
export class MessageLimits {
  private tokens = SOCKET_MESSAGE_BURST;
  private refusals = 0;
  private inFlight = 0;
  private last: number;

  constructor(private readonly now: () => number = Date.now) {
    this.last = now();
  }

  /** Whether a message may be handled now; if admitted, call `done` once it is answered. */
  admit(): Verdict {
    const now = this.now();
    const refill = ((now - this.last) / 1000) * SOCKET_MESSAGES_PER_SECOND;
    this.last = now;
    this.tokens = Math.min(SOCKET_MESSAGE_BURST, this.tokens + refill);
    this.refusals = Math.max(0, this.refusals - refill);
    let error: string | undefined;
    if (this.inFlight >= SOCKET_MESSAGES_IN_FLIGHT) {
      error = `too many messages at once: at most ${SOCKET_MESSAGES_IN_FLIGHT} in flight per socket; wait for answers`;
    } else if (this.tokens < 1) {
      error = `too many messages: at most ${SOCKET_MESSAGES_PER_SECOND} per second per socket (bursts of ${SOCKET_MESSAGE_BURST})`;
    }
    if (error) {
      this.refusals += 1;
      return { admitted: false, error, disconnect: this.refusals > SOCKET_REFUSALS_BEFORE_DISCONNECT };
    }
    this.tokens -= 1;
    this.inFlight += 1;
    return { admitted: true };
  }

  done(): void {
    this.inFlight = Math.max(0, this.inFlight - 1);
  }
}
