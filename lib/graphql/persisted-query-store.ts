import { LRUCache } from 'lru-cache';
import { cacheRedis } from '../cache/cache-redis.js';
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
 * through one replica is a hit on the next. Its connection is a cache's
 * (lib/cache/cache-redis.ts): each command has a deadline, commands fail at
 * once while Redis is down, and a breaker stops calling a Redis that hangs, so
 * a request never waits on an outage; the outage is logged when it starts
 * and when it ends.
 */
export function redisPersistedQueryStore(options: RedisPersistedQueryStoreOptions): PersistedQueryStore {
  const keyPrefix = options.keyPrefix ?? 'commerce-graph:apq:';
  const ttlMs = options.ttlMs ?? 86_400_000;
  const redis = cacheRedis({
    url: options.url,
    timeoutMs: options.timeoutMs ?? 500,
    name: 'persisted query store',
    whileDown: 'persisted queries miss (clients send the query)',
    logger: options.logger,
  });
  return {
    get: async (hash) => (await redis.attempt((r) => r.get(`${keyPrefix}${hash}`))) ?? undefined,
    set: async (hash, query) => {
      await redis.attempt((r) => (ttlMs > 0 ? r.set(`${keyPrefix}${hash}`, query, 'PX', ttlMs) : r.set(`${keyPrefix}${hash}`, query)));
    },
    close: () => redis.close(),
  };
}
