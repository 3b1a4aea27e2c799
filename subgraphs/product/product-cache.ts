import { cacheRedis } from '../../lib/cache/cache-redis.js';
import type { CacheStore } from '../../lib/cache/cache-store.js';
import { memoryCacheStore } from '../../lib/cache/memory-cache-store.js';
import { redisCacheStore } from '../../lib/cache/redis-cache-store.js';
import { staleWhileRevalidate, type Served } from '../../lib/cache/stale-while-revalidate.js';
import { sha256Hex } from '../../lib/http/hmac.js';
import type { Logger } from '../../lib/logger.js';
import { reviveProductEntry, reviveProductPage } from './cached-product.js';
import type { Category } from './category.js';
import type { MagentoCatalog, ProductPage, ProductQuery } from './magento-connector.js';
import { lookupIn } from './product-loaders.js';
import { isCachedSearch, productQueryOf, productSearchKey, productSearchStoreKey } from './product-search-key.js';
import type { Product } from './product.js';

export interface ProductCacheOptions {
  /** How long a product or search page read from Magento is served as current. @default 30000 */
  ttlMs: number;
  /**
   * How long past `ttlMs` it is still served at once, flagged stale, while it
   * is read again from Magento in the background; past it a read waits for
   * Magento. @default 86400000 (24 h)
   */
  staleMs?: number;
  /**
   * How long past `ttlMs` "Magento has no such SKU" is kept (at most
   * `staleMs`): any text can be asked for as a SKU, and each answer is an
   * entry, so these go soon. @default 60000
   */
  unknownSkuStaleMs?: number;
  /** How long the category list is served as current (it is read whole, so less often than products). @default 300000 (5 minutes) */
  categoryTtlMs?: number;
  /**
   * After Magento fails to answer for an entry, how long the entry is served
   * stale without asking Magento again (then once, in the background). @default 5000
   */
  retryAfterMs?: number;
  /** In process (no `redisUrl`): most products kept; search pages hold as many products again. @default 50000 */
  maxEntries: number;
  /** Keeps the cache in this Redis, shared by every product subgraph process on it; unset: in this process. */
  redisUrl?: string;
  /** Prefix of its Redis keys (`<prefix>sku:<sku>`, `<prefix>search:<sha256 of the query>`). @default 'commerce-graph:product:' */
  redisKeyPrefix?: string;
  /** Deadline of one Redis call; a late or failed one bypasses the cache (Magento is asked). @default 200 */
  redisTimeoutMs?: number;
  /** Failed Redis calls in a row after which Redis is not called for `redisHalfOpenAfterMs` (the cache is bypassed). @default 3 */
  redisBreakerFailures?: number;
  /** How long Redis is skipped after failing before one call probes it again. @default 5000 */
  redisHalfOpenAfterMs?: number;
  /** The clock ages are measured on (tests move it). @default Date.now */
  now?: () => number;
}

/** Magento's catalog behind the cache, as the product subgraph's requests read it. */
export interface ProductCache {
  /** Per SKU, in order: the product (null: Magento has none), or Magento's error when nothing was held to serve instead. */
  lookupProducts(skus: readonly string[]): Promise<Array<Served<Product | null> | Error>>;
  /** One search page; rejects with Magento's error when nothing was held to serve instead. */
  lookupPage(query: ProductQuery): Promise<Served<ProductPage>>;
  /** Every category by id; rejects with Magento's error when no list was held to serve instead. */
  lookupCategories(): Promise<Served<Map<string, Category>>>;
  /** Stops background refreshes, waits for the running ones (keeping nothing they answer), then closes the stores. */
  close(): Promise<void>;
}

const DEFAULT_PRODUCT_CACHE_STALE_MS = 86_400_000;
const DEFAULT_UNKNOWN_SKU_STALE_MS = 60_000;
const DEFAULT_CATEGORY_TTL_MS = 5 * 60_000;
/** Magento's own limit on a SKU; a longer one is stored under its digest, so no key is longer than this. */
const MAX_SKU_KEY_CHARS = 64;

/** What a SKU's entry is stored under: itself (lowercased), or `#<sha256>` when longer than any Magento SKU (`#` and 64 digits: no SKU of 64 or fewer). */
const productStoreKey = (sku: string): string => (sku.length <= MAX_SKU_KEY_CHARS ? sku : `#${sha256Hex(sku)}`);

