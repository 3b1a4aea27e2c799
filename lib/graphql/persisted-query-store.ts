import { failFastRedis } from '../fail-fast-redis.js';
import { LRUCache } from 'lru-cache';
import type { Logger } from '../logger.js';

/**
 * Where automatic persisted queries (Apollo's APQ) are kept, by the SHA-256 of
 * their text. Never throws: a store that cannot answer is a miss (the client
 * then sends the query again), so a Redis outage costs bytes, not requests.
 */
export interface PersistedQueryStore {
  /** The query registered under `hash`, or undefined (unknown, expired, or the store unreachable). */
  get(hash: string): Promise<string | undefined>;
  /** Registers `query` under `hash` (already checked to be its SHA-256). */
  set(hash: string, query: string): Promise<void>;
  close(): Promise<void>;
}

export interface MemoryPersistedQueryStoreOptions {
  /** Most queries kept; the least recently used go first. @default 10000 */
  maxEntries?: number;
  /** Most query text kept, in characters (a query may be as large as a request body). @default 33554432 (32 Mi) */
  maxChars?: number;
  /** How long a registered query is kept, in ms (0: until evicted). @default 86400000 (a day) */
  ttlMs?: number;
}

/** The store of one gateway process (no `REDIS_URL`): bounded by entries and by size. */
export function memoryPersistedQueryStore(options: MemoryPersistedQueryStoreOptions = {}): PersistedQueryStore {
  const ttl = options.ttlMs ?? 86_400_000;
  const queries = new LRUCache<string, string>({
    max: options.maxEntries ?? 10_000,
    maxSize: options.maxChars ?? 32 * 1024 * 1024,
    sizeCalculation: (query) => Math.max(1, query.length),
    ...(ttl > 0 ? { ttl } : {}),
  });
  return {
    get: async (hash) => queries.get(hash),
    set: async (hash, query) => {
      queries.set(hash, query);
    },
    close: async () => queries.clear(),
  };
}

export interface RedisPersistedQueryStoreOptions {
  url: string;
  /** Prepended to each hash: the key is `<keyPrefix><sha256>`. @default 'commerce-graph:apq:' */
  keyPrefix?: string;
  /** How long a registered query is kept, in ms (0: no expiry). @default 86400000 (a day) */
  ttlMs?: number;
  /** Deadline of each Redis command; past it the command counts as a miss. @default 500 */
  timeoutMs?: number;
  logger: Logger;
}

/**
 * The store every gateway process shares, in Redis: a query registered
 * through one replica is a hit on the next. Each command has a deadline, and
 * commands fail at once while Redis is down (no offline queue), so a request
 * never waits on an outage; the first failure of an outage is logged, the
 * rest are not until Redis answers again.
 */
export function redisPersistedQueryStore(options: RedisPersistedQueryStoreOptions): PersistedQueryStore {
  const keyPrefix = options.keyPrefix ?? 'commerce-graph:apq:';
  const ttlMs = options.ttlMs ?? 86_400_000;
  const timeoutMs = options.timeoutMs ?? 500;
  const redis = failFastRedis(options.url, timeoutMs);
  let failing = false;
  const connected = redis.connect().catch(() => undefined);
  /** Runs one command; any failure is a miss, logged once per outage. */
  const attempt = async <T>(command: () => Promise<T>): Promise<T | undefined> => {
    try {
      await connected;
      const result = await command();
      if (failing) options.logger.info('persisted query store reachable again');
      failing = false;
      return result;
    } catch (err) {
      if (!failing) options.logger.warn({ err }, 'persisted query store unreachable: persisted queries miss (clients send the query) until it answers');
      failing = true;
      return undefined;
    }
  };
  return {
    get: async (hash) => (await attempt(() => redis.get(`${keyPrefix}${hash}`))) ?? undefined,
    set: async (hash, query) => {
      await attempt(() => (ttlMs > 0 ? redis.set(`${keyPrefix}${hash}`, query, 'PX', ttlMs) : redis.set(`${keyPrefix}${hash}`, query)));
    },
    close: async () => {
      redis.disconnect();
    },
  };
}
