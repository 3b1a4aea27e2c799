import { ANY_STOCK, type StockTags } from './response-store.js';
import { STOCK_SUBGRAPH } from './cache-hints.js';

/** One fetch the gateway made for a request: to which subgraph, and for which entities (absent: a root field). */
export interface SubgraphRead {
  subgraph: string;
  representations?: readonly unknown[];
}

/**
 * The SKUs a response's stock was read for: every product the query plan
 * asked the stock subgraph about. A root field of that subgraph, or an entity
 * other than a product, reads stock without naming SKUs: any stock event may
 * change it.
 */
export function stockTagsOf(reads: readonly SubgraphRead[]): StockTags {
  const skus = new Set<string>();
  for (const read of reads) {
    if (read.subgraph !== STOCK_SUBGRAPH) continue;
    if (!read.representations) return ANY_STOCK;
    for (const representation of read.representations) {
      const { __typename, sku } = (representation ?? {}) as { __typename?: unknown; sku?: unknown };
      if (__typename !== 'Product' || typeof sku !== 'string') return ANY_STOCK;
      skus.add(sku);
    }
  }
  return [...skus];
}
