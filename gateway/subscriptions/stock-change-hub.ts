import { setImmediate as nextTurn } from 'node:timers/promises';
import { GraphQLError, type ExecutionResult } from 'graphql';
import { ErrorCode } from '../../lib/errors.js';
import { CursorExpiredError, type BusFollower, type StockEventBus } from '../../lib/events/stock-event-bus.js';
import { compareEventIds, type StockEvent } from '../../lib/events/stock-event.js';
import type { Logger } from '../../lib/logger.js';
import { metrics } from '../../lib/observability/metrics.js';
import type { ConnectionBudget } from './connection-budget.js';
import type { SelectionPlan } from './selection-plan.js';
import { matchesFilter, type StockChangeFilter } from './stock-change-filter.js';
import type { SubscriptionStream } from './subscription-stream.js';

export interface StockChangeHubOptions {
  bus: StockEventBus;
  logger: Logger;
  /** Events read from the bus per page while replaying `after`. @default 500 */
  replayPageSize?: number;
  /** Subscribers written to in one go before other work (the bus, pings) gets a turn. @default 2000 */
  sendChunk?: number;
}

/** Where one subscriber's results go: its socket, as graphql-ws `next` messages. */
export interface SubscriberSink {
  /** Sends one result, already serialised (`JSON.stringify` of an ExecutionResult); false when its socket is no longer open. */
  send(payloadJson: string): boolean;
}

export interface HubSubscription {
  filter: StockChangeFilter;
  plan: SelectionPlan;
  sink: SubscriberSink;
  /** Its life: ended by graphql-ws when the client goes, failed by the hub when a replay cannot be served. */
  stream: SubscriptionStream;
  budget: ConnectionBudget;
  /** Resume after this event id (replay from the bus, then live); unset: live only. */
  after?: string;
}

interface Subscriber extends HubSubscription {
  /** Only events above this id are delivered: no duplicate across replay and live. */
  delivered: string;
  /** Live events caught while the replay runs, delivered after it. */
  held?: StockEvent[];
}

interface PlanEntry {
  plan: SelectionPlan;
  users: number;
  /** The last send of this plan: the next waits for it, so every subscriber gets events in order. */
  tail: Promise<void>;
}

/**
 * Every `stockChanged` subscriber of this gateway process, fed from one
 * follower of the stock event bus. Per event: candidates are found by index
 * (sku, else location, else "all") before anything is resolved, then grouped
 * by selection plan; each plan resolves the event once and serialises it
 * once for its whole group, and the hub writes it to each subscriber's socket.
 */
export class StockChangeHub {
  private cursor = '0';
  private follower: BusFollower | undefined;
  private readonly bySku = new Map<string, Set<Subscriber>>();
  private readonly byLocation = new Map<string, Set<Subscriber>>();
  private readonly unfiltered = new Set<Subscriber>();
  private readonly plans = new Map<string, PlanEntry>();
  private readonly listeners = new Set<(events: readonly StockEvent[]) => void>();
  private readonly sendChunk: number;
  private count = 0;
  private unobserve: (() => void) | undefined;
  private retry: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(private readonly options: StockChangeHubOptions) {
    this.sendChunk = options.sendChunk ?? 2_000;
  }

  /**
   * Starts following the bus from its current end: subscribers want what
   * happens from now on (or resume with `after`). A bus out of reach (Redis
   * down) does not stop the gateway starting: queries need no bus, and the
   * hub keeps trying in the background, following as soon as it answers.
   */
  async start(): Promise<void> {
    this.unobserve = metrics.activeSubscriptions.observe({}, () => this.count);
    try {
      await this.follow();
    } catch (err) {
      this.options.logger.warn({ err }, 'stock event bus unreachable at start: subscriptions get changes once it answers');
      this.retryFollow(1);
    }
  }

  /** Whether the hub reads the bus now (false while it waits for a bus out of reach at start, or cannot read it since). */
  get following(): boolean {
    return this.follower?.reading === true;
  }

