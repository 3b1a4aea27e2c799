import type { Category } from './category.js';
import type { ProductContext } from './product-context.js';

/** `_entities` for `Category`: from the cached category list; null for an id Magento does not have. */
export async function resolveCategoryReference(reference: { id: string }, context: ProductContext): Promise<Category | null> {
  return (await context.catalog.categories()).get(reference.id) ?? null;
}
