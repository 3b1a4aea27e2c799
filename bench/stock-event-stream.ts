import { PosWebhook } from './pos-webhook.js';

/** Where and what to inject: the stack's POS webhook, and the stores and SKUs events pick from. */
export interface StockEventTargets {
  webhookUrl: string;
  secret: string;
  stores: readonly string[];
  skus: readonly string[];
}

/**
 * A steady stream of stock changes while a row is measured (`--stock-events`):
 * single ADJUSTMENT webhooks, as POS terminals send them, at `perSecond`, each
 * on a random store and one of `targets.skus`. Through the ledger, the outbox
 * and Redis they reach our gateway's hub, which drops the cached answers of
 * those SKUs: what a storefront's cache lives with.
 */
export class StockEventStream {
  private readonly webhook: PosWebhook;
  private timer: NodeJS.Timeout | undefined;
  private pending = new Set<Promise<void>>();
  sent = 0;
  applied = 0;

  constructor(
    private readonly targets: StockEventTargets,
    private readonly perSecond: number,
    runId: string,
  ) {
    this.webhook = new PosWebhook(targets.webhookUrl, targets.secret, runId);
  }

  /** Starts sending; a tick every 50 ms carries that tick's share of events. */
  start(): void {
    const started = performance.now();
    this.timer = setInterval(() => {
      const due = Math.floor(((performance.now() - started) / 1000) * this.perSecond);
      while (this.sent < due) this.send();
    }, 50);
  }

  /** Stops sending and waits for the deliveries in flight; returns how many were sent and applied. */
  async stop(): Promise<{ sent: number; applied: number }> {
    clearInterval(this.timer);
    await Promise.all(this.pending);
    return { sent: this.sent, applied: this.applied };
  }

  /** `stop`, then closes the webhook's sockets. */
  async close(): Promise<{ sent: number; applied: number }> {
    const counts = await this.stop();
    await this.webhook.close();
    return counts;
  }

  private send(): void {
    this.sent += 1;
    const pick = <T>(list: readonly T[]) => list[Math.floor(Math.random() * list.length)] as T;
    const { body } = this.webhook.prepare(pick(this.targets.stores), pick(this.targets.skus));
    const delivery = this.webhook.post(body).then(
      (ok) => {
        if (ok) this.applied += 1;
      },
      () => undefined,
    );
    this.pending.add(delivery);
    void delivery.finally(() => this.pending.delete(delivery));
  }
}
