import { createHmac, timingSafeEqual } from 'node:crypto';

/** The header carrying a delivery's signature: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`. */
export const SIGNATURE_HEADER = 'tribunal-signature';
export const DELIVERY_HEADER = 'tribunal-delivery';
export const EVENT_HEADER = 'tribunal-event';

/** A signature's timestamp: whole unix seconds, as the server writes it. */
const SECONDS = /^[0-9]{1,12}$/;
/** A signature: the HMAC-SHA256 in hex, 64 digits. */
const MAC = /^[0-9a-fA-F]{64}$/;

export function signWebhook(secret: string, body: string, timestamp: number): string {
  if (!Number.isSafeInteger(timestamp) || timestamp < 0)
    throw new Error(`a webhook signature's timestamp must be whole unix seconds, got ${timestamp}`);
  const mac = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
  return `t=${timestamp},v1=${mac}`;
}

/**
 * The fields of a signature header, or null when it is not one: comma-separated `name=value` pairs
 * (spaces and tabs around a pair ignored), each name once, `t` whole seconds and `v1` 64 hex digits.
 * Other names are ignored, so a later scheme can be sent beside `v1`.
 */
export function parseSignatureHeader(header: string | undefined): { t: number; v1: string } | null {
  if (!header) return null;
  const fields = new Map<string, string>();
  for (const part of header.split(',')) {
    const pair = part.replace(/^[ \t]+|[ \t]+$/g, '');
    const at = pair.indexOf('=');
    if (at <= 0) return null;
    const name = pair.slice(0, at);
    if (fields.has(name)) return null;
    fields.set(name, pair.slice(at + 1));
  }
  const t = fields.get('t');
  const v1 = fields.get('v1');
  if (t === undefined || v1 === undefined || !SECONDS.test(t) || !MAC.test(v1)) return null;
  return { t: Number(t), v1: v1.toLowerCase() };
}

/**
 * What a receiver runs: true when the body was signed with the secret and the timestamp is within
 * `toleranceSeconds` of now (an old signature replayed is refused). A header that is not exactly a
 * signature (see `parseSignatureHeader`) is refused.
 */
export function verifyWebhook(
  secret: string,
  header: string | undefined,
  body: string,
  toleranceSeconds = 300,
  now = Date.now() / 1000,
): boolean {
  const signature = parseSignatureHeader(header);
  if (!signature || Math.abs(now - signature.t) > toleranceSeconds) return false;
  const expected = createHmac('sha256', secret).update(`${signature.t}.${body}`).digest();
  return timingSafeEqual(expected, Buffer.from(signature.v1, 'hex'));
}
