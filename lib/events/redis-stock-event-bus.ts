import { Redis } from 'ioredis';
import type { Logger } from '../logger.js';
import {
  decodeEntries,
  EVENT_FIELD,
  isIdNotAboveTop,
  isNoSuchKey,
  oldestResumable,
  parseStreamInfo,
  toStreamId,
  type RawStreamEntry,
} from './redis-stream-codec.js';
import { FOLLOW_BLOCK_MS, followRedisStream } from './redis-stream-follower.js';
import { CursorExpiredError, StreamMissingError, type BusFollower, type StockEventBus } from './stock-event-bus.js';
import { compareEventIds } from './stock-event.js';

export interface RedisStockEventBusOptions {
  /** `redis://…` of the Redis (7.0 or later) every process shares. */
  url: string;
  /** The stream key. */
  streamKey: string;
  /** Entries kept for `readAfter` resumes; XADD trims the oldest past it, approximately (`MAXLEN ~`, whole nodes at a time, so cheaply). */
  retention: number;
  logger: Logger;
  /**
   * Per-command timeout: while Redis is unreachable a call fails after this
   * rather than waiting for it to come back (the relay retries; nothing is
   * lost). @default 2000
   */
  commandTimeoutMs?: number;
}

/** Events one pipeline carries: bounds the buffers of a large republish. */
const PUBLISH_CHUNK = 1_000;

/**
 * Raises the stream's max-deleted-entry-id to ARGV[1] (never lowers it), in
 * one step so concurrent publishes and marks cannot interleave. A stream that
 * is missing (Redis lost it) or ends below the mark is moved up to it: its
 * last id becomes the mark too, so the relay's tail republish lands on top of
 * it and a resume from anywhere before it is refused, not silently gapped.
 */
const MARK_TRIMMED_LUA = `
local target = ARGV[1]
if target == '0' then return 0 end
local id = target .. '-0'
if redis.call('EXISTS', KEYS[1]) == 0 then
  -- XSETID cannot create a stream: add and delete one entry at the mark instead.
  redis.call('XADD', KEYS[1], id, 'e', '')
  redis.call('XDEL', KEYS[1], id)
  return 1
end
local info = redis.call('XINFO', 'STREAM', KEYS[1])
local last, maxdel
for i = 1, #info, 2 do
  if info[i] == 'last-generated-id' then last = info[i + 1]
  elseif info[i] == 'max-deleted-entry-id' then maxdel = info[i + 1] end
end
local function ms(id) return string.match(id, '^(%d+)') end
local function above(a, b)
  if #a ~= #b then return #a > #b end
  return a > b
end
if not above(target, ms(maxdel)) then return 0 end
if above(target, ms(last)) then last = id end
redis.call('XSETID', KEYS[1], last, 'MAXDELETEDID', id)
return 1
`;

/**
 * The Redis Streams engine: one stream shared by every process, entries
 * `<eventId>-0` (see `redis-stream-codec.ts`). The stream's own id check
 * makes publishing idempotent: XADD refuses an id not above the top, which
 * is an event already there. Each `follow` holds a connection of its own for
 * its blocking XREAD.
 */
