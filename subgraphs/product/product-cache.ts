import { cacheRedis } from '../../lib/cache/cache-redis.js';
import type { CacheStore } from '../../lib/cache/cache-store.js';
import { memoryCacheStore } from '../../lib/cache/memory-cache-store.js';
import { redisCacheStore } from '../../lib/cache/redis-cache-store.js';
import { staleWhileRevalidate, type Served } from '../../lib/cache/stale-while-revalidate.js';
import type { Logger } from '../../lib/logger.js';
import { reviveProductEntry, reviveProductPage } from './cached-product.js';
import type { MagentoCatalog, ProductPage, ProductQuery } from './magento-connector.js';
import { productQueryOf, productSearchKey } from './product-search-key.js';
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
  /** In process (no `redisUrl`): most products kept; search pages hold as many products again. @default 50000 */
  maxEntries: number;
  /** Keeps the cache in this Redis, shared by every product subgraph process on it; unset: in this process. */
  redisUrl?: string;
  /** Prefix of its Redis keys (`<prefix>sku:<sku>`, `<prefix>search:<query>`). @default 'commerce-graph:product:' */
  redisKeyPrefix?: string;
  /** Deadline of one Redis call; a late or failed one bypasses the cache (Magento is asked). @default 200 */
  redisTimeoutMs?: number;
  /** The clock ages are measured on (tests move it). @default Date.now */
  now?: () => number;
}

/** Magento's catalog behind the cache, as the product subgraph's requests read it. */
export interface ProductCache {
  /** Per SKU, in order: the product (null: Magento has none), or Magento's error when nothing was held to serve instead. */
  lookupProducts(skus: readonly string[]): Promise<Array<Served<Product | null> | Error>>;
  /** One search page; rejects with Magento's error when nothing was held to serve instead. */
  lookupPage(query: ProductQuery): Promise<Served<ProductPage>>;
  /** The category list (the connector keeps it for a few minutes itself). */
  categories: MagentoCatalog['categories'];
  close(): Promise<void>;
}

const DEFAULT_PRODUCT_CACHE_STALE_MS = 86_400_000;

/**
 * Products by SKU, and search pages by their normalised query, kept in front
 * of Magento with stale-while-revalidate (lib/cache/stale-while-revalidate.ts):
 * fresh for `ttlMs`, then served stale while refreshed for `staleMs`, and
 * served stale rather than an error whenever Magento fails. A SKU Magento
 * does not have is remembered too. The misses of one turn go to Magento as
 * one `sku in (...)` search. A search page's products are kept as products
 * as well, so opening one from a listing asks Magento nothing.
 *
 * With `redisUrl` every process shares the entries (JSON with the time they
 * were read, expiring `ttlMs + staleMs` after); while Redis fails the cache
 * is bypassed and Magento asked, never failing a request. Keys are lowercased:
 * Magento compares SKUs and text case-insensitively.
 */
export function createProductCache(catalog: MagentoCatalog, options: ProductCacheOptions, logger: Logger): ProductCache {
  const now = options.now ?? Date.now;
  const { ttlMs } = options;
  const staleMs = options.staleMs ?? DEFAULT_PRODUCT_CACHE_STALE_MS;
  const redis = options.redisUrl ? cacheRedis({ url: options.redisUrl, timeoutMs: options.redisTimeoutMs, name: 'product cache', logger }) : undefined;
  const prefix = options.redisKeyPrefix ?? 'commerce-graph:product:';
  // Redis has no size bound of ours: entries go when no window can serve them any more.
  const retainMs = ttlMs + staleMs;
  const productStore: CacheStore<Product | null> = redis
    ? redisCacheStore({ redis, keyPrefix: `${prefix}sku:`, retainMs, revive: reviveProductEntry })
    : memoryCacheStore({ max: options.maxEntries });
  const pageStore: CacheStore<ProductPage> = redis
    ? redisCacheStore({ redis, keyPrefix: `${prefix}search:`, retainMs, revive: reviveProductPage })
    : memoryCacheStore({ max: options.maxEntries, sizeOf: (page) => page.products.length });
  // Magento's failures are counted and logged by its client; the request was answered from the cache.
  const onRefreshError = (err: unknown, key: string) => logger.debug({ err, key }, 'product cache: background refresh failed, the stale entry stays');

  const products = staleWhileRevalidate<Product | null>({
    name: 'product',
    store: productStore,
    ttlMs,
    staleMs,
    now,
    onRefreshError,
    async load(keys) {
      const found = await catalog.productsBySku(keys);
      const bySku = new Map(found.map((p) => [p.sku.toLowerCase(), p]));
      return keys.map((key) => bySku.get(key) ?? null);
    },
  });

  const pages = staleWhileRevalidate<ProductPage>({
    name: 'product-search',
    store: pageStore,
    ttlMs,
    staleMs,
    now,
    onRefreshError,
    // Each query is its own Magento search; one failing fails only its own page.
    load: (keys) =>
      Promise.all(
        keys.map(async (key) => {
          try {
            const page = await catalog.searchProducts(productQueryOf(key));
            const readAt = now();
            void productStore.setMany(page.products.map((p) => [p.sku.toLowerCase(), { value: p, readAt }] as const));
            return page;
          } catch (err) {
            return err instanceof Error ? err : new Error(String(err));
          }
        }),
      ),
  });

  return {
    lookupProducts: (skus) => products.getMany(skus.map((sku) => sku.toLowerCase())),
    async lookupPage(query) {
      const [page] = await pages.getMany([productSearchKey(query)]);
      if (page instanceof Error) throw page;
      return page!;
    },
    categories: () => catalog.categories(),
    async close() {
      await Promise.all([productStore.close(), pageStore.close()]);
      await redis?.close();
    },
  };
}
