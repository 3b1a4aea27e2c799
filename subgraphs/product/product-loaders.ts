import DataLoader from 'dataloader';
import type { MagentoCatalog } from './magento-connector.js';
import type { Product } from './product.js';

export interface ProductLoaders {
  /** Every `product(sku)` and `_entities` lookup of one request, batched into `sku in (...)` searches; unknown SKUs are null. */
  productBySku: DataLoader<string, Product | null>;
}

/** One set per request, so nothing cached outlives the request it was loaded for. */
export function createProductLoaders(catalog: MagentoCatalog): ProductLoaders {
  return {
    productBySku: new DataLoader<string, Product | null>(async (skus) => {
      const found = await catalog.productsBySku(skus);
      // Magento compares SKUs case-insensitively, so the answer may spell a SKU otherwise than it was asked.
      const bySku = new Map(found.map((p) => [p.sku.toLowerCase(), p]));
      return skus.map((sku) => bySku.get(sku.toLowerCase()) ?? null);
    }),
  };
}
