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

  constructor(
    private readonly url: string,
    private readonly secret: string,
    /** Makes event ids unique across runs against the same ledger. */
    private readonly runId: string,
    private readonly source = 'pos-main',
  ) {}

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
    const res = await fetch(this.url, {
      method: 'POST',
      headers: signedWebhookHeaders(this.source, this.secret, body),
      body,
      signal: AbortSignal.timeout(10_000),
    });
    // Read to the end so the keep-alive socket is reused.
    await res.arrayBuffer();
    return res.ok;
  }
}