  private async follow(): Promise<void> {
    const cursor = await this.options.bus.lastEventId();
    if (this.closed) return;
    this.cursor = cursor;
    this.follower = this.options.bus.follow(this.cursor, (events) => this.dispatch(events));
  }

  /** Tries again after 0.5 s, doubling up to 10 s, until the bus answers or the hub closes. */
  private retryFollow(attempt: number): void {
    this.retry = setTimeout(() => {
      this.retry = undefined;
      this.follow().then(
        () => {
          if (!this.closed) this.options.logger.info({ lastEventId: this.cursor }, 'stock event bus reachable: following it');
        },
        () => {
          if (!this.closed) this.retryFollow(attempt + 1);
        },
      );
    }, Math.min(500 * 2 ** (attempt - 1), 10_000));
  }

  /** The id of the last event this process has dispatched. */
  get lastEventId(): string {
    return this.cursor;
  }

  get subscriberCount(): number {
    return this.count;
  }

  /** One plan object per key, so subscribers that share a selection share its results. */
  planFor(key: string, create: () => SelectionPlan): SelectionPlan {
    let entry = this.plans.get(key);
    if (!entry) this.plans.set(key, (entry = { plan: create(), users: 0, tail: Promise.resolve() }));
    return entry.plan;
  }

  /** Registers a subscriber; returns the function that removes it (its stream calls it when it ends). */
  subscribe(subscription: HubSubscription): () => void {
    // Where `after` stands against the stream is unknown until the bus answers: the client resubscribes then.
    if (!this.following && subscription.after !== undefined) {
      subscription.stream.fail(new GraphQLError('The stock event stream is out of reach, so missed changes cannot be replayed yet; resubscribe shortly.', { extensions: { code: ErrorCode.EVENT_BUS_UNAVAILABLE } }));
      return () => undefined;
    }
    const subscriber: Subscriber = { ...subscription, delivered: this.cursor };
    const unindex = this.index(subscriber);
    this.count++;
    const planEntry = this.plans.get(subscriber.plan.key);
    if (planEntry) planEntry.users++;
    const after = subscription.after;
    if (after !== undefined) {
      if (compareEventIds(after, this.cursor) < 0) {
        // Registered and the cursor read in one synchronous step: live events from here on are held, none is missed.
        subscriber.held = [];
        void this.replay(subscriber, after, this.cursor);
      } else {
        subscriber.delivered = after;
      }
    }
    let removed = false;
    return () => {
      if (removed) return;
      removed = true;
      unindex();
      this.count--;
      const entry = this.plans.get(subscriber.plan.key);
      if (entry && --entry.users <= 0) this.plans.delete(subscriber.plan.key);
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retry);
    this.unobserve?.();
    await this.follower?.close();
    this.follower = undefined;
  }

  /** Adds the subscriber to its index entries; returns the function that takes it out (and drops entries left empty). */
  private index(subscriber: Subscriber): () => void {
    const { skus, locationIds } = subscriber.filter;
    const keyed = (map: Map<string, Set<Subscriber>>, keys: Iterable<string>) => {
      const entries = [...keys];
      for (const k of entries) {
        let set = map.get(k);
        if (!set) map.set(k, (set = new Set()));
        set.add(subscriber);
      }
      return () => {
        for (const k of entries) {
          const set = map.get(k);
          set?.delete(subscriber);
          if (set?.size === 0) map.delete(k);
        }
      };
    };
    if (skus) return keyed(this.bySku, skus);
    if (locationIds) return keyed(this.byLocation, locationIds);
    this.unfiltered.add(subscriber);
    return () => void this.unfiltered.delete(subscriber);
  }

