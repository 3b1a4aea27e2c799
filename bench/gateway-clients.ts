import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { now } from './clock.js';
import type { DeliveryTracker } from './delivery-tracker.js';

/** What a POS terminal or storefront widget subscribes to; `product { name }` makes the gateway resolve each event through the subgraphs. */
export const STOCK_CHANGED = `subscription($locationIds: [ID!]) {
  stockChanged(locationIds: $locationIds) { eventId sku delta occurredAt location { id } product { name } }
}`;

/** Only fields the bus event carries: the gateway answers in-process (a diagnostic, to price the subgraph round trip). */
export const STOCK_CHANGED_EVENT_ONLY = `subscription($locationIds: [ID!]) {
  stockChanged(locationIds: $locationIds) { eventId sku delta occurredAt }
}`;

interface StockChangedData {
  stockChanged?: { occurredAt: string } | null;
}

/** N graphql-ws clients of the gateway, one connection and one `stockChanged` subscription each. */
export class GatewayClients {
  private clients: Client[] = [];
  private unsubscribes: Array<() => void> = [];
  private closing = false;

  constructor(
    private readonly url: string,
    /** `Bearer <token>`, sent in connection_init. */
    private readonly authorization: string,
    private readonly tracker: DeliveryTracker,
    private readonly query = STOCK_CHANGED,
  ) {}

  get count(): number {
    return this.clients.length;
  }

  /** Opens the connections `batch` at a time, each batch awaited until acknowledged (connection_ack). */
  async connect(count: number, batch: number): Promise<void> {
    for (let start = 0; start < count; start += batch) {
      const indices = Array.from({ length: Math.min(batch, count - start) }, (_, k) => start + k);
      await Promise.all(indices.map((i) => this.open(i)));
    }
  }

  subscribe(variablesFor: (client: number) => Record<string, unknown>): void {
    this.unsubscribes = this.clients.map((client, i) =>
      client.subscribe<StockChangedData>(
        { query: this.query, variables: variablesFor(i) },
        {
          next: (result) => {
            const at = now();
            const change = result.data?.stockChanged;
            if (!change || result.errors?.length) this.tracker.failed(result.errors ?? result);
            else this.tracker.receive(Date.parse(change.occurredAt), i, at);
          },
          error: (err) => this.tracker.failed(err instanceof Error ? err.message : err),
          complete: () => undefined,
        },
      ),
    );
  }

  unsubscribeAll(): void {
    for (const unsubscribe of this.unsubscribes) unsubscribe();
    this.unsubscribes = [];
  }

  async close(): Promise<void> {
    this.closing = true;
    await Promise.all(this.clients.map((c) => c.dispose()));
    this.clients = [];
  }

  private open(i: number): Promise<void> {
    return new Promise((resolve, reject) => {
      let connected = false;
      this.clients[i] = createClient({
        url: this.url,
        connectionParams: { authorization: this.authorization },
        webSocketImpl: WebSocket,
        lazy: false,
        retryAttempts: 0,
        // Closes are counted through `on.closed`; the default would print each one.
        onNonLazyError: () => undefined,
        on: {
          connected: () => {
            connected = true;
            resolve();
          },
          closed: (event) => {
            if (!connected) reject(new Error(`Client ${i} closed before it was acknowledged: ${(event as { code?: number }).code ?? String(event)}`));
            else if (!this.closing) this.tracker.clientClosed();
          },
        },
      });
    });
  }
}
