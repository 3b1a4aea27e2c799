import { waitAtMost } from './clock.js';
import { summarize } from './percentiles.js';
import type { PhaseResult } from './protocol.js';

interface Injection {
  sentAt: number;
  expected: number;
  /** Clients that received it: a second receipt by one client is a duplicate. */
  seen: Set<number>;
  streamedAt: number;
  firstAt: number;
  lastAt: number;
  complete?: () => void;
}

/**
 * Matches every receipt to the event it belongs to (by a key the message
 * carries back) and keeps the latencies of one phase.
 */
export class DeliveryTracker {
  private injections = new Map<number, Injection>();
  private latencies: number[] = [];
  private webhookRtts: number[] = [];
  private duplicates = 0;
  private unexpected = 0;
  private errors = 0;
  private firstError: string | undefined;
  private webhookFailures = 0;
  private closedClients = 0;
  private startedAt = 0;

  /** Starts a phase: forgets the previous one's numbers. */
  reset(startedAt: number): void {
    this.injections = new Map();
    this.latencies = [];
    this.webhookRtts = [];
    this.duplicates = this.unexpected = this.errors = this.webhookFailures = this.closedClients = 0;
    this.firstError = undefined;
    this.startedAt = startedAt;
  }

  /** Records an event about to be sent; resolves once all `expected` clients have it. */
  inject(key: number, expected: number, sentAt: number): Promise<void> {
    if (this.injections.has(key)) throw new Error(`Key ${key} injected twice`);
    return new Promise((complete) => {
      this.injections.set(key, { sentAt, expected, seen: new Set(), streamedAt: NaN, firstAt: NaN, lastAt: NaN, complete });
      if (expected === 0) complete();
    });
  }

  webhookAnswered(rttMs: number, ok: boolean): void {
    this.webhookRtts.push(rttMs);
    if (!ok) this.webhookFailures++;
  }

  /** The event reached the stream the gateway follows. */
  streamed(key: number, at: number): void {
    const injection = this.injections.get(key);
    if (injection && Number.isNaN(injection.streamedAt)) injection.streamedAt = at;
  }

  receive(key: number, client: number, at: number): void {
    const injection = this.injections.get(key);
    if (!injection) {
      this.unexpected++;
      return;
    }
    if (injection.seen.has(client)) {
      this.duplicates++;
      return;
    }
    injection.seen.add(client);
    this.latencies.push(at - injection.sentAt);
    if (injection.seen.size === 1) injection.firstAt = at;
    injection.lastAt = at;
    if (injection.seen.size === injection.expected) injection.complete?.();
  }

  /** A message with errors instead of the change: counted, and the first one kept to say why. */
  failed(error: unknown): void {
    this.errors++;
    this.firstError ??= JSON.stringify(error).slice(0, 500);
  }

  clientClosed(): void {
    this.closedClients++;
  }

  /** Resolves once every event so far reached everyone, or `timeoutMs` after the call. */
  async settle(timeoutMs: number): Promise<void> {
    const all = [...this.injections.values()].map(
      (i) =>
        new Promise<void>((resolve) => {
          if (i.seen.size >= i.expected) return resolve();
          const previous = i.complete;
          i.complete = () => (previous?.(), resolve());
        }),
    );
    await waitAtMost(Promise.all(all), timeoutMs);
  }

  result(subscribers: number, endedAt: number): PhaseResult {
    const injections = [...this.injections.values()];
    const expected = injections.reduce((sum, i) => sum + i.expected, 0);
    const delivered = injections.reduce((sum, i) => sum + Math.min(i.seen.size, i.expected), 0);
    const reached = injections.filter((i) => i.seen.size > 0);
    const streamed = injections.filter((i) => !Number.isNaN(i.streamedAt));
    return {
      subscribers,
      events: injections.length,
      expected,
      delivered,
      lost: expected - delivered,
      duplicates: this.duplicates,
      unexpected: this.unexpected,
      errors: this.errors,
      ...(this.firstError ? { firstError: this.firstError } : {}),
      latency: summarize(this.latencies),
      ...(streamed.length > 0
        ? { streamed: summarize(streamed.map((i) => i.streamedAt - i.sentAt)), fromStream: summarize(reached.filter((i) => !Number.isNaN(i.streamedAt)).map((i) => i.firstAt - i.streamedAt)) }
        : {}),
      firstReceipt: summarize(reached.map((i) => i.firstAt - i.sentAt)),
      lastReceipt: summarize(reached.map((i) => i.lastAt - i.sentAt)),
      ...(this.webhookRtts.length > 0 ? { webhook: summarize(this.webhookRtts) } : {}),
      webhookFailures: this.webhookFailures,
      closedClients: this.closedClients,
      durationMs: endedAt - this.startedAt,
    };
  }
}