export function createRedisStockEventBus(options: RedisStockEventBusOptions): StockEventBus {
  const { streamKey: key, retention, logger } = options;
  const commandTimeoutMs = options.commandTimeoutMs ?? 2_000;
  const redis = new Redis(options.url, {
    // Fail fast while Redis is down (a command waits at most two reconnect
    // attempts, and `commandTimeout` in any case) instead of queueing forever.
    maxRetriesPerRequest: 2,
    enableOfflineQueue: true,
    // Never give up reconnecting: Redis restarting is routine.
    retryStrategy: (times) => Math.min(times * 100, 2_000),
    commandTimeout: commandTimeoutMs,
    lazyConnect: false,
    connectionName: 'stock-event-bus',
  });

  const followers = new Set<BusFollower>();
  const reconnectListeners = new Set<() => void>();
  let closed = false;
  let closing: Promise<void> | undefined;
  let connectedOnce = false;
  let down = false;

  redis.on('error', (error: Error) => {
    if (closed) return;
    if (down) logger.debug({ err: error, key }, 'Stock event bus: Redis still unreachable');
    else logger.warn({ err: error, key }, 'Stock event bus: Redis unreachable; reconnecting');
    down = true;
  });
  redis.on('close', () => {
    if (closed || down) return;
    down = true;
    logger.warn({ key }, 'Stock event bus: Redis connection closed; reconnecting');
  });
  redis.on('ready', () => {
    if (down) logger.info({ key }, 'Stock event bus: Redis connection back');
    down = false;
    // The first connection is not a reconnect: whoever publishes checks the
    // stream when it starts anyway. Every later one may follow a restart
    // that lost the stream.
    if (!connectedOnce) {
      connectedOnce = true;
      return;
    }
    for (const listener of [...reconnectListeners]) {
      try {
        listener();
      } catch (error) {
        logger.error({ err: error, key }, 'Stock event bus: reconnect listener failed');
      }
    }
  });

  const streamInfo = async () => {
    try {
      return parseStreamInfo(await redis.xinfo('STREAM', key));
    } catch (error) {
      if (isNoSuchKey(error)) return undefined;
      throw error;
    }
  };

  const bus: StockEventBus = {
    engine: 'redis',

    async publish(events, publishOptions = {}) {
      const create = publishOptions.createStream ?? true;
      let appended = 0;
      let missing = false;
      for (let start = 0; start < events.length; start += PUBLISH_CHUNK) {
        const pipeline = redis.pipeline();
        for (const event of events.slice(start, start + PUBLISH_CHUNK)) {
          const id = toStreamId(event.eventId);
          const json = JSON.stringify(event);
          if (create) pipeline.xadd(key, 'MAXLEN', '~', retention, id, EVENT_FIELD, json);
          else pipeline.xadd(key, 'NOMKSTREAM', 'MAXLEN', '~', retention, id, EVENT_FIELD, json);
        }
        const results = (await pipeline.exec()) ?? [];
        for (const [error, reply] of results) {
          // Already in the stream (a republish, or another replica was first).
          if (error && !isIdNotAboveTop(error)) throw error;
          if (!error && reply === null) missing = true;
          else if (!error) appended++;
        }
        if (missing) throw new StreamMissingError();
      }
      return appended;
    },

    async lastEventId() {
      // Missing: never published, or Redis restarted and lost it.
      return (await streamInfo())?.lastId ?? '0';
    },

    async markTrimmedUpTo(eventId) {
      await redis.eval(MARK_TRIMMED_LUA, 1, key, eventId);
    },

    async readAfter(after, limit, until) {
      // One transaction, so no trim can fall between the check and the read.
      const results = await redis
        .multi()
        .xinfo('STREAM', key)
        .xrange(key, `(${toStreamId(after)}`, until === undefined ? '+' : toStreamId(until), 'COUNT', Math.max(limit, 1))
        .exec();
      const [[infoError, info], [rangeError, range]] = results as [[Error | null, unknown], [Error | null, unknown]];
      if (infoError) {
        if (isNoSuchKey(infoError)) return [];
        throw infoError;
      }
      if (rangeError) throw rangeError;
      const resumableFrom = oldestResumable(parseStreamInfo(info));
      if (compareEventIds(after, resumableFrom) < 0) throw new CursorExpiredError(after, resumableFrom);
      return limit > 0 ? decodeEntries(range as RawStreamEntry[]) : [];
    },

    follow(after, onEvents) {
      if (closed) return { reading: false, close: async () => undefined };
      const connection = redis.duplicate({
        // No per-command timeout here: XREAD BLOCK holds a command open for
        // FOLLOW_BLOCK_MS by design, so the main connection's would fail every
        // idle read. The follower times its reads itself, well above it.
        commandTimeout: undefined,
        // An XREAD in flight when the connection drops is sent again on
        // reconnect (ioredis's default, kept on purpose): it reads from the
        // id last delivered, so it is safe, and the loop goes on at once.
        autoResendUnfulfilledCommands: true,
        connectionName: 'stock-event-follower',
      });
      connection.on('error', (error: Error) => logger.debug({ err: error, key }, 'Stock event follower connection error'));
      const follower = followRedisStream({
        connection,
        key,
        after,
        onEvents,
        logger,
        readTimeoutMs: FOLLOW_BLOCK_MS + Math.max(commandTimeoutMs, FOLLOW_BLOCK_MS),
        onClosed: () => followers.delete(follower),
      });
      followers.add(follower);
      return follower;
    },

    onReconnect(listener) {
      const entry = () => listener();
      reconnectListeners.add(entry);
      return () => void reconnectListeners.delete(entry);
    },

    close() {
      closing ??= (async () => {
        closed = true;
        await Promise.all([...followers].map((f) => f.close()));
        let timer: NodeJS.Timeout | undefined;
        try {
          await Promise.race([
            redis.quit(),
            new Promise((_, reject) => (timer = setTimeout(() => reject(new Error('QUIT timed out')), commandTimeoutMs))),
          ]);
        } catch (error) {
          logger.debug({ err: error, key }, 'Stock event bus: QUIT failed; disconnecting');
        } finally {
          clearTimeout(timer);
          redis.disconnect();
        }
      })();
      return closing;
    },
  };
  return bus;
}
