import { StreamMissingError, type StockEventBus } from '../../../lib/events/stock-event-bus.js';
import { compareEventIds, type StockEvent } from '../../../lib/events/stock-event.js';
import type { Logger } from '../../../lib/logger.js';
import type { LedgerRepository } from '../ledger/ledger-repository.js';
import type { CommittedEvents } from '../ledger/ledger-writer.js';

export interface OutboxRelayOptions {
  ledger: LedgerRepository;
  bus: StockEventBus;
  logger: Logger;
  /** How often to look for events committed by another replica. @default 1000 */
  pollMs?: number;
  /** Events the bus keeps (its retention): at most this many are republished onto a stream that lost them. @default 100000 */
  retention?: number;
  /** Events read and published at a time. @default 1000 */
  pageSize?: number;
}

/**
 * The events of `committed` when, together, they follow `cursor` with nothing
 * between (each write's top is the one before's last event) and fit in one
 * page; otherwise none.
 */
function followingEvents(cursor: string, committed: readonly CommittedEvents[], pageSize: number): StockEvent[] | undefined {
  if (committed.length === 0 || cursor === '0') return undefined;
  const events: StockEvent[] = [];
  let top = cursor;
  for (const write of committed) {
    if (write.after !== top || write.events.length === 0 || events.length + write.events.length > pageSize) return undefined;
    events.push(...write.events);
    top = (write.events[write.events.length - 1] as StockEvent).eventId;
  }
  return events;
}

export interface OutboxRelay {
  /** Starts the poll timer and the reconnect listener, and syncs once. */
  start(): void;
  /**
   * Something was committed: sync soon. Ignored before start and after close.
   * `committed`: what this process just wrote and the ledger's top before it;
   * when that top is the stream's, the events are published as given, without
   * reading them back from the ledger.
   */
  wake(committed?: CommittedEvents): void;
  /** Syncs now (or once more after the run under way) and resolves when done; never rejects (failures are logged). */
  sync(): Promise<void>;
  /** Stops the timer and the listener, and waits for a sync under way. Safe to call twice. */
  close(): Promise<void>;
}

/**
 * Publishes the ledger's committed stock events to the bus: the relay half of
 * the outbox. The stream itself is the cursor (no "published" flag in the
 * ledger): each sync publishes the events above the stream's last id, in
 * order. Event ids follow commit order (the ledger writer's lock), so nothing
 * committed can be skipped, and the bus drops what it already has, so a crash
 * mid-publish, a second replica or a repeated sync publishes nothing twice.
 * A backlog of any size is published in full while the stream holds its top.
 *
 * Runs on start, on `wake()` (after each local commit: the events it
 * committed are published as they are when nothing lies between them and the
 * stream's top, which saves a read per commit), every `pollMs`
 * (another replica's commits) and when the bus reconnects (Redis restarted and
 * lost the stream). When an empty stream is behind by more than it could keep
 * (fresh or emptied Redis, a ledger older than the retention), only the last
 * `retention` events are published and the bus is told the rest are gone, so
 * a subscriber resuming from before them is refused, not silently skipped.
 *
 * Syncs are single-flight: a trigger during a run asks for exactly one more.
 * A failure (bus unreachable) is logged when it starts and when it ends, not
 * on every poll, and retried by the next trigger: the ledger still has it all.
 */
