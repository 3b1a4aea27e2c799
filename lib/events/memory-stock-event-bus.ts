import type { Logger } from '../logger.js';
import { CursorExpiredError, type BusFollower, type StockEventBus } from './stock-event-bus.js';
import { compareEventIds, type StockEvent } from './stock-event.js';

export interface MemoryStockEventBusOptions {
  /** Events kept for `readAfter`; the oldest are trimmed past it. @default 100000 */
  retention?: number;
  /** Where a follower callback's error goes (delivery goes on, as with Redis). @default dropped */
  logger?: Pick<Logger, 'error'>;
}

/**
 * The in-process engine, for the one-process stack (`npm start` without
 * `REDIS_URL`): a bounded array of the stream's tail, and followers woken on
 * every publish. Same contract as the Redis engine, so the gateway and the
 * inventory subgraph cannot tell them apart.
 */
export function createMemoryStockEventBus(options: MemoryStockEventBusOptions = {}): StockEventBus {
  const retention = options.retention ?? 100_000;
  let events: StockEvent[] = [];
  let lastId = '0';
  let trimmedUpTo = '0';
  const followers = new Set<{ wake(): void }>();
  let closed = false;

  const indexAfter = (after: string): number => {
    // Binary search: the first retained event with id above `after`.
    let lo = 0;
    let hi = events.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compareEventIds((events[mid] as StockEvent).eventId, after) <= 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };

  const bus: StockEventBus = {
    engine: 'memory',
    async publish(batch) {
      let appended = 0;
      for (const event of batch) {
        if (compareEventIds(event.eventId, lastId) <= 0) continue;
        events.push(event);
        lastId = event.eventId;
        appended++;
      }
      if (events.length > retention) {
        const cut = events.length - retention;
        trimmedUpTo = (events[cut - 1] as StockEvent).eventId;
        events = events.slice(cut);
      }
      if (appended > 0) for (const f of followers) f.wake();
      return appended;
    },
    async lastEventId() {
      return lastId;
    },
    async markTrimmedUpTo(eventId) {
      if (compareEventIds(eventId, trimmedUpTo) > 0) trimmedUpTo = eventId;
      // As with Redis: the stream now ends at the mark at least, so what is published next lands above it.
      if (compareEventIds(eventId, lastId) > 0) lastId = eventId;
    },
    async readAfter(after, limit, until) {
      if (compareEventIds(after, trimmedUpTo) < 0) throw new CursorExpiredError(after, trimmedUpTo);
      const start = indexAfter(after);
      const page = events.slice(start, start + limit);
      return until === undefined ? page : page.filter((e) => compareEventIds(e.eventId, until) <= 0);
    },
    follow(after, onEvents): BusFollower {
      let cursor = after;
      let wake: (() => void) | undefined;
      let stopped = false;
      const follower = { wake: () => wake?.() };
      followers.add(follower);
      const loop = (async () => {
        while (!stopped && !closed) {
          const start = indexAfter(cursor);
          if (start < events.length) {
            const batch = events.slice(start, start + 1_000);
            cursor = (batch[batch.length - 1] as StockEvent).eventId;
            try {
              await onEvents(batch);
            } catch (err) {
              // Not delivered again: a callback that throws would throw again on the same batch.
              options.logger?.error({ err, after: batch[0]?.eventId }, 'stock event follower callback failed');
            }
            continue;
          }
          await new Promise<void>((resolve) => (wake = resolve));
          wake = undefined;
        }
      })();
      return {
        // In process: nothing to be cut off from.
        reading: true,
        close: async () => {
          stopped = true;
          followers.delete(follower);
          follower.wake();
          await loop;
        },
      };
    },
    onReconnect() {
      // Never disconnects.
      return () => undefined;
    },
    async close() {
      closed = true;
      for (const f of followers) f.wake();
      followers.clear();
    },
  };
  return bus;
}
