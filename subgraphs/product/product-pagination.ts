import { encodeCursor } from '../../lib/graphql/cursor.js';
import { afterCursor, notOurCursor, pageInfo, pageSize } from '../../lib/graphql/paging.js';
import { ProductConnection, ProductEdge } from './product-connection.js';
import type { Product } from './product.js';

/**
 * Where a page starts: after the product with entity_id `id`, which was at
 * 1-based position `pos` of the list. Keyset paging (`entity_id gt id`) never
 * repeats or skips a product when the catalog changes between pages, and
 * `pos` lets totalCount come from the same Magento call as the page.
 */
export interface ProductCursor {
  id: number;
  pos: number;
}

export const START: ProductCursor = { id: 0, pos: 0 };

export interface PageArgs {
  first: number;
  after: ProductCursor;
}

/** The largest GraphQL `Int`: totalCount is one. */
const MAX_INT = 2 ** 31 - 1;

/** A cursor field: a whole number from 0 to MAX_INT, so a forged one cannot make totalCount overflow `Int`. */
const isPosition = (value: unknown): value is number => typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 && value <= MAX_INT;

/** Validates `first`/`after` before anything is fetched; bad ones are BAD_USER_INPUT. */
export function parsePageArgs(first: number | null | undefined, after: string | null | undefined): PageArgs {
  const size = pageSize(first);
  if (after === null || after === undefined) return { first: size, after: START };
  return { first: size, after: afterCursor(after, ({ id, pos }) => (isPosition(id) && isPosition(pos) ? { id, pos } : undefined)) };
}

/**
 * One page of products following `after`. `remaining` is Magento's
 * total_count for the search after `after`: every match still to come,
 * this page included.
 */
export function toConnection(products: Product[], after: ProductCursor, remaining: number): ProductConnection {
  const totalCount = after.pos + remaining;
  // Only a forged position comes this close to the largest Int: no catalog has two billion products.
  if (totalCount > MAX_INT) throw notOurCursor();
  const edges = products.map((node, i) =>
    Object.assign(new ProductEdge(), { cursor: encodeCursor({ id: node.entityId, pos: after.pos + i + 1 }), node }),
  );
  return Object.assign(new ProductConnection(), { edges, pageInfo: pageInfo(edges, remaining > products.length), totalCount });
}
