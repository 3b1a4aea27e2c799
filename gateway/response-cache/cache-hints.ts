/**
 * How long each part of the public graph may be answered from the gateway's
 * response cache, in the terms of Apollo's `@cacheControl`: a field takes
 * its own hint, else the hint of the type it returns; a root field or a
 * field returning an object type without either is never cached (max age
 * 0), so a type added later is uncacheable until it is given a hint here;
 * a scalar field, and a field returning an `inherit` type, takes its
 * parent's. A response is kept for the least max age of the fields it
 * selects.
 *
 * `stock` marks data the stock event bus changes: a response that selects it
 * is dropped when a stock event names one of the SKUs it was read for
 * (cache-tags.ts), so its max age only bounds how long a missed event (the
 * bus unreachable) can leave it stale.
 *
 * Kept here rather than as `@cacheControl` in each subgraph: the gateway
 * owns the cache and the events that invalidate it, and every hint is
 * checked against the schema when the gateway starts (cache-policy.ts).
 */
export type CacheHint = { maxAgeMs: number; stock?: true } | { inherit: true };

export interface CacheHints {
  /** By the type a field returns. */
  types: Readonly<Record<string, CacheHint>>;
  /** By `Type.field`, over its type's. */
  fields: Readonly<Record<string, CacheHint>>;
}

/**
 * The graph's hints. Product data is kept as long as the product subgraph
 * itself treats what it read from Magento as current (`PRODUCT_CACHE_TTL_MS`):
 * the gateway adds at most that much again, and none when the subgraph keeps
 * nothing. Stock is dropped by its events; its max age bounds a missed one.
 * Locations change with the estate, not the day.
 */
export function cacheHints(productMaxAgeMs: number): CacheHints {
  const product = { maxAgeMs: productMaxAgeMs };
  return {
    types: {
      Product: product,
      Category: product,
      Location: { maxAgeMs: 300_000 },
      StockSummary: { maxAgeMs: 30_000, stock: true },
      StockLevel: { maxAgeMs: 30_000, stock: true },
      // Values with no life of their own: as fresh as what holds them.
      ProductConnection: { inherit: true },
      ProductEdge: { inherit: true },
      PageInfo: { inherit: true },
      Money: { inherit: true },
      Image: { inherit: true },
    },
    // Root fields whose type alone says nothing (a connection inherits).
    fields: { 'Query.products': product },
  };
}

/** The subgraph stock events come from: a `stock` response is tagged with the SKUs it asked this subgraph about. */
export const STOCK_SUBGRAPH = 'inventory';
