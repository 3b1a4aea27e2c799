import type { MagentoCatalog } from './magento-connector.js';
import type { ProductCache } from './product-cache.js';
import type { ProductLookup } from './product-loaders.js';
import { productSearchKey } from './product-search-key.js';
import type { ReportStaleProduct } from './product-stale-notice.js';
import type { Product } from './product.js';

/**
 * The catalog as one request reads it through the product cache: what the
 * cache serves stale is reported (SKUs, and searches as
 * `products?<normalised query>`), and a SKU Magento failed for fails alone,
 * so the products still held are served beside it.
 */
export function cachedRequestCatalog(cache: ProductCache, report: ReportStaleProduct): { catalog: MagentoCatalog; lookup: ProductLookup } {
  const lookup: ProductLookup = async (skus) => {
    const served = await cache.lookupProducts(skus);
    return served.map((entry, i) => {
      if (entry instanceof Error) return entry;
      if (entry.stale) report(entry.value?.sku ?? skus[i]!, entry.ageMs);
      return entry.value;
    });
  };
  const catalog: MagentoCatalog = {
    async productsBySku(skus) {
      const found = await lookup(skus);
      const failed = found.find((p) => p instanceof Error);
      if (failed) throw failed;
      return found.filter((p): p is Product => p !== null && !(p instanceof Error));
    },
    async searchProducts(query) {
      const page = await cache.lookupPage(query);
      if (page.stale) report(`products?${productSearchKey(query)}`, page.ageMs);
      return page.value;
    },
    categories: () => cache.categories(),
  };
  return { catalog, lookup };
}
