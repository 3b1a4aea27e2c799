import { Agent } from 'undici';
import { signedWebhookHeaders } from '../lib/pos/webhook-signature.js';

export interface PreparedEvent {
  /** The event's `occurredAt` in epoch ms: unique per event, so a received `stockChanged` names its injection. */
  key: number;
  body: string;
}

/** Injects stock changes as the POS does: signed ADJUSTMENT webhooks to the inventory subgraph. */
export class PosWebhook {
  private sequence = 0;
  private lastKey = 0;
  // undici's `request` on a keep-alive pool: the global `fetch` cost this process a quarter of its CPU, taken from the system under test.
  private readonly dispatcher = new Agent({ keepAliveTimeout: 30_000, connections: 64 });
  private readonly origin: string;
  private readonly path: string;

  constructor(
    url: string,
    private readonly secret: string,
    /** Makes event ids unique across runs against the same ledger. */
    private readonly runId: string,
    private readonly source = 'pos-main',
  ) {
    const parsed = new URL(url);
    this.origin = parsed.origin;
    this.path = `${parsed.pathname}${parsed.search}`;
  }

  prepare(storeId: string, sku: string): PreparedEvent {
    // Wall-clock time, nudged forward so no two events share a millisecond.
    const key = Math.max(Date.now(), this.lastKey + 1);
    this.lastKey = key;
    const event = {
      eventId: `bench-${this.runId}-${++this.sequence}`,
      type: 'ADJUSTMENT',
      storeId,
      sku,
      quantity: 1,
      occurredAt: new Date(key).toISOString(),
    };
    return { key, body: JSON.stringify({ events: [event] }) };
  }

  /** POSTs one prepared delivery; resolves with whether the receiver applied it (2xx). */
  async post(body: string): Promise<boolean> {
    const res = await this.dispatcher.request({
      origin: this.origin,
      path: this.path,
      method: 'POST',
      headers: signedWebhookHeaders(this.source, this.secret, body),
      body,
      headersTimeout: 10_000,
      bodyTimeout: 10_000,
    });
    // Read to the end so the keep-alive socket is reused.
    await res.body.dump();
    return res.statusCode >= 200 && res.statusCode < 300;
  }

  close(): Promise<void> {
    return this.dispatcher.close();
  }
}
