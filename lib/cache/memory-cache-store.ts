import { LRUCache } from 'lru-cache';
import { retentionOf, type CacheStore, type Retention, type Stored } from './cache-store.js';

export interface MemoryCacheStoreOptions<V> {
  /** Most entries kept, or with `sizeOf` the largest total size; the least recently used go first. */
  max: number;
  /** The size an entry counts for against `max` (a page of products: how many it holds). @default 1 an entry */
  sizeOf?: (value: V) => number;
  /**
   * How long an entry is kept after it was read from its source (its
   * `readAt`), as a Redis store keeps it after writing it: past that it is
   * gone, whatever room is left.
   */
  retainMs: Retention<V>;
  /** The clock `readAt` is compared with (the cache's). @default Date.now */
  now?: () => number;
}

interface Held<V> {
  entry: Stored<V>;
  expiresAt: number;
}

/**
 * The entries of one process, bounded by count (or size) and by age
 * (`retainMs`), as Redis bounds them by age. Within its age an old entry is
 * kept like a new one: the cache in front decides what its age means (it may
 * still be the answer when the source fails). Once closed it keeps nothing,
 * so a write that comes late cannot refill it.
 */
export function memoryCacheStore<V>(options: MemoryCacheStoreOptions<V>): CacheStore<V> {
  const { sizeOf, retainMs } = options;
  const now = options.now ?? Date.now;
  const entries = new LRUCache<string, Held<V>>(
    sizeOf ? { maxSize: options.max, sizeCalculation: (held) => Math.max(1, sizeOf(held.entry.value)) } : { max: options.max },
  );
  let closed = false;
  return {
    async getMany(keys) {
      const found = new Map<string, Stored<V>>();
      const at = now();
      for (const key of keys) {
        const held = entries.get(key);
        if (!held) continue;
        if (at <= held.expiresAt) found.set(key, held.entry);
        else entries.delete(key);
      }
      return found;
    },
    async setMany(list) {
      if (closed) return;
      for (const [key, entry] of list) entries.set(key, { entry, expiresAt: entry.readAt + retentionOf(retainMs, entry.value) });
    },
    async close() {
      closed = true;
      entries.clear();
    },
  };
}
