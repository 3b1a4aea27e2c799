import type { ProductContext } from './product-context.js';
import type { Product } from './product.js';

/** `_entities` for `Product`: batched with every other SKU of the request into one Magento search. */
export function resolveProductReference(reference: { sku: string }, context: ProductContext): Promise<Product | null> {
  return context.loaders.productBySku.load(reference.sku);
}
