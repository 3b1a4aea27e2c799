import { retentionOf, type CacheStore, type Retention, type Stored } from './cache-store.js';
import type { CacheRedis } from './cache-redis.js';

export interface RedisCacheStoreOptions<V> {
  redis: CacheRedis;
  /** Prepended to every key: `<keyPrefix><key>`. */
  keyPrefix: string;
  /** How long Redis keeps an entry after it is written, in ms (the key's expiry), for all or per value. */
  retainMs: Retention<V>;
  /**
   * Checks and rebuilds a value read back: JSON carries no classes, and an
   * entry written by another version of the service may not have today's
   * shape. Undefined: not a value this store can serve, taken as not held.
   */
  revive: (value: unknown) => V | undefined;
}

/** The JSON each key holds. */
interface StoredJson {
  readAt: number;
  value: unknown;
}

const isStoredJson = (json: unknown): json is StoredJson =>
  typeof json === 'object' && json !== null && typeof (json as StoredJson).readAt === 'number' && 'value' in json;

function parse(text: string | null): StoredJson | undefined {
  if (text === null) return undefined;
  try {
    const json: unknown = JSON.parse(text);
    return isStoredJson(json) ? json : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Entries in Redis, shared by every process on it: JSON `{readAt, value}`
 * under `<keyPrefix><key>`, expiring `retainMs` after they are written. A
 * read is one MGET and a write one pipeline; when Redis fails (see
 * cache-redis.ts) reads hold nothing and writes keep nothing.
 */
export function redisCacheStore<V>(options: RedisCacheStoreOptions<V>): CacheStore<V> {
  const { redis, keyPrefix, retainMs, revive } = options;
  return {
    async getMany(keys) {
      const found = new Map<string, Stored<V>>();
      if (keys.length === 0) return found;
      const texts = await redis.attempt((r) => r.mget(keys.map((key) => `${keyPrefix}${key}`)));
      texts?.forEach((text, i) => {
        const json = parse(text);
        const value = json && revive(json.value);
        if (json && value !== undefined) found.set(keys[i]!, { value, readAt: json.readAt });
      });
      return found;
    },
    async setMany(entries) {
      if (entries.length === 0) return;
      await redis.attempt(async (r) => {
        const pipeline = r.pipeline();
        for (const [key, entry] of entries) pipeline.set(`${keyPrefix}${key}`, JSON.stringify({ readAt: entry.readAt, value: entry.value }), 'PX', retentionOf(retainMs, entry.value));
        // A pipeline answers each command's error in its results rather than failing.
        const failed = (await pipeline.exec())?.find(([err]) => err);
        if (failed) throw failed[0];
      });
    },
    // The connection may serve other stores: its owner closes it.
    async close() {},
  };
}