/**
 * Products by SKU, search pages by their normalised query, and the category
 * list, kept in front of Magento with stale-while-revalidate
 * (lib/cache/stale-while-revalidate.ts): fresh for `ttlMs` (categories
 * `categoryTtlMs`), then served stale while refreshed for `staleMs`, and
 * served stale rather than an error whenever Magento fails (then asked again
 * once per `retryAfterMs`, in the background). A SKU Magento does not have
 * is remembered too, for `unknownSkuStaleMs` past the TTL. The misses of one
 * turn go to Magento as one `sku in (...)` search. A search page's products
 * are kept as products as well, so opening one from a listing asks Magento
 * nothing. A search whose text is longer than MAX_CACHED_SEARCH_CHARS is not
 * cached.
 *
 * With `redisUrl` products and pages are shared by every process (JSON with
 * the time they were read, expiring `ttlMs + staleMs` after); while Redis
 * fails or hangs the cache is bypassed and Magento asked, never failing a
 * request. In process, entries are dropped at the same age. Keys are
 * lowercased: Magento compares SKUs and text case-insensitively. The
 * category list is kept in process either way: requests read it whole, and
 * parsing it from Redis for each would cost more than Magento's one read per
 * `categoryTtlMs`. `catalog.categories()` is read each time the list is
 * refreshed, so it should not keep the list itself.
 */
export function createProductCache(catalog: MagentoCatalog, options: ProductCacheOptions, logger: Logger): ProductCache {
  const now = options.now ?? Date.now;
  const { ttlMs, retryAfterMs } = options;
  const staleMs = options.staleMs ?? DEFAULT_PRODUCT_CACHE_STALE_MS;
  const categoryTtlMs = options.categoryTtlMs ?? DEFAULT_CATEGORY_TTL_MS;
  const redis = options.redisUrl
    ? cacheRedis({
        url: options.redisUrl,
        timeoutMs: options.redisTimeoutMs,
        breakerFailures: options.redisBreakerFailures,
        halfOpenAfterMs: options.redisHalfOpenAfterMs,
        name: 'product cache',
        logger,
      })
    : undefined;
  const prefix = options.redisKeyPrefix ?? 'commerce-graph:product:';
  // Entries go when no window can serve them any more; "no such SKU" sooner.
  const retainMs = ttlMs + staleMs;
  const productRetainMs = (product: Product | null) => (product === null ? ttlMs + Math.min(staleMs, options.unknownSkuStaleMs ?? DEFAULT_UNKNOWN_SKU_STALE_MS) : retainMs);
  const productStore: CacheStore<Product | null> = redis
    ? redisCacheStore({ redis, keyPrefix: `${prefix}sku:`, retainMs: productRetainMs, revive: reviveProductEntry })
    : memoryCacheStore({ max: options.maxEntries, retainMs: productRetainMs, now });
  const pageStore: CacheStore<ProductPage> = redis
    ? redisCacheStore({ redis, keyPrefix: `${prefix}search:`, retainMs, revive: reviveProductPage })
    : memoryCacheStore({ max: options.maxEntries, sizeOf: (page) => page.products.length, retainMs, now });
  const categoryStore = memoryCacheStore<Map<string, Category>>({ max: 1, retainMs: categoryTtlMs + staleMs, now });
  // Magento's failures are counted and logged by its client; the request was answered from the cache.
  const onRefreshError = (err: unknown, key: string) => logger.debug({ err, key }, 'product cache: background refresh failed, the stale entry stays');
  const common = { staleMs, retryAfterMs, now, onRefreshError };

  const products = staleWhileRevalidate<Product | null>({
    ...common,
    name: 'product',
    store: productStore,
    storeKey: productStoreKey,
    ttlMs,
    load: lookupIn(catalog),
  });

  const pages = staleWhileRevalidate<ProductPage>({
    ...common,
    name: 'product-search',
    store: pageStore,
    storeKey: productSearchStoreKey,
    ttlMs,
    // Each query is its own Magento search; one failing fails only its own page.
    load: (keys) =>
      Promise.all(
        keys.map(async (key) => {
          try {
            const page = await catalog.searchProducts(productQueryOf(key));
            products.prime(
              page.products.map((p) => [p.sku.toLowerCase(), p] as const),
              now(),
            );
            return page;
          } catch (err) {
            return err instanceof Error ? err : new Error(String(err));
          }
        }),
      ),
  });

  const categoryLists = staleWhileRevalidate<Map<string, Category>>({
    ...common,
    name: 'product-categories',
    store: categoryStore,
    ttlMs: categoryTtlMs,
    load: async (keys) => {
      const byId = await catalog.categories();
      return keys.map(() => byId);
    },
  });

  const first = async <V>(served: Promise<Array<Served<V> | Error>>): Promise<Served<V>> => {
    const [entry] = await served;
    if (entry instanceof Error) throw entry;
    return entry!;
  };

  return {
    lookupProducts: (skus) => products.getMany(skus.map((sku) => sku.toLowerCase())),
    async lookupPage(query) {
      if (!isCachedSearch(query)) return { value: await catalog.searchProducts(query), ageMs: 0, stale: false };
      return first(pages.getMany([productSearchKey(query)]));
    },
    lookupCategories: () => first(categoryLists.getMany(['all'])),
    async close() {
      // Refreshes first: what they still write must not outlive the stores, nor reach a closed Redis.
      await Promise.all([products.close(), pages.close(), categoryLists.close()]);
      await Promise.all([productStore.close(), pageStore.close(), categoryStore.close()]);
      await redis?.close();
    },
  };
}
