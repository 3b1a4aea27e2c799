import { LRUCache } from 'lru-cache';
import type { CachedResponse } from '../../lib/graphql/response-cache-lookup.js';
import { ANY_STOCK, type StockTags } from './cache-tags.js';

interface Entry extends CachedResponse {
  tags: StockTags;
}

/** One invalidation: the SKUs it named, or every stock entry. */
type Invalidation = ReadonlySet<string> | typeof ANY_STOCK;

export interface ResponseStoreOptions {
  /** Bytes of responses (and their keys) kept; least recently used go first. */
  maxBytes: number;
  /** Invalidations remembered for requests still running (see `set`). @default 1024 */
  history?: number;
}

/**
 * The gateway's kept responses: a byte-bounded LRU with a max age per entry
 * and an index from SKU to the entries stock events must drop.
 *
 * A request reads its stock before its response is stored; an event that
 * lands in between must not be outlived by the entry. So every invalidation
 * advances `epoch`, a request notes the epoch before it runs, and `set`
 * refuses an entry that an invalidation since then would have dropped (or
 * when too many happened since to tell).
 */
export class ResponseStore {
  private readonly entries: LRUCache<string, Entry>;
  private readonly bySku = new Map<string, Set<string>>();
  private readonly anyStock = new Set<string>();
  private readonly history: Invalidation[] = [];
  private readonly historySize: number;
  private current = 0;

  constructor(options: ResponseStoreOptions) {
    this.historySize = options.history ?? 1024;
    this.entries = new LRUCache<string, Entry>({
      maxSize: options.maxBytes,
      // Headers and bookkeeping are rounded up.
      sizeCalculation: (entry, key) => entry.body.length + key.length + 256,
      dispose: (entry, key) => this.unindex(key, entry.tags),
    });
  }

  /** Advances on every invalidation. */
  get epoch(): number {
    return this.current;
  }

  get size(): number {
    return this.entries.size;
  }

  /** The response kept under `key`; one holding stock only when `withStock` (events reach us), otherwise it is dropped. */
  get(key: string, withStock = true): CachedResponse | undefined {
    const entry = this.entries.get(key);
    if (!entry || withStock || !holdsStock(entry.tags)) return entry;
    this.entries.delete(key);
    return undefined;
  }

  /**
   * Keeps a response for `maxAgeMs` unless an invalidation after `since` (the
   * epoch its request started in) names one of its tags; false when refused.
   */
  set(key: string, response: CachedResponse, tags: StockTags, maxAgeMs: number, since: number): boolean {
    if (holdsStock(tags) && this.invalidatedSince(since, tags)) return false;
    this.entries.set(key, { ...response, tags }, { ttl: maxAgeMs });
    // Too big for the whole cache: not kept, nothing to index.
    if (!this.entries.has(key)) return false;
    if (tags === ANY_STOCK) this.anyStock.add(key);
    else for (const sku of tags) getOrCreate(this.bySku, sku).add(key);
    return true;
  }

  /** Drops every entry read for one of these SKUs, and every `ANY_STOCK` one. */
  invalidate(skus: Iterable<string>): void {
    const named = new Set(skus);
    this.remember(named);
    for (const sku of named) {
      const keys = this.bySku.get(sku);
      if (keys) for (const key of [...keys]) this.entries.delete(key);
    }
    this.dropAnyStock();
  }

  /** Drops every entry that holds stock (after a write the gateway itself carried). */
  invalidateStock(): void {
    this.remember(ANY_STOCK);
    for (const keys of [...this.bySku.values()]) for (const key of [...keys]) this.entries.delete(key);
    this.dropAnyStock();
  }

  clear(): void {
    this.remember(ANY_STOCK);
    this.entries.clear();
  }

  private dropAnyStock(): void {
    for (const key of [...this.anyStock]) this.entries.delete(key);
  }

  private remember(invalidation: Invalidation): void {
    this.current += 1;
    this.history.push(invalidation);
    if (this.history.length > this.historySize) this.history.shift();
  }

  private invalidatedSince(since: number, tags: StockTags): boolean {
    const count = this.current - since;
    if (count === 0) return false;
    // Its request ran through more invalidations than are remembered: it cannot be cleared.
    if (count > this.history.length) return true;
    for (let i = this.history.length - count; i < this.history.length; i += 1) {
      const invalidation = this.history[i] as Invalidation;
      if (invalidation === ANY_STOCK || tags === ANY_STOCK) return true;
      if (tags.some((sku) => invalidation.has(sku))) return true;
    }
    return false;
  }

  private unindex(key: string, tags: StockTags): void {
    if (tags === ANY_STOCK) {
      this.anyStock.delete(key);
      return;
    }
    for (const sku of tags) {
      const keys = this.bySku.get(sku);
      if (!keys) continue;
      keys.delete(key);
      if (keys.size === 0) this.bySku.delete(sku);
    }
  }
}

/** Whether stock events concern an entry with these tags. */
function holdsStock(tags: StockTags): boolean {
  return tags === ANY_STOCK || tags.length > 0;
}

function getOrCreate<K, V>(map: Map<K, Set<V>>, key: K): Set<V> {
  let set = map.get(key);
  if (!set) map.set(key, (set = new Set()));
  return set;
}
