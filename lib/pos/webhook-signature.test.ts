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
    expect(verifyWebhookSignature(SECRET, String(NOW), BODY, signature, { nowSeconds: NOW })).toBe('ok');
    expect(verifyWebhookSignature(SECRET, String(NOW), BODY.toString('utf8'), signature, { nowSeconds: NOW + 10 })).toBe('ok');
  });

  it('says bad-signature for a changed body, timestamp or secret, and for malformed headers', () => {
    const signature = signWebhook(SECRET, NOW, BODY);
    const verify = (secret: string, ts: string | undefined, body: Buffer | string, sig: string | undefined) =>
      verifyWebhookSignature(secret, ts, body, sig, { nowSeconds: NOW });
    expect(verify(SECRET, String(NOW), Buffer.concat([BODY, Buffer.from(' ')]), signature)).toBe('bad-signature');
    expect(verify(SECRET, String(NOW + 1), BODY, signature)).toBe('bad-signature');
    expect(verify('another-secret-of-some-length', String(NOW), BODY, signature)).toBe('bad-signature');
    expect(verify(SECRET, undefined, BODY, signature)).toBe('bad-signature');
    expect(verify(SECRET, String(NOW), BODY, undefined)).toBe('bad-signature');
    expect(verify(SECRET, String(NOW), BODY, signature.slice(0, -2))).toBe('bad-signature');
    expect(verify(SECRET, String(NOW), BODY, signature.replace('sha256=', 'sha1='))).toBe('bad-signature');
    expect(verify(SECRET, String(NOW), BODY, 'sha256=zz')).toBe('bad-signature');
    expect(verify(SECRET, 'soon', BODY, signature)).toBe('bad-signature');
  });

  it('says stale for a good signature outside the tolerance (a replay), bad-signature when both are wrong', () => {
    const old = NOW - 301;
    const signature = signWebhook(SECRET, old, BODY);
    expect(verifyWebhookSignature(SECRET, String(old), BODY, signature, { nowSeconds: NOW })).toBe('stale');
    expect(verifyWebhookSignature(SECRET, String(NOW + 301), BODY, signWebhook(SECRET, NOW + 301, BODY), { nowSeconds: NOW })).toBe('stale');
    expect(verifyWebhookSignature(SECRET, String(old), BODY, signature, { nowSeconds: NOW, toleranceSeconds: 600 })).toBe('ok');
    expect(verifyWebhookSignature('another-secret-of-some-length', String(old), BODY, signature, { nowSeconds: NOW })).toBe('bad-signature');
  });
});
