import type { ProductQuery } from './magento-connector.js';

/**
 * A search page's cache key: the query normalised, so the same page asked
 * differently is one entry (`afterId=0&first=20&search=linen`). Magento
 * matches text case-insensitively, so it is lowercased; blank text and an
 * unset filter are left out.
 */
export function productSearchKey(query: ProductQuery): string {
  const params = new URLSearchParams({ afterId: String(query.afterId), first: String(query.first) });
  const search = query.search?.trim().toLowerCase();
  if (search) params.set('search', search);
  if (query.categoryId !== undefined) params.set('categoryId', query.categoryId);
  if (query.inStockOnly) params.set('inStockOnly', 'true');
  return params.toString();
}

/** The query a key was made from (as Magento is asked it). */
export function productQueryOf(key: string): ProductQuery {
  const params = new URLSearchParams(key);
  return {
    afterId: Number(params.get('afterId')),
    first: Number(params.get('first')),
    search: params.get('search') ?? undefined,
    categoryId: params.get('categoryId') ?? undefined,
    inStockOnly: params.get('inStockOnly') === 'true',
  };
}
