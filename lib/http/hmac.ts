import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * HMAC-SHA256 as the repo's signed requests use it (POS webhooks, gateway →
 * subgraph calls): each scheme decides what it signs, these two steps are shared.
 */

/** The hex HMAC-SHA256 of `parts`, fed in order (raw bytes stay raw, so the exact body is what is signed). */
export function hmacSha256Hex(secret: string, ...parts: Array<string | Buffer>): string {
  const hmac = createHmac('sha256', secret);
  for (const part of parts) hmac.update(part);
  return hmac.digest('hex');
}

/**
 * Whether a MAC a caller sent (hex) is the expected one, in constant time.
 * timingSafeEqual throws on different lengths: a short, long or non-hex value is simply wrong.
 */
export function hexMacEquals(givenHex: string, expectedHex: string): boolean {
  const given = Buffer.from(givenHex, 'hex');
  const expected = Buffer.from(expectedHex, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
