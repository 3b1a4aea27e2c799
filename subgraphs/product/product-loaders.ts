import DataLoader from 'dataloader';
import type { MagentoCatalog } from './magento-connector.js';
import type { Product } from './product.js';

export interface ProductLoaders {
  /** Every `product(sku)` and `_entities` lookup of one request, batched into `sku in (...)` searches; unknown SKUs are null. */
  productBySku: DataLoader<string, Product | null>;
}

/** Reads products by SKU, per SKU in order: the product, null when Magento has none, or the error that kept it from being read. */
export type ProductLookup = (skus: readonly string[]) => Promise<Array<Product | null | Error>>;

/** Magento read straight: one batch, whose failure fails each of its SKUs. */
export function lookupIn(catalog: MagentoCatalog): ProductLookup {
  return async (skus) => {
    const found = await catalog.productsBySku(skus);
    // Magento compares SKUs case-insensitively, so the answer may spell a SKU otherwise than it was asked.
    const bySku = new Map(found.map((p) => [p.sku.toLowerCase(), p]));
    return skus.map((sku) => bySku.get(sku.toLowerCase()) ?? null);
  };
}

/** One set per request, so nothing cached outlives the request it was loaded for. */
export function createProductLoaders(lookup: ProductLookup): ProductLoaders {
  return { productBySku: new DataLoader<string, Product | null>(lookup) };
}
