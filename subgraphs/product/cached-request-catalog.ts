import type { ProductCache } from './product-cache.js';
import type { RequestCatalog } from './product-context.js';
import type { ProductLookup } from './product-loaders.js';
import { productSearchKey } from './product-search-key.js';
import type { ReportStaleProduct } from './product-stale-notice.js';

/**
 * The catalog as one request reads it through the product cache: what the
 * cache serves stale is reported (SKUs, searches as
 * `products?<normalised query>`, and `categories`), and a SKU Magento failed
 * for fails alone, so the products still held are served beside it.
 */
export function cachedRequestCatalog(cache: ProductCache, report: ReportStaleProduct): { catalog: RequestCatalog; lookup: ProductLookup } {
  const lookup: ProductLookup = async (skus) => {
    const served = await cache.lookupProducts(skus);
    return served.map((entry, i) => {
      if (entry instanceof Error) return entry;
      if (entry.reason) report(entry.value?.sku ?? skus[i]!, entry.ageMs, entry.reason);
      return entry.value;
    });
  };
  const catalog: RequestCatalog = {
    async searchProducts(query) {
      const page = await cache.lookupPage(query);
      if (page.reason) report(`products?${productSearchKey(query)}`, page.ageMs, page.reason);
      return page.value;
    },
    async categories() {
      const list = await cache.lookupCategories();
      if (list.reason) report('categories', list.ageMs, list.reason);
      return list.value;
    },
  };
  return { catalog, lookup };
}
