import { STOCK_SUBGRAPH } from './cache-hints.js';

/**
 * What stock events drop an entry: none (product data, kept for its max age
 * only), the SKUs its stock fields were read for, or every stock event (`ANY_STOCK`:
 * stock read without naming SKUs, e.g. `stockLevels`).
 */
export type StockTags = readonly string[] | typeof ANY_STOCK;
export const ANY_STOCK = '*';

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
