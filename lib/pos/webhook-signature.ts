import { hexMacEquals, hmacSha256Hex } from '../http/hmac.js';

/**
 * POS webhook signatures, shared by the POS simulator (which signs) and the
 * inventory subgraph's receiver (which verifies), so the two cannot drift.
 */

/** The POS webhook headers, as docs/upstream-apis.md names them. */
export const WEBHOOK_HEADERS = {
  source: 'x-pos-source',
  timestamp: 'x-pos-timestamp',
  signature: 'x-pos-signature',
} as const;

/** A signature older or newer than this is refused, so a captured delivery cannot be replayed later. */
export const DEFAULT_TOLERANCE_SECONDS = 300;

const hmacHex = (secret: string, timestamp: string, rawBody: Buffer | string): string => hmacSha256Hex(secret, `${timestamp}.`, rawBody);

/**
 * The `x-pos-signature` value for one delivery: `sha256=` and the hex
 * HMAC-SHA256 of `<timestamp>.<raw body>` with the source's secret. The raw
 * bytes are signed, never a re-serialized object, so the receiver verifies
 * exactly what came over the wire.
 */
export function signWebhook(secret: string, timestamp: number | string, rawBody: Buffer | string): string {
  return `sha256=${hmacHex(secret, String(timestamp), rawBody)}`;
}

/**
 * - `ok`: signed with the secret, within the tolerance;
 * - `bad-signature`: missing or malformed headers, or not signed with the secret (401:
 *   the sender is not who it says; nothing else about the delivery is trusted);
 * - `stale`: correctly signed, but the timestamp is outside the tolerance (400: a
 *   replay, or a sender whose clock is off; a retry signed now would pass).
 */
/**
 * The headers of one signed JSON delivery from `source`, stamped now: what the
 * POS sends and every test or benchmark that plays the POS sends too.
 */
export function signedWebhookHeaders(source: string, secret: string, rawBody: Buffer | string, nowSeconds = Math.floor(Date.now() / 1000)): Record<string, string> {
  const timestamp = String(nowSeconds);
  return {
    'content-type': 'application/json',
    [WEBHOOK_HEADERS.source]: source,
    [WEBHOOK_HEADERS.timestamp]: timestamp,
    [WEBHOOK_HEADERS.signature]: signWebhook(secret, timestamp, rawBody),
  };
}

export type WebhookVerdict = 'ok' | 'bad-signature' | 'stale';

export interface VerifyOptions {
  /** The receiver's clock, in unix seconds. @default now */
  nowSeconds?: number;
  /** How far the timestamp may be from now. @default 300 */
  toleranceSeconds?: number;
}

/**
 * Checks `signature` (the `x-pos-signature` header) against `rawBody` at
 * `timestamp` (the `x-pos-timestamp` header) with `secret`, in constant time.
 * The signature is checked before the timestamp, so an unsigned caller learns
 * nothing about the tolerance.
 */
export function verifyWebhookSignature(
  secret: string,
  timestamp: string | undefined,
  rawBody: Buffer | string,
  signature: string | undefined,
  options: VerifyOptions = {},
): WebhookVerdict {
  if (!timestamp || !/^\d{1,12}$/.test(timestamp) || !signature?.startsWith('sha256=')) return 'bad-signature';
  if (!hexMacEquals(signature.slice('sha256='.length), hmacHex(secret, timestamp, rawBody))) return 'bad-signature';
  const now = options.nowSeconds ?? Math.floor(Date.now() / 1000);
  return Math.abs(now - Number(timestamp)) > (options.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS) ? 'stale' : 'ok';
}