export function createOutboxRelay(options: OutboxRelayOptions): OutboxRelay {
  const { ledger, bus, logger } = options;
  const pollMs = options.pollMs ?? 1_000;
  const retention = options.retention ?? 100_000;
  // A first page shorter than this proves the stream is less than `retention` behind: no tail check needed.
  const pageSize = Math.min(options.pageSize ?? 1_000, retention);

  let started = false;
  let closed = false;
  let timer: NodeJS.Timeout | undefined;
  let removeListener: (() => void) | undefined;
  let running: Promise<void> | undefined;
  let again = false;
  let failing = false;
  // The stream's top as of this relay's last clean publish: saves asking the bus on every commit.
  // Forgotten whenever it may be wrong: another replica published too, a failure, a reconnect.
  let knownTop: string | undefined;
  // Bumped on every reconnect: a sync that started before it must not put back a top it read before.
  let generation = 0;
  // This process's commits since the last sync began: a page that needs no read when they follow the stream's top.
  let committed: CommittedEvents[] = [];
  // Set by every trigger that may stand for commits not in `committed` (a poll, a bare wake, a reconnect, `sync()`): the next sync reads the ledger.
  let mustRead = true;

  async function syncOnce(): Promise<void> {
    const started = generation;
    const fresh = committed;
    committed = [];
    const read = mustRead;
    mustRead = false;
    let cursor = knownTop ?? (await bus.lastEventId());
    knownTop = undefined;
    let page = (read ? undefined : followingEvents(cursor, fresh, pageSize)) ?? (await ledger.stockEventsAfter(cursor, pageSize));
    // Only an empty stream (fresh or emptied Redis) is filled from the tail. A stream that holds its top gets
    // everything after it, however much (an ERP sync may change a million levels): live followers miss nothing.
    if (page.length === pageSize && cursor === '0') {
      // Possibly more than the stream keeps: start at the tail, and say that what lies before it is gone.
      const beforeTail = await ledger.stockEventBeforeTail(retention);
      if (beforeTail !== undefined && compareEventIds(beforeTail, cursor) > 0) {
        logger.warn({ streamLastEventId: cursor, republishFrom: beforeTail, retention }, 'stock event stream is behind the ledger by more than it keeps: publishing the tail only');
        await bus.markTrimmedUpTo(beforeTail);
        cursor = beforeTail;
        page = await ledger.stockEventsAfter(cursor, pageSize);
      }
    }
    let published = 0;
    let clean = true;
    // Only a stream known to be empty is (re)built from scratch; anything else must still be there.
    const createStream = cursor === '0';
    while (page.length > 0 && !closed) {
      const appended = await bus.publish(page, { createStream });
      published += appended;
      clean &&= appended === page.length;
      cursor = (page[page.length - 1] as StockEvent).eventId;
      if (page.length < pageSize) break;
      page = await ledger.stockEventsAfter(cursor, pageSize);
    }
    if (clean && started === generation) knownTop = cursor;
    if (published > 0) logger.debug({ published }, 'stock events published');
  }

  async function loop(): Promise<void> {
    do {
      again = false;
      try {
        await syncOnce();
        if (failing) logger.info('stock events publishing again');
        failing = false;
      } catch (err) {
        if (err instanceof StreamMissingError) {
          // Redis lost the stream since the top was read: start over from what it holds now.
          logger.warn('stock event stream missing: republishing from the ledger');
          knownTop = undefined;
          again = true;
          continue;
        }
        // What the failed run held may not be on the stream: the next one reads the ledger.
        mustRead = true;
        if (!failing) logger.warn({ err }, 'publishing stock events failed: retrying on the next commit, poll or reconnect');
        else logger.debug({ err }, 'publishing stock events still failing');
        failing = true;
      }
    } while (again && !closed);
  }

  const sync = (needsRead = true): Promise<void> => {
    if (needsRead) mustRead = true;
    if (closed) return running ?? Promise.resolve();
    if (running) {
      again = true;
      return running;
    }
    running = loop().finally(() => {
      running = undefined;
    });
    return running;
  };

  return {
    start() {
      if (started || closed) return;
      started = true;
      timer = setInterval(() => void sync(), pollMs);
      // The subgraph's server keeps the process alive; a forgotten relay should not.
      timer.unref();
      removeListener = bus.onReconnect(() => {
        knownTop = undefined;
        generation++;
        void sync();
      });
      void sync();
    },
    wake(events) {
      if (!started || closed) return;
      if (events) committed.push(events);
      void sync(events === undefined);
    },
    sync: () => sync(),
    async close() {
      closed = true;
      if (timer) clearInterval(timer);
      timer = undefined;
      removeListener?.();
      removeListener = undefined;
      await running;
    },
  };
}
