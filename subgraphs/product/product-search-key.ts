import { sha256Hex } from '../../lib/http/hmac.js';
import type { ProductQuery } from './magento-connector.js';

/**
 * Longest search text (trimmed, in characters) a search page is cached for:
 * anything longer goes to Magento uncached, so no one can fill the cache, or
 * a stale notice, with text of any length.
 */
export const MAX_CACHED_SEARCH_CHARS = 100;
/** Longest category id cached for: Magento's ids are 32-bit (10 digits); a longer one names no category. */
const MAX_CACHED_CATEGORY_ID_CHARS = 10;

/**
 * A search page's key: the query normalised, so the same page asked
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

/** Whether a search page is kept in the cache: its text and category id within bounds (the rest of the query is validated already). */
export function isCachedSearch(query: ProductQuery): boolean {
  return (query.search?.trim().length ?? 0) <= MAX_CACHED_SEARCH_CHARS && (query.categoryId?.length ?? 0) <= MAX_CACHED_CATEGORY_ID_CHARS;
}

/** What a search page is stored under: the SHA-256 of its key, so every key has the same short length whatever the text. */
export const productSearchStoreKey = (key: string): string => sha256Hex(key);

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
