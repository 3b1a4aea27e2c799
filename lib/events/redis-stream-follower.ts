import type { Redis } from 'ioredis';
import type { Logger } from '../logger.js';
import { decodeEntries, toEventId, toStreamId, type RawStreamEntry } from './redis-stream-codec.js';
import type { BusFollower } from './stock-event-bus.js';
import { compareEventIds, type StockEvent } from './stock-event.js';

/** How long one XREAD waits for new entries before it asks again. */
export const FOLLOW_BLOCK_MS = 2_000;
/** Entries one XREAD returns at most: one batch for the callback. */
const FOLLOW_BATCH = 1_000;
/** Backoff between failed reads: doubles from the first to the cap, so a restarting Redis is found quickly and a dead one not hammered. */
const RETRY_FIRST_MS = 50;
const RETRY_MAX_MS = 2_000;

export interface RedisStreamFollowerOptions {
  /** A connection of its own: XREAD BLOCK holds it, and `close` disconnects it. */
  connection: Redis;
  key: string;
  /** Deliver entries above this event id. */
  after: string;
  onEvents: (events: StockEvent[]) => void | Promise<void>;
  logger: Logger;
  /**
   * How long one XREAD may take before the connection is taken for dead and
   * reconnected (a half-open socket, a host gone without a reset, would hang
   * it for good). Must be well above FOLLOW_BLOCK_MS, which every idle read
   * takes by design.
   */
  readTimeoutMs: number;
  /** Called once the loop has ended and the connection is closed. */
  onClosed?: () => void;
}

/**
 * Follows a stream with a blocking XREAD loop, one batch at a time, from the
 * last event id it delivered; ids not above it are dropped, so a stream that
 * Redis lost and a relay refilled with older ids delivers nothing twice. Any
 * error (Redis down, restarting, a timeout) is logged once per outage and
 * retried with a capped backoff: the loop only ends on `close`.
 */
export function followRedisStream(options: RedisStreamFollowerOptions): BusFollower {
  const { connection, key, onEvents, logger, readTimeoutMs } = options;
  let cursor = options.after;
  let stopping = false;
  /** Ends the current wait (an XREAD or a backoff) at once; set while the loop waits. */
  let interrupt: (() => void) | undefined;

  /** Resolves after `ms`, or at once when the follower closes. */
  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      interrupt = () => {
        clearTimeout(timer);
        resolve();
      };
    }).finally(() => (interrupt = undefined));

  /** One XREAD; `undefined` when it timed out empty or the follower closed. */
  const read = () => {
    let timer: NodeJS.Timeout | undefined;
    return new Promise<RawStreamEntry[] | undefined>((resolve, reject) => {
      // `close` does not wait for the XREAD to settle: disconnecting does not
      // always reject it (not while ioredis is between reconnect attempts).
      interrupt = () => resolve(undefined);
      // Our own timer rather than ioredis's `commandTimeout`: that one only
      // rejects (the dead socket stays), and its timer outlives the command.
      timer = setTimeout(() => {
        reject(new Error(`XREAD on ${key} took over ${readTimeoutMs} ms; reconnecting`));
        connection.disconnect(true);
      }, readTimeoutMs);
      connection
        .xread('COUNT', FOLLOW_BATCH, 'BLOCK', FOLLOW_BLOCK_MS, 'STREAMS', key, toStreamId(cursor))
        .then((reply) => resolve(reply?.[0]?.[1] as RawStreamEntry[] | undefined), reject);
    }).finally(() => {
      clearTimeout(timer);
      interrupt = undefined;
    });
  };

  /** Reads have been failing since the last one that worked. */
  let failing = false;
  const loop = (async () => {
    let retryMs = RETRY_FIRST_MS;
    while (!stopping) {
      let entries: RawStreamEntry[] | undefined;
      try {
        entries = await read();
      } catch (error) {
        if (stopping) break;
        if (!failing) logger.warn({ err: error, key, after: cursor }, 'Stock event follower cannot read the stream; retrying');
        else logger.debug({ err: error, key }, 'Stock event follower still cannot read the stream');
        failing = true;
        await pause(retryMs);
        retryMs = Math.min(retryMs * 2, RETRY_MAX_MS);
        continue;
      }
      if (failing) logger.info({ key, after: cursor }, 'Stock event follower reads the stream again');
      failing = false;
      retryMs = RETRY_FIRST_MS;
      if (stopping || !entries?.length) continue;
      const fresh = entries.filter(([id]) => compareEventIds(toEventId(id), cursor) > 0);
      if (!fresh.length) continue;
      // Advanced before the callback: a batch it fails on is not delivered again.
      cursor = toEventId((fresh[fresh.length - 1] as RawStreamEntry)[0]);
      try {
        await onEvents(decodeEntries(fresh));
      } catch (error) {
        logger.error({ err: error, key, upTo: cursor }, 'Stock event follower callback failed; going on');
      }
    }
  })();

  let closing: Promise<void> | undefined;
  return {
    get reading() {
      return !failing && !stopping;
    },
    close() {
      closing ??= (async () => {
        stopping = true;
        interrupt?.();
        connection.disconnect();
        await loop;
        options.onClosed?.();
      })();
      return closing;
    },
  };
}
