import DataLoader from 'dataloader';
import { LRUCache } from 'lru-cache';
import type { MagentoCatalog } from './magento-connector.js';
import type { Product } from './product.js';

export interface ProductCacheOptions {
  /** How long a product read from Magento is served before Magento is asked again. @default 30000 */
  ttlMs: number;
  /** Most products kept (least recently used go first). @default 50000 */
  maxEntries: number;
  /** The clock expiry is measured on (tests move it). @default performance.now */
  now?: () => number;
}

/** A cache entry: the product, or the fact that Magento has none under that SKU. */
interface Entry {
  product: Product | null;
}

/**
 * The catalog with products by SKU kept for the process, in front of Magento.
 * Every product read (by SKU, or on a search page) is kept for `ttlMs`;
 * concurrent requests for one SKU share one fetch, and the misses of one turn
 * go to Magento as one batched search. A SKU Magento does not have is
 * remembered too, for as long. When Magento fails, an expired product is
 * served rather than an error.
 */
export function cachingCatalog(catalog: MagentoCatalog, options: ProductCacheOptions): MagentoCatalog {
  // Keys are lowercased: Magento compares SKUs case-insensitively.
  const misses = new DataLoader<string, Entry>(
    async (keys) => {
      const found = await catalog.productsBySku(keys);
      const bySku = new Map(found.map((p) => [p.sku.toLowerCase(), p]));
      return keys.map((key) => ({ product: bySku.get(key) ?? null }));
    },
    { cache: false },
  );
  const cache = new LRUCache<string, Entry>({
    max: options.maxEntries,
    ttl: options.ttlMs,
    fetchMethod: (key) => misses.load(key),
    allowStaleOnFetchRejection: true,
    noDeleteOnFetchRejection: true,
    ...(options.now ? { perf: { now: options.now }, ttlResolution: 0 } : {}),
  });
  /** With nothing stale to fall back on, a failed fetch comes back empty: Magento's error is raised, not read as "no such product". */
  const fetchEntry = async (key: string): Promise<Entry> => {
    const status: LRUCache.Status<string, Entry> = {};
    const entry = await cache.fetch(key, { status });
    if (entry === undefined) throw status.fetchError ?? new Error(`The product cache could not load ${key}`);
    return entry;
  };
  return {
    ...catalog,
    async productsBySku(skus) {
      const keys = [...new Set(skus.map((sku) => sku.toLowerCase()))];
      const entries = await Promise.all(keys.map(fetchEntry));
      return entries.flatMap((entry) => (entry.product ? [entry.product] : []));
    },
    async searchProducts(query) {
      const page = await catalog.searchProducts(query);
      for (const product of page.products) cache.set(product.sku.toLowerCase(), { product });
      return page;
    },
  };
}
