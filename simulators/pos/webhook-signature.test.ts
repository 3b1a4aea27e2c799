import { describe, expect, it } from 'vitest';
import { signWebhook, verifyWebhookSignature } from './webhook-signature.js';

const SECRET = 'pos-test-webhook-secret-0001';
const BODY = Buffer.from('{"events":[{"eventId":"pos-main-000000001","type":"SALE"}]}');
const NOW = 1_790_000_000;

describe('webhook signatures', () => {
  it('is the hex HMAC-SHA256 of "<timestamp>.<raw body>", prefixed sha256=', () => {
    // Computed independently: printf '1790000000.{}' | openssl dgst -sha256 -hmac secret
    const expected = 'sha256=d0cadd434460d4af55e7ab90d79c1802591d7001a77c9e06471d0e3ec8cc85ae';
    expect(signWebhook('secret', 1_790_000_000, '{}')).toBe(expected);
    expect(signWebhook('secret', '1790000000', Buffer.from('{}'))).toBe(expected);
    expect(signWebhook(SECRET, NOW, BODY)).toMatch(/^sha256=[0-9a-f]{64}$/);
  });

  it('verifies its own signature over the exact bytes', () => {
    const signature = signWebhook(SECRET, NOW, BODY);
    expect(verifyWebhookSignature(SECRET, String(NOW), BODY, signature, { nowSeconds: NOW })).toBe(true);
    expect(verifyWebhookSignature(SECRET, String(NOW), BODY.toString('utf8'), signature, { nowSeconds: NOW + 10 })).toBe(true);
  });

  it('refuses a changed body, timestamp or secret, and malformed headers', () => {
    const signature = signWebhook(SECRET, NOW, BODY);
    const verify = (secret: string, ts: string | undefined, body: Buffer | string, sig: string | undefined) =>
      verifyWebhookSignature(secret, ts, body, sig, { nowSeconds: NOW });
    expect(verify(SECRET, String(NOW), Buffer.concat([BODY, Buffer.from(' ')]), signature)).toBe(false);
    expect(verify(SECRET, String(NOW + 1), BODY, signature)).toBe(false);
    expect(verify('another-secret-of-some-length', String(NOW), BODY, signature)).toBe(false);
    expect(verify(SECRET, undefined, BODY, signature)).toBe(false);
    expect(verify(SECRET, String(NOW), BODY, undefined)).toBe(false);
    expect(verify(SECRET, String(NOW), BODY, signature.slice(0, -2))).toBe(false);
    expect(verify(SECRET, String(NOW), BODY, signature.replace('sha256=', 'sha1='))).toBe(false);
    expect(verify(SECRET, String(NOW), BODY, 'sha256=zz')).toBe(false);
    expect(verify(SECRET, 'soon', BODY, signature)).toBe(false);
  });

  it('refuses a timestamp outside the tolerance (a replay)', () => {
    const old = NOW - 301;
    const signature = signWebhook(SECRET, old, BODY);
    expect(verifyWebhookSignature(SECRET, String(old), BODY, signature, { nowSeconds: NOW })).toBe(false);
    expect(verifyWebhookSignature(SECRET, String(old), BODY, signature, { nowSeconds: NOW, toleranceSeconds: 600 })).toBe(true);
  });
});
