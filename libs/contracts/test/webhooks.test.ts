import { describe, expect, it } from 'vitest';
import { parseSignatureHeader, signWebhook, verifyWebhook } from '../src/webhooks.js';

const secret = 'whsec_test';
const body = '{"id":"d1","event":"label.created","label":{"seq":"7","answer":2}}';
const now = 1_700_000_000;

describe('webhook signatures', () => {
  const header = signWebhook(secret, body, now);
  const mac = header.split('v1=')[1]!;

  it('signs as receivers in any language can check: HMAC-SHA256 of "<t>.<body>" in hex', () => {
    expect(signWebhook('whsec_test', '{"x":1}', 1700000000)).toBe(
      't=1700000000,v1=808d84eb394c8f099c0aecdf6c762197e3251fccecf4dd6fad647063de565e81',
    );
    for (const bad of [1700000000.5, -1, Number.NaN]) expect(() => signWebhook(secret, body, bad)).toThrow(/whole unix seconds/);
  });

  it('accepts a genuine signature within the tolerance, either way', () => {
    expect(verifyWebhook(secret, header, body, 300, now)).toBe(true);
    expect(verifyWebhook(secret, header, body, 300, now + 300)).toBe(true);
    expect(verifyWebhook(secret, header, body, 300, now - 300)).toBe(true);
    expect(verifyWebhook(secret, header, body, 300, now + 301)).toBe(false);
    expect(verifyWebhook(secret, header, body, 300, now - 301)).toBe(false);
  });

  it('refuses a tampered body, another secret, a moved timestamp', () => {
    expect(verifyWebhook(secret, header, body.replace('"answer":2', '"answer":3'), 300, now)).toBe(false);
    expect(verifyWebhook('whsec_other', header, body, 300, now)).toBe(false);
    expect(verifyWebhook(secret, `t=${now + 1},v1=${mac}`, body, 300, now)).toBe(false);
  });

  it('reads the header strictly: whole seconds, 64 hex digits, each field once', () => {
    for (const accepted of [
      `v1=${mac},t=${now}`,
      ` t=${now}\t, v1=${mac} `,
      `t=${now},v1=${mac.toUpperCase()}`,
      `t=${now},v0=old,v1=${mac}`,
    ]) {
      expect(verifyWebhook(secret, accepted, body, 300, now), accepted).toBe(true);
    }
    const refused = [
      undefined,
      '',
      'garbage',
      `v1=${mac}`,
      `t=${now}`,
      `t=${now},v1=`,
      `t=${now},v1=${mac}zz`,
      `t=${now},v1=${mac.slice(0, -2)}`,
      `t=${now},v1=${mac}=x`,
      `t=1,t=${now},v1=${mac}`,
      `t=${now},v1=00,v1=${mac}`,
      `t=0x${now.toString(16)},v1=${mac}`,
      `t=${now}.0,v1=${mac}`,
      `t=+${now},v1=${mac}`,
      `t=${now}e0,v1=${mac}`,
      `t=,v1=${mac}`,
      `t=${now}\n,v1=${mac}`,
      `t=${now},,v1=${mac}`,
    ];
    for (const header of refused) {
      expect(parseSignatureHeader(header), String(header)).toBeNull();
      expect(verifyWebhook(secret, header, body, 300, now), String(header)).toBe(false);
    }
  });
});
