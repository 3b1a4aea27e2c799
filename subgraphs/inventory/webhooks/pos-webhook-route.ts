import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Route } from '../../../lib/graphql/serve-subgraph.js';
import { readBody, sendJson } from '../../../lib/http/http-server.js';
import type { Logger } from '../../../lib/logger.js';
import { DEFAULT_TOLERANCE_SECONDS, WEBHOOK_HEADERS, verifyWebhookSignature } from '../../../lib/pos/webhook-signature.js';
import type { LedgerChange, LedgerWriter } from '../ledger/ledger-writer.js';
import { posEventSchema, posLedgerChange } from './pos-event.js';

/** The path the POS posts to. */
export const POS_WEBHOOK_PATH = '/webhooks/pos';

export interface PosWebhookOptions {
  /** Secrets by `x-pos-source`; a source not listed is refused. */
  secrets: Readonly<Record<string, string>>;
  /** How far `x-pos-timestamp` may be from this clock. @default 300 */
  toleranceSeconds?: number;
  writer: LedgerWriter;
  logger: Logger;
  /** False until the ledger has its opening balance: deliveries get a 503 and the POS retries. @default always ready */
  ready?: () => boolean;
  /** Largest body accepted; larger ones get a 413. @default 1048576 */
  maxBodyBytes?: number;
  /** Most events one delivery may carry. @default 1000 */
  maxEvents?: number;
  /** This clock, in unix seconds. @default now */
  nowSeconds?: () => number;
}

/** One refused event of a delivery: its position, its id when it had one, and which field was wrong. */
export interface RejectedPosEvent {
  index: number;
  eventId?: string;
  field: string;
  message: string;
}

/** The answer to a delivery whose signature was good: 200 when nothing was rejected, else 400 (the rest still applied). */
export interface PosWebhookAnswer {
  /** Event ids applied now. */
  applied: string[];
  /** Event ids applied before (a redelivery): nothing changed. */
  duplicates: string[];
  rejected: RejectedPosEvent[];
}

const refuse = (res: ServerResponse, status: number, error: string, message: string, headers: Record<string, string> = {}) =>
  sendJson(res, status, { error, message }, headers);

const header = (req: IncomingMessage, name: string): string | undefined => {
  const value = req.headers[name];
  return typeof value === 'string' ? value : undefined;
};

/**
 * `POST /webhooks/pos`: sales, returns and adjustments from the POS, signed
 * with HMAC-SHA256 over `<timestamp>.<raw body>` with the source's secret.
 *
 * The signature is checked on the raw bytes before anything is parsed. The
 * body is `{"events": [...]}`, or one event object on its own. Each event is
 * checked alone: the valid ones are applied in one transaction even when
 * others are rejected, and the answer lists both. A redelivered event (same
 * source and event id) changes nothing and still counts as success, since the
 * POS retries anything without a 2xx. Everything is applied before the answer
 * is sent, so a 2xx means it is in the ledger.
 */
export function posWebhookRoute(options: PosWebhookOptions): Route {
  const { secrets, writer, logger } = options;
  const tolerance = options.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
  const maxBodyBytes = options.maxBodyBytes ?? 1024 * 1024;
  const maxEvents = options.maxEvents ?? 1_000;
  const now = options.nowSeconds ?? (() => Math.floor(Date.now() / 1000));

  return async (req, res) => {
    if (req.method !== 'POST') return refuse(res, 405, 'method_not_allowed', `${POS_WEBHOOK_PATH} takes POST only.`, { allow: 'POST' });
    if (options.ready && !options.ready()) return refuse(res, 503, 'not_ready', 'The stock ledger is still loading; retry shortly.', { 'retry-after': '5' });

    const source = header(req, WEBHOOK_HEADERS.source);
    const secret = source !== undefined && Object.hasOwn(secrets, source) ? secrets[source] : undefined;
    // Refused before the body is read: close the connection rather than read a body nobody wants.
    if (source === undefined) return refuse(res, 401, 'unauthorized', `Missing ${WEBHOOK_HEADERS.source}.`, { connection: 'close' });
    if (secret === undefined) return refuse(res, 401, 'unauthorized', `Unknown ${WEBHOOK_HEADERS.source}.`, { connection: 'close' });

    const raw = await readBody(req, maxBodyBytes);
    const verdict = verifyWebhookSignature(secret, header(req, WEBHOOK_HEADERS.timestamp), raw, header(req, WEBHOOK_HEADERS.signature), {
      nowSeconds: now(),
      toleranceSeconds: tolerance,
    });
    if (verdict === 'bad-signature') return refuse(res, 401, 'unauthorized', `Missing or bad ${WEBHOOK_HEADERS.signature}.`);
    if (verdict === 'stale') return refuse(res, 400, 'stale_timestamp', `${WEBHOOK_HEADERS.timestamp} is more than ${tolerance} s away from the receiver's clock.`);

    let body: unknown;
    try {
      body = JSON.parse(raw.toString('utf8'));
    } catch {
      return refuse(res, 400, 'bad_request', 'The body is not JSON.');
    }
    const events = eventsOf(body);
    if (!events) return refuse(res, 400, 'bad_request', 'Expected {"events": [...]} or one event object.');
    if (events.length > maxEvents) return refuse(res, 400, 'bad_request', `At most ${maxEvents} events per delivery; got ${events.length}.`);

    const rejected: RejectedPosEvent[] = [];
    const changes: Array<{ index: number; eventId: string; change: LedgerChange }> = [];
    for (const [index, event] of events.entries()) {
      const parsed = posEventSchema.safeParse(event);
      if (parsed.success) {
        changes.push({ index, eventId: parsed.data.eventId, change: posLedgerChange(source, parsed.data) });
        continue;
      }
      const issue = parsed.error.issues[0];
      const eventId = typeof (event as { eventId?: unknown } | null)?.eventId === 'string' ? (event as { eventId: string }).eventId : undefined;
      rejected.push({ index, ...(eventId !== undefined ? { eventId } : {}), field: issue?.path.join('.') || 'event', message: issue?.message ?? 'invalid' });
    }

    const { outcomes } = await writer.apply(changes.map((c) => c.change));
    const answer: PosWebhookAnswer = { applied: [], duplicates: [], rejected };
    let oversold = 0;
    for (const [i, outcome] of outcomes.entries()) {
      const { index, eventId } = changes[i] as (typeof changes)[number];
      if (outcome.status === 'applied') {
        answer.applied.push(eventId);
        if (outcome.oversold > 0) oversold += 1;
      } else if (outcome.status === 'duplicate') {
        answer.duplicates.push(eventId);
      } else {
        rejected.push({ index, eventId, field: 'storeId', message: outcome.message });
      }
    }
    rejected.sort((a, b) => a.index - b.index);

    const log = logger.child({ source });
    if (rejected.length > 0) log.warn({ rejected: rejected.slice(0, 20), count: rejected.length }, 'POS webhook events rejected');
    if (oversold > 0) log.info({ oversold }, 'POS sales beyond available stock recorded as oversold');
    log.debug({ applied: answer.applied.length, duplicates: answer.duplicates.length }, 'POS webhook applied');
    sendJson(res, rejected.length > 0 ? 400 : 200, answer);
  };
}

/** The events of a delivery: `{"events": [...]}`, or one event object on its own; undefined for anything else. */
function eventsOf(body: unknown): unknown[] | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;
  if ('events' in body) return Array.isArray(body.events) ? body.events : undefined;
  return 'eventId' in body ? [body] : undefined;
}
