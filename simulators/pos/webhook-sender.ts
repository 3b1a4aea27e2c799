import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '../../lib/logger.js';
import type { PosEvent } from './pos-till.js';
import { signedWebhookHeaders } from '../../lib/pos/webhook-signature.js';

export interface WebhookTarget {
  /** Unset: events are recorded, not posted. */
  url?: string;
  secret: string;
}

export interface DeliveryResult {
  /**
   * `delivered`: a 2xx; `rejected`: a 4xx the receiver will answer again
   * (a malformed event does not get better), so not retried; `failed`: no 2xx
   * after every attempt; `skipped`: no URL is set.
   */
  status: 'delivered' | 'rejected' | 'failed' | 'skipped';
  attempts: number;
  /** The last answer's HTTP status, when there was one. */
  httpStatus?: number;
}

export interface WebhookSenderOptions {
  /** `pos-main`: the `x-pos-source` header and the receiver's key to the secret. */
  source: string;
  target: WebhookTarget;
  logger: Logger;
  /** @default 5 */
  maxAttempts?: number;
  /** Wait before the 2nd attempt; doubled before each next one. @default 100 */
  baseDelayMs?: number;
  /** Timeout of one attempt. @default 5000 */
  timeoutMs?: number;
}

/** 4xx answers worth retrying: a timeout, and being asked to slow down. */
const RETRIED_4XX = new Set([408, 429]);

/**
 * Posts events to the webhook target, signed, and retries a delivery that gets
 * a 5xx, a 408 or 429, or no answer, with exponential backoff, up to
 * `maxAttempts` attempts. Any other 4xx is final: the receiver refused the
 * delivery (bad signature, malformed events; it applied the valid ones of a
 * batch and listed the rejects) and would refuse it again. Retrying is safe because the receiver is idempotent
 * by `eventId`: a retry carries the very same events (same ids, same body),
 * so one that arrives twice is applied once. Each attempt is signed afresh
 * with its own timestamp, so a late retry is not refused as a replay.
 */
export class WebhookSender {
  private target: WebhookTarget;
  private readonly closing = new AbortController();
  private readonly inFlight = new Set<Promise<DeliveryResult>>();
  private readonly maxAttempts: number;
  private readonly baseDelayMs: number;
  private readonly timeoutMs: number;

  constructor(private readonly options: WebhookSenderOptions) {
    this.target = { ...options.target };
    this.maxAttempts = options.maxAttempts ?? 5;
    this.baseDelayMs = options.baseDelayMs ?? 100;
    this.timeoutMs = options.timeoutMs ?? 5_000;
  }

  get url(): string | undefined {
    return this.target.url;
  }

  setTarget(target: WebhookTarget): void {
    this.target = { ...target };
  }

  deliver(events: PosEvent[]): Promise<DeliveryResult> {
    const delivery = this.attempt(events, this.target);
    this.inFlight.add(delivery);
    const forget = () => void this.inFlight.delete(delivery);
    delivery.then(forget, forget);
    return delivery;
  }

  /** Stops every retry wait and request under way, and resolves once they have all ended. */
  async close(): Promise<void> {
    this.closing.abort();
    await Promise.allSettled([...this.inFlight]);
  }

  private async attempt(events: PosEvent[], target: WebhookTarget): Promise<DeliveryResult> {
    const { url, secret } = target;
    if (!url) return { status: 'skipped', attempts: 0 };
    const body = JSON.stringify({ events });
    const log = this.options.logger.child({ url, eventIds: events.map((e) => e.eventId) });
    let httpStatus: number | undefined;
    for (let attempt = 1; attempt <= this.maxAttempts; attempt++) {
      if (this.closing.signal.aborted) return { status: 'failed', attempts: attempt - 1, httpStatus };
      try {
        const res = await fetch(url, {
          method: 'POST',
          // Signed afresh on every attempt, so a late retry is not refused as stale.
          headers: signedWebhookHeaders(this.options.source, secret, body),
          body,
          signal: AbortSignal.any([this.closing.signal, AbortSignal.timeout(this.timeoutMs)]),
        });
        httpStatus = res.status;
        // Read the answer to the end, so the socket can be reused.
        const answer = await res.text().catch(() => '');
        if (res.ok) return { status: 'delivered', attempts: attempt, httpStatus };
        if (httpStatus >= 400 && httpStatus < 500 && !RETRIED_4XX.has(httpStatus)) {
          // The answer says why (the receiver lists rejected events): worth a line in the log.
          log.warn({ attempt, httpStatus, answer: answer.slice(0, 2_000) }, 'webhook rejected: not retried');
          return { status: 'rejected', attempts: attempt, httpStatus };
        }
        log.warn({ attempt, httpStatus }, 'webhook refused');
      } catch (err) {
        httpStatus = undefined;
        log.warn({ attempt, err: (err as Error).message }, 'webhook delivery failed');
      }
      if (attempt < this.maxAttempts) {
        try {
          await sleep(this.baseDelayMs * 2 ** (attempt - 1), undefined, { signal: this.closing.signal });
        } catch {
          return { status: 'failed', attempts: attempt, httpStatus };
        }
      }
    }
    log.error({ attempts: this.maxAttempts, httpStatus }, 'webhook given up');
    return { status: 'failed', attempts: this.maxAttempts, httpStatus };
  }
}
