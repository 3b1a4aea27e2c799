import type { StockEvent } from './stock-event.js';

/** Events at or before `after` are no longer retained: a resume from there would miss some. */
export class CursorExpiredError extends Error {
  constructor(
    readonly after: string,
    /** Resuming is possible from this id on. */
    readonly oldestResumable: string,
  ) {
    super(`Stock events after ${after} are no longer retained; resume from ${oldestResumable} or later, or re-read the stock.`);
    this.name = 'CursorExpiredError';
  }
}

/** `publish` without `createStream` found no stream: Redis lost it (restarted empty). The publisher must start over from the stream's state. */
export class StreamMissingError extends Error {
  constructor() {
    super('The stock event stream is missing: Redis lost it; republish from the ledger.');
    this.name = 'StreamMissingError';
  }
}

/** A running `follow`: stops delivery when closed. */
export interface BusFollower {
  /** False while it cannot read the stream (Redis down or unreachable): events may be arriving late. */
  readonly reading: boolean;
  /** Stops reading; resolves once no callback is running. Safe to call twice. */
  close(): Promise<void>;
}

/**
 * The stream of stock events between the inventory subgraph (which publishes
 * from its ledger's outbox) and every gateway (which follows it and fans out
 * to subscribers). Two engines: Redis Streams (`REDIS_URL`), shared by every
 * process; in-process, for the one-process stack.
 *
 * The stream is an ordered, bounded tail of the ledger: event ids only ever
 * increase in it. Publishing an id not above the stream's last is a no-op,
 * so republishing after a crash or from a second replica is harmless.
 */
export interface StockEventBus {
  /** `redis` or `memory`. */
  readonly engine: 'redis' | 'memory';
  /**
   * Appends events, which must be in ascending `eventId` order; events not
   * above the stream's last id are skipped. Resolves with how many were
   * appended. Rejects when the engine cannot be reached (nothing is lost: the
   * ledger still holds them, and the relay publishes them again).
   *
   * With `createStream: false` a missing stream is not recreated: the call
   * rejects with `StreamMissingError` instead. A publisher building on a top
   * it read earlier passes it, so a Redis that restarted empty in between
   * does not end up holding only the newest events with the gap unmarked.
   * @default createStream true
   */
  publish(events: readonly StockEvent[], options?: { createStream?: boolean }): Promise<number>;
  /** The id of the last event ever appended to the stream ('0' when none, or after Redis lost its data). */
  lastEventId(): Promise<string>;
  /**
   * Declares that events up to and including `eventId` are not in the stream
   * (a relay republishing only the tail of the ledger onto an empty stream),
   * so `readAfter` from before it throws `CursorExpiredError` instead of
   * silently skipping them.
   */
  markTrimmedUpTo(eventId: string): Promise<void>;
  /**
   * Retained events with id above `after`, ascending, at most `limit`, up to
   * and including `until` when given. Throws `CursorExpiredError` when
   * events above `after` have been trimmed (by retention, or lost).
   */
  readAfter(after: string, limit: number, until?: string): Promise<StockEvent[]>;
  /**
   * Calls `onEvents` with every event appended after `after`, in order, one
   * batch at a time (the next batch waits for the callback's promise). Each
   * event is delivered once: ids not above the last delivered are dropped.
   * Survives the engine restarting or failing over: it reconnects and goes
   * on from the last id it delivered.
   */
  follow(after: string, onEvents: (events: StockEvent[]) => void | Promise<void>): BusFollower;
  /**
   * Calls `listener` every time the engine (re)connects, so a publisher can
   * check what the stream lost (Redis keeps nothing across a restart here).
   * Returns a function that removes the listener.
   */
  onReconnect(listener: () => void): () => void;
  /** Ends every follower and connection. Safe to call twice. */
  close(): Promise<void>;
}
