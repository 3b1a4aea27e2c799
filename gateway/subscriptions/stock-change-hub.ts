import { GraphQLError } from 'graphql';
import { ErrorCode } from '../../lib/errors.js';
import { CursorExpiredError, type BusFollower, type StockEventBus } from '../../lib/events/stock-event-bus.js';
import { compareEventIds, type StockEvent } from '../../lib/events/stock-event.js';
import type { Logger } from '../../lib/logger.js';
import type { ConnectionBudget } from './connection-budget.js';
import type { SelectionPlan } from './selection-plan.js';
import { matchesFilter, type StockChangeFilter } from './stock-change-filter.js';
import type { SubscriberQueue } from './subscriber-queue.js';

export interface StockChangeHubOptions {
  bus: StockEventBus;
  logger: Logger;
  /** Events read from the bus per page while replaying `after`. @default 500 */
  replayPageSize?: number;
}

export interface HubSubscription {
  filter: StockChangeFilter;
  plan: SelectionPlan;
  queue: SubscriberQueue;
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

/**
 * Every `stockChanged` subscriber of this gateway process, fed from one
 * follower of the stock event bus. Per event: candidates are found by index
 * (sku, else location, else "all") before anything is resolved, then grouped
 * by selection plan, and each plan resolves the event once for its whole group.
 */
export class StockChangeHub {
  private cursor = '0';
  private follower: BusFollower | undefined;
  private readonly bySku = new Map<string, Set<Subscriber>>();
  private readonly byLocation = new Map<string, Set<Subscriber>>();
  private readonly unfiltered = new Set<Subscriber>();
  private readonly plans = new Map<string, { plan: SelectionPlan; users: number }>();
  private count = 0;

  constructor(private readonly options: StockChangeHubOptions) {}

  /** Starts following the bus from its current end: subscribers want what happens from now on (or resume with `after`). */
  async start(): Promise<void> {
    this.cursor = await this.options.bus.lastEventId();
    this.follower = this.options.bus.follow(this.cursor, (events) => this.dispatch(events));
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
    if (!entry) this.plans.set(key, (entry = { plan: create(), users: 0 }));
    return entry.plan;
  }

  /** Registers a subscriber; returns the function that removes it (the queue calls it when it ends). */
  subscribe(subscription: HubSubscription): () => void {
    const subscriber: Subscriber = { ...subscription, delivered: this.cursor };
    const index = this.indexFor(subscriber);
    for (const set of index) set.add(subscriber);
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
      for (const set of index) set.delete(subscriber);
      this.count--;
      const entry = this.plans.get(subscriber.plan.key);
      if (entry && --entry.users <= 0) this.plans.delete(subscriber.plan.key);
    };
  }

  async close(): Promise<void> {
    await this.follower?.close();
    this.follower = undefined;
  }

  private indexFor(subscriber: Subscriber): Array<Set<Subscriber>> {
    const { skus, locationIds } = subscriber.filter;
    const keyed = (map: Map<string, Set<Subscriber>>, keys: Iterable<string>) =>
      [...keys].map((k) => {
        let set = map.get(k);
        if (!set) map.set(k, (set = new Set()));
        return set;
      });
    if (skus) return keyed(this.bySku, skus);
    if (locationIds) return keyed(this.byLocation, locationIds);
    return [this.unfiltered];
  }

  private dispatch(events: StockEvent[]): void {
    for (const event of events) {
      this.cursor = event.eventId;
      const groups = new Map<SelectionPlan, Subscriber[]>();
      const consider = (subscriber: Subscriber) => {
        if (subscriber.held) {
          if (matchesFilter(subscriber.filter, event)) subscriber.held.push(event);
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
        const result = plan.resolve(event);
        for (const subscriber of subscribers) subscriber.queue.push(result);
      }
    }
  }

  /** Sends what the subscriber missed, at its own pace, then what arrived meanwhile; then it is live. */
  private async replay(subscriber: Subscriber, after: string, upTo: string): Promise<void> {
    const pageSize = this.options.replayPageSize ?? 500;
    let from = after;
    try {
      while (compareEventIds(from, upTo) < 0 && !subscriber.queue.ended) {
        const page = await this.options.bus.readAfter(from, pageSize, upTo);
        if (page.length === 0) break;
        for (const event of page) {
          if (!matchesFilter(subscriber.filter, event)) continue;
          await subscriber.budget.whenRoom();
          subscriber.queue.push(subscriber.plan.resolve(event));
        }
        from = (page[page.length - 1] as StockEvent).eventId;
      }
      const held = subscriber.held ?? [];
      subscriber.held = undefined;
      subscriber.delivered = upTo;
      for (const event of held) {
        subscriber.delivered = event.eventId;
        subscriber.queue.push(subscriber.plan.resolve(event));
      }
    } catch (err) {
      subscriber.held = undefined;
      if (err instanceof CursorExpiredError) {
        subscriber.queue.fail(
          new GraphQLError(err.message, { extensions: { code: ErrorCode.STOCK_CURSOR_EXPIRED, oldestResumable: err.oldestResumable } }),
        );
      } else {
        this.options.logger.error({ err, after }, 'stock event replay failed');
        subscriber.queue.fail(new GraphQLError('Could not replay the missed stock changes; resubscribe to try again.', { extensions: { code: ErrorCode.EVENT_BUS_UNAVAILABLE } }));
      }
    }
  }
}
