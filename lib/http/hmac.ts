import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/**
 * SHA-256 as the repo uses it: HMACs for its signed requests (POS webhooks,
 * gateway → subgraph calls; each scheme decides what it signs, these steps are
 * shared) and plain digests for what is keyed by a document's hash (query
 * plans, persisted queries, trusted documents).
 */

/** A lowercase hex SHA-256, as documents are named by. */
export const SHA256_HEX = /^[0-9a-f]{64}$/;

/** The SHA-256 of `text` (UTF-8), lowercase hex. */
export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

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
