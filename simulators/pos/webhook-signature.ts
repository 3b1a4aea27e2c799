import { createHmac, timingSafeEqual } from 'node:crypto';

/** The POS webhook headers, as docs/upstream-apis.md names them. */
export const WEBHOOK_HEADERS = {
  source: 'x-pos-source',
  timestamp: 'x-pos-timestamp',
  signature: 'x-pos-signature',
} as const;

/** A signature older or newer than this is refused, so a captured delivery cannot be replayed later. */
export const DEFAULT_TOLERANCE_SECONDS = 300;

const hmacHex = (secret: string, timestamp: string, rawBody: Buffer | string): string =>
  createHmac('sha256', secret).update(`${timestamp}.`).update(rawBody).digest('hex');

/**
 * The `x-pos-signature` value for one delivery: `sha256=` and the hex
 * HMAC-SHA256 of `<timestamp>.<raw body>` with the source's secret. The raw
 * bytes are signed, never a re-serialized object, so the receiver verifies
 * exactly what came over the wire.
 */
export function signWebhook(secret: string, timestamp: number | string, rawBody: Buffer | string): string {
  return `sha256=${hmacHex(secret, String(timestamp), rawBody)}`;
}

export interface VerifyOptions {
  /** The receiver's clock, in unix seconds. @default now */
  nowSeconds?: number;
  /** How far the timestamp may be from now. @default 300 */
  toleranceSeconds?: number;
}

/**
 * True when `signature` (the `x-pos-signature` header) is the signature of
 * `rawBody` at `timestamp` (the `x-pos-timestamp` header) with `secret`, and
 * the timestamp is within the tolerance. Compared in constant time.
 */
export function verifyWebhookSignature(
  secret: string,
  timestamp: string | undefined,
  rawBody: Buffer | string,
  signature: string | undefined,
  options: VerifyOptions = {},
): boolean {
  if (!timestamp || !/^\d{1,12}$/.test(timestamp) || !signature?.startsWith('sha256=')) return false;
  const now = options.nowSeconds ?? Math.floor(Date.now() / 1000);
  if (Math.abs(now - Number(timestamp)) > (options.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS)) return false;
  const given = Buffer.from(signature.slice('sha256='.length), 'hex');
  const expected = Buffer.from(hmacHex(secret, timestamp, rawBody), 'hex');
  // timingSafeEqual throws on different lengths; a short or non-hex header is simply wrong.
  return given.length === expected.length && timingSafeEqual(given, expected);
}
