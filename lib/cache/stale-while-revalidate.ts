import DataLoader from 'dataloader';
import { metrics } from '../observability/metrics.js';
import type { CacheStore, Stored } from './cache-store.js';

/** A value as the cache serves it. */
export interface Served<V> {
  value: V;
  /** How long ago it was read from the source, in ms. */
  ageMs: number;
  /** Past its TTL: the source could not be asked, or is being asked in the background. */
  stale: boolean;
}

export interface StaleWhileRevalidateOptions<V> {
  /** The `cache` label of `cache_requests_total`: `product`. */
  name: string;
  store: CacheStore<V>;
  /**
   * Reads keys from the source (DataLoader's contract: a value or an Error
   * per key, in order; a rejection fails them all). The misses and refreshes
   * of one turn come as one batch.
   */
  load: (keys: readonly string[]) => Promise<ReadonlyArray<V | Error>>;
  /** How long a value is served as current. */
  ttlMs: number;
  /** How long past `ttlMs` it is still served at once (stale) while it is read again in the background. */
  staleMs: number;
  /** The clock ages are measured on; shared stores compare times written by several processes. @default Date.now */
  now?: () => number;
  /** A background refresh failed (the entry stays as it was). @default ignored */
  onRefreshError?: (err: unknown, key: string) => void;
}

export interface StaleWhileRevalidateCache<V> {
  /** Per key, in order: the value served, or the error of a read from the source that had nothing to fall back on. */
  getMany(keys: readonly string[]): Promise<Array<Served<V> | Error>>;
}

const asError = (err: unknown): Error => (err instanceof Error ? err : new Error(String(err)));

/**
 * A cache with three ages per entry. Fresh (within `ttlMs`): served.
 * Stale (within `staleMs` more): served at once, and read again from the
 * source in the background. Older or not held: read from the source and
 * waited for; if the source fails, an entry still held is served (stale)
 * rather than the error.
 *
 * The lookups of one turn share one store read; every key is read from the
 * source by one call at a time (concurrent lookups and a background refresh
 * share it), and the reads of one turn go to the source as one batch. What
 * the source answers is written back to the store.
 */
export function staleWhileRevalidate<V>(options: StaleWhileRevalidateOptions<V>): StaleWhileRevalidateCache<V> {
  const { name, store, ttlMs, staleMs } = options;
  const now = options.now ?? Date.now;
  const count = (result: 'hit' | 'miss' | 'stale') => metrics.cacheRequests.inc({ cache: name, result });

  const reads = new DataLoader<string, Stored<V> | undefined>(
    async (keys) => {
      // A store should never throw; one that does holds nothing, as one that is down.
      const held = await store.getMany(keys).catch(() => new Map<string, Stored<V>>());
      return keys.map((key) => held.get(key));
    },
    { cache: false },
  );
  const sourceReads = new DataLoader<string, V>((keys) => options.load(keys), { cache: false });
  const writes = new DataLoader<readonly [string, Stored<V>], void>(
    async (entries) => {
      await store.setMany(entries);
      return entries.map(() => undefined);
    },
    { cache: false },
  );

  /** The one read from the source per key: kept until its answer is in the store, so a lookup in between does not read again. */
  const inFlight = new Map<string, Promise<Stored<V>>>();
  function readFromSource(key: string): Promise<Stored<V>> {
    const running = inFlight.get(key);
    if (running) return running;
    const read = sourceReads.load(key).then((value): Stored<V> => ({ value, readAt: now() }));
    inFlight.set(key, read);
    read
      .then((entry) => writes.load([key, entry]))
      .catch(() => undefined)
      .finally(() => {
        if (inFlight.get(key) === read) inFlight.delete(key);
      });
    return read;
  }

  const served = (entry: Stored<V>, stale: boolean): Served<V> => ({ value: entry.value, ageMs: Math.max(0, now() - entry.readAt), stale });

  async function lookup(key: string, held: Stored<V> | undefined): Promise<Served<V> | Error> {
    const age = held ? now() - held.readAt : Number.POSITIVE_INFINITY;
    if (held && age <= ttlMs) {
      count('hit');
      return served(held, false);
    }
    if (held && age <= ttlMs + staleMs) {
      count('stale');
      readFromSource(key).catch((err: unknown) => options.onRefreshError?.(err, key));
      return served(held, true);
    }
    try {
      const entry = await readFromSource(key);
      count('miss');
      return served(entry, false);
    } catch (err) {
      // Past both windows, but still better than an error.
      count(held ? 'stale' : 'miss');
      return held ? served(held, true) : asError(err);
    }
  }

  return {
    async getMany(keys) {
      const held = await Promise.all(keys.map((key) => reads.load(key)));
      return Promise.all(keys.map((key, i) => lookup(key, held[i])));
    },
  };
}
