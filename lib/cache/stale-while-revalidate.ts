import DataLoader from 'dataloader';
import { LRUCache } from 'lru-cache';
import { metrics } from '../observability/metrics.js';
import type { CacheStore, Stored } from './cache-store.js';

/**
 * Why a value is served past its TTL: it is being read again in the
 * background (`refreshing`, the source is fine as far as is known), or the
 * source failed when it was last asked for it (`source-failed`).
 */
export type StaleReason = 'refreshing' | 'source-failed';

/** A value as the cache serves it. */
export interface Served<V> {
  value: V;
  /** How long ago it was read from the source, in ms. */
  ageMs: number;
  /** Past its TTL. */
  stale: boolean;
  /** Why it is served though stale; absent when fresh. */
  reason?: StaleReason;
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
  /** The key the store keeps a key's entry under (a digest, for keys too long to be keys). @default the key itself */
  storeKey?: (key: string) => string;
  /** How long a value is served as current. */
  ttlMs: number;
  /** How long past `ttlMs` it is still served at once (stale) while it is read again in the background. */
  staleMs: number;
  /**
   * After the source failed to read a key, how long the entry held for it is
   * served (stale, `source-failed`) without asking the source again; the
   * source is then asked in the background, once, however many lookups come.
   * @default 5000
   */
  retryAfterMs?: number;
  /** The clock ages are measured on; shared stores compare times written by several processes. @default Date.now */
  now?: () => number;
  /** A background refresh failed (the entry stays as it was). @default ignored */
  onRefreshError?: (err: unknown, key: string) => void;
}

export interface StaleWhileRevalidateCache<V> {
  /** Per key, in order: the value served, or the error of a read from the source that had nothing to fall back on. */
  getMany(keys: readonly string[]): Promise<Array<Served<V> | Error>>;
  /** Keeps values the source answered by other means (the products of a search page), read at `readAt`. */
  prime(entries: ReadonlyArray<readonly [string, V]>, readAt: number): void;
  /**
   * Starts no more background reads or writes, waits for the running ones,
   * and keeps nothing they answer: the store can then be closed with nothing
   * left to write to it. Lookups still answer (stale ones are not refreshed).
   */
  close(): Promise<void>;
}

/** Keys whose last read failed, remembered per process; one forgotten is merely asked again at its next lookup. */
const MAX_FAILED_KEYS = 10_000;

const asError = (err: unknown): Error => (err instanceof Error ? err : new Error(String(err)));

/**
 * A cache with three ages per entry. Fresh (within `ttlMs`): served.
 * Stale (within `staleMs` more): served at once, and read again from the
 * source in the background. Older or not held: read from the source and
 * waited for; if the source fails, an entry still held is served (stale)
 * rather than the error.
 *
 * After the source fails for a key, its held entry is served at once
 * whatever its age, and the source asked again only once per `retryAfterMs`
 * (in the background), so a dead source is neither waited for nor called by
 * every lookup. A key with nothing held is always asked for: there is nothing
 * else to answer.
 *
 * The lookups of one turn share one store read; every key is read from the
 * source by one call at a time (concurrent lookups and a background refresh
 * share it), and the reads of one turn go to the source as one batch. What
 * the source answers is written back to the store.
 */
export function staleWhileRevalidate<V>(options: StaleWhileRevalidateOptions<V>): StaleWhileRevalidateCache<V> {
  const { name, store, ttlMs, staleMs } = options;
  const now = options.now ?? Date.now;
  const storeKey = options.storeKey ?? ((key: string) => key);
  const retryAfterMs = options.retryAfterMs ?? 5_000;
  const count = (result: 'hit' | 'miss' | 'stale') => metrics.cacheRequests.inc({ cache: name, result });

  let closed = false;
  /** Background reads and writes, awaited by `close()`. */
  const pending = new Set<Promise<void>>();
  const track = (work: Promise<unknown>): void => {
    const settled = work.then(
      () => undefined,
      () => undefined,
    );
    pending.add(settled);
    void settled.finally(() => pending.delete(settled));
  };

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
      // Batched before `close()`, dispatched after: dropped, the store may be closing.
      if (!closed) await store.setMany(entries);
      return entries.map(() => undefined);
    },
    { cache: false },
  );
  /** Writes an entry (not once closed), tracked; resolves once it is in the store. */
  const keep = async (key: string, entry: Stored<V>): Promise<void> => {
    if (closed) return;
    const write = writes.load([storeKey(key), entry]);
    track(write);
    await write;
  };

  /** When the source last failed to read each key, until it reads it again. */
  const failedAt = new LRUCache<string, number>({ max: MAX_FAILED_KEYS });

  /** The one read from the source per key: kept until its answer is in the store, so a lookup in between does not read again. */
  const inFlight = new Map<string, Promise<Stored<V>>>();
  function readFromSource(key: string): Promise<Stored<V>> {
    const running = inFlight.get(key);
    if (running) return running;
    const read = sourceReads.load(key).then((value): Stored<V> => ({ value, readAt: now() }));
    inFlight.set(key, read);
    track(
      read
        .then(
          (entry) => {
            failedAt.delete(key);
            return keep(key, entry);
          },
          () => void failedAt.set(key, now()),
        )
        .finally(() => {
          if (inFlight.get(key) === read) inFlight.delete(key);
        }),
    );
    return read;
  }

  function refresh(key: string): void {
    if (!closed) readFromSource(key).catch((err: unknown) => options.onRefreshError?.(err, key));
  }

  const served = (entry: Stored<V>, reason?: StaleReason): Served<V> => {
    const ageMs = Math.max(0, now() - entry.readAt);
    return reason ? { value: entry.value, ageMs, stale: true, reason } : { value: entry.value, ageMs, stale: false };
  };

  async function lookup(key: string, held: Stored<V> | undefined): Promise<Served<V> | Error> {
    const at = now();
    const age = held ? at - held.readAt : Number.POSITIVE_INFINITY;
    if (held && age <= ttlMs) {
      count('hit');
      return served(held);
    }
    // A failure before what is held was followed by a good read (here, or by another process sharing the store).
    const failed = failedAt.get(key);
    const failing = failed !== undefined && (!held || failed >= held.readAt);
    if (held && (failing || age <= ttlMs + staleMs)) {
      count('stale');
      if (!failing || at - failed! >= retryAfterMs) refresh(key);
      return served(held, failing ? 'source-failed' : 'refreshing');
    }
    try {
      const entry = await readFromSource(key);
      count('miss');
      return served(entry);
    } catch (err) {
      // Past both windows, but still better than an error.
      count(held ? 'stale' : 'miss');
      return held ? served(held, 'source-failed') : asError(err);
    }
  }

  return {
    async getMany(keys) {
      const held = await Promise.all(keys.map((key) => reads.load(storeKey(key))));
      return Promise.all(keys.map((key, i) => lookup(key, held[i])));
    },
    prime(entries, readAt) {
      for (const [key, value] of entries) void keep(key, { value, readAt }).catch(() => undefined);
    },
    async close() {
      closed = true;
      // Each settled read's `then` may start its write only now: wait until nothing is left.
      while (pending.size > 0) await Promise.all(pending);
    },
  };
}
