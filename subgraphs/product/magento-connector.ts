import type { UpstreamClient } from '../../lib/http/upstream-client.js';
import { category, type Category } from './category.js';
import {
  MagentoCategoryListSchema,
  MagentoProductSearchSchema,
  MagentoStoreConfigsSchema,
  type MagentoProductSearch,
} from './magento-schemas.js';
import { likeLiteral, searchCriteriaQuery, type MagentoFilter } from '../../lib/magento/search-criteria.js';
import { toProduct, type StoreSettings } from './product-mapping.js';
import type { Product } from './product.js';
import { cachedValue } from './ttl-cache.js';

/** SKUs per `sku in (...)` search: keeps URLs well under proxies' limits. */
export const SKU_CHUNK = 100;
/** Categories per `categories/list` page. */
const CATEGORY_PAGE = 500;

export interface ProductQuery {
  /** Only products with a larger entity_id (keyset paging). */
  afterId: number;
  first: number;
  /** Text the name or SKU contains. */
  search?: string;
  categoryId?: string;
  inStockOnly?: boolean;
}

export interface ProductPage {
  products: Product[];
  /** Every match after `afterId`, this page included (Magento's total_count). */
  remaining: number;
}

/** The catalog in Magento, as the product subgraph reads it. */
export interface MagentoCatalog {
  /** The products with these SKUs that exist: one search per SKU_CHUNK SKUs. */
  productsBySku(skus: readonly string[]): Promise<Product[]>;
  /** One page of the catalog in entity_id order: one search. */
  searchProducts(query: ProductQuery): Promise<ProductPage>;
  /** Every category by id, from a list cached for `categoryTtlMs`. */
  categories(): Promise<Map<string, Category>>;
}

export interface MagentoCatalogOptions {
  /** How long the category list is kept (0: read from Magento at each call, for a cache in front that keeps it). @default 5 minutes */
  categoryTtlMs?: number;
  now?: () => number;
}

/**
 * Magento's catalog over its REST API. The store config (currency, media URL)
 * is read once for the connector's life; the category list is kept for a few
 * minutes. Upstream failures surface as the client's GraphQL errors
 * (UPSTREAM_UNAVAILABLE, UPSTREAM_TIMEOUT, UPSTREAM_BAD_RESPONSE naming magento).
 */
export function createMagentoCatalog(client: UpstreamClient, options: MagentoCatalogOptions = {}): MagentoCatalog {
  const store = cachedValue(async (): Promise<StoreSettings> => {
    const configs = await client.get('/rest/V1/store/storeConfigs', MagentoStoreConfigsSchema);
    const config = configs.find((c) => c.code === 'default') ?? configs[0]!;
    const mediaUrl = config.base_media_url.endsWith('/') ? config.base_media_url : `${config.base_media_url}/`;
    return { currencyCode: config.base_currency_code, mediaUrl };
  }, Number.POSITIVE_INFINITY);

  const categories = cachedValue(loadCategories, options.categoryTtlMs ?? 5 * 60_000, options.now);

  /** Every category, paged by `entity_id gt`: Magento repeats its last page past the end. */
  async function loadCategories(): Promise<Map<string, Category>> {
    const byId = new Map<string, Category>();
    let afterId = 0;
    for (;;) {
      const query = searchCriteriaQuery({
        filterGroups: [[{ field: 'entity_id', value: String(afterId), conditionType: 'gt' }]],
        sortOrders: [{ field: 'entity_id', direction: 'ASC' }],
        pageSize: CATEGORY_PAGE,
      });
      const page = await client.get(`/rest/V1/categories/list?${query}`, MagentoCategoryListSchema);
      for (const c of page.items) byId.set(String(c.id), category(String(c.id), c.name));
      const last = page.items[page.items.length - 1];
      if (!last || page.total_count <= page.items.length || last.id <= afterId) return byId;
      afterId = last.id;
    }
  }

  /** Runs a product search alongside the (usually cached) store config, and maps the answer. */
  async function searchAndMap(filterGroups: MagentoFilter[][], pageSize: number): Promise<ProductPage> {
    const query = searchCriteriaQuery({ filterGroups, sortOrders: [{ field: 'entity_id', direction: 'ASC' }], pageSize });
    const [settings, page]: [StoreSettings, MagentoProductSearch] = await Promise.all([
      store(),
      client.get(`/rest/V1/products?${query}`, MagentoProductSearchSchema),
    ]);
    return { products: page.items.map((item) => toProduct(item, settings)), remaining: page.total_count };
  }

  async function productsBySkuChunk(skus: string[]): Promise<Product[]> {
    // `in` splits its value on commas, so a SKU holding one is asked for with its own `eq` in the same (OR) group.
    const plain = skus.filter((s) => !s.includes(','));
    const group: MagentoFilter[] = skus.filter((s) => s.includes(',')).map((s) => ({ field: 'sku', value: s, conditionType: 'eq' }));
    if (plain.length) group.unshift({ field: 'sku', value: plain.join(','), conditionType: 'in' });
    const { products } = await searchAndMap([group], skus.length);
    return products;
  }

  return {
    async productsBySku(skus) {
      const unique = [...new Set(skus)].filter((s) => s !== '');
      const chunks: string[][] = [];
      for (let i = 0; i < unique.length; i += SKU_CHUNK) chunks.push(unique.slice(i, i + SKU_CHUNK));
      return (await Promise.all(chunks.map(productsBySkuChunk))).flat();
    },

    searchProducts({ afterId, first, search, categoryId, inStockOnly }) {
      const groups: MagentoFilter[][] = [[{ field: 'entity_id', value: String(afterId), conditionType: 'gt' }]];
      if (search) {
        const pattern = `%${likeLiteral(search)}%`;
        groups.push([
          { field: 'name', value: pattern, conditionType: 'like' },
          { field: 'sku', value: pattern, conditionType: 'like' },
        ]);
      }
      if (categoryId !== undefined) groups.push([{ field: 'category_id', value: categoryId, conditionType: 'eq' }]);
      if (inStockOnly) groups.push([{ field: 'quantity_and_stock_status', value: '1', conditionType: 'eq' }]);
      return searchAndMap(groups, first);
    },

    categories,
  };
}
