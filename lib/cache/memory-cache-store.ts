import { LRUCache } from 'lru-cache';
import type { CacheStore, Stored } from './cache-store.js';

export interface MemoryCacheStoreOptions<V> {
  /** Most entries kept, or with `sizeOf` the largest total size; the least recently used go first. */
  max: number;
  /** The size an entry counts for against `max` (a page of products: how many it holds). @default 1 an entry */
  sizeOf?: (value: V) => number;
}

/**
 * The entries of one process, bounded by count (or size) and not by age: an
 * old entry costs nothing more than a new one within the bound, and the cache
 * in front decides what its age means (it may still be the answer when the
 * source fails).
 */
export function memoryCacheStore<V>(options: MemoryCacheStoreOptions<V>): CacheStore<V> {
  const { sizeOf } = options;
  const entries = new LRUCache<string, Stored<V>>(
    sizeOf ? { maxSize: options.max, sizeCalculation: (entry) => Math.max(1, sizeOf(entry.value)) } : { max: options.max },
  );
  return {
    async getMany(keys) {
      const found = new Map<string, Stored<V>>();
      for (const key of keys) {
        const entry = entries.get(key);
        if (entry) found.set(key, entry);
      }
      return found;
    },
    async setMany(list) {
      for (const [key, entry] of list) entries.set(key, entry);
    },
    async close() {
      entries.clear();
    },
  };
}