  /** Calls `listener` with every batch of events this process receives, before subscribers get them; returns the unsubscribe. */
  onEvents(listener: (events: readonly StockEvent[]) => void): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  private dispatch(events: StockEvent[]): void {
    const now = Date.now();
    for (const listener of this.listeners) {
      try {
        listener(events);
      } catch (err) {
        // A listener's failure is its own: subscribers still get the batch.
        this.options.logger.error({ err }, 'stock event listener failed');
      }
    }
    metrics.stockEventsReceived.inc(events.length);
    for (const event of events) {
      this.cursor = event.eventId;
      metrics.stockEventLag.observe(Math.max(0, now - Date.parse(event.occurredAt)) / 1000);
      const groups = new Map<SelectionPlan, Subscriber[]>();
      const consider = (subscriber: Subscriber) => {
        if (subscriber.held) {
          if (!matchesFilter(subscriber.filter, event)) return;
          subscriber.held.push(event);
          // Live events outrun a replay the client reads too slowly: a slow consumer like any other.
          if (subscriber.held.length > subscriber.budget.limit) subscriber.budget.overflow();
          return;
        }
        if (compareEventIds(event.eventId, subscriber.delivered) <= 0 || !matchesFilter(subscriber.filter, event)) return;
        subscriber.delivered = event.eventId;
        const group = groups.get(subscriber.plan);
        if (group) group.push(subscriber);
        else groups.set(subscriber.plan, [subscriber]);
      };
      this.bySku.get(event.sku)?.forEach(consider);
      this.byLocation.get(event.locationId)?.forEach(consider);
      this.unfiltered.forEach(consider);
      for (const [plan, subscribers] of groups) {
        const entry = this.plans.get(plan.key);
        const result = plan.resolve(event);
        const send = async () => this.sendAll(subscribers, await result);
        if (entry) entry.tail = entry.tail.then(send);
        else void send();
      }
    }
  }

  /** Serialises once, then writes to every subscriber of the group, a chunk at a time. */
  private async sendAll(subscribers: Subscriber[], result: ExecutionResult): Promise<void> {
    const json = JSON.stringify(result);
    for (let start = 0; start < subscribers.length; start += this.sendChunk) {
      if (start > 0) await nextTurn();
      const end = Math.min(start + this.sendChunk, subscribers.length);
      let sent = 0;
      for (let i = start; i < end; i++) {
        const subscriber = subscribers[i] as Subscriber;
        if (!subscriber.stream.ended && subscriber.sink.send(json)) sent++;
      }
      metrics.stockEventsDelivered.inc(sent);
    }
  }

  /** Sends what the subscriber missed, at its own pace, then what arrived meanwhile; then it is live. */
  private async replay(subscriber: Subscriber, after: string, upTo: string): Promise<void> {
    const pageSize = this.options.replayPageSize ?? 500;
    const { stream, sink, plan, budget, filter } = subscriber;
    const sendOne = async (event: StockEvent) => {
      await budget.whenRoom();
      const result = await plan.resolve(event);
      if (!stream.ended && sink.send(JSON.stringify(result))) metrics.stockEventsDelivered.inc();
    };
    let from = after;
    try {
      while (compareEventIds(from, upTo) < 0 && !stream.ended) {
        const page = await this.options.bus.readAfter(from, pageSize, upTo);
        // `upTo` was dispatched here, so it was in the stream: an empty page means the stream lost it.
        if (page.length === 0) throw new Error(`The stock event stream no longer holds events after ${from} up to ${upTo}.`);
        for (const event of page) {
          if (stream.ended) return;
          if (matchesFilter(filter, event)) await sendOne(event);
        }
        from = (page[page.length - 1] as StockEvent).eventId;
      }
      subscriber.delivered = upTo;
      // Live events keep arriving while these are sent: go live only once none is left, in the same turn.
      const held = subscriber.held ?? [];
      while (held.length > 0 && !stream.ended) {
        const event = held.shift() as StockEvent;
        subscriber.delivered = event.eventId;
        await sendOne(event);
      }
      subscriber.held = undefined;
    } catch (err) {
      subscriber.held = undefined;
      if (err instanceof CursorExpiredError) {
        stream.fail(new GraphQLError(err.message, { extensions: { code: ErrorCode.STOCK_CURSOR_EXPIRED, oldestResumable: err.oldestResumable } }));
      } else {
        this.options.logger.error({ err, after }, 'stock event replay failed');
        stream.fail(new GraphQLError('Could not replay the missed stock changes; resubscribe to try again.', { extensions: { code: ErrorCode.EVENT_BUS_UNAVAILABLE } }));
      }
    }
  }
}
