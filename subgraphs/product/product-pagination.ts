import 'reflect-metadata'; // type-graphql's decorators need it loaded before any decorated class
import { badUserInput } from '../../lib/errors.js';
import { decodeCursor, encodeCursor } from '../../lib/graphql/cursor.js';
import { PageInfo } from '../../lib/graphql/shared-types.js';
import { ProductConnection, ProductEdge } from './product-connection.js';
import type { Product } from './product.js';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

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

const isCount = (value: unknown): value is number => typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;

/** Validates `first`/`after` before anything is fetched; bad ones are BAD_USER_INPUT. */
export function parsePageArgs(first: number | null | undefined, after: string | null | undefined): PageArgs {
  // An explicit null means "the default", as leaving the argument out does.
  const size = first ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(size) || size < 1 || size > MAX_PAGE_SIZE) {
    throw badUserInput(`\`first\` must be between 1 and ${MAX_PAGE_SIZE}.`, { argumentName: 'first' });
  }
  if (after === null || after === undefined) return { first: size, after: START };
  const cursor = decodeCursor<{ id?: unknown; pos?: unknown }>(after);
  if (!cursor || !isCount(cursor.id) || !isCount(cursor.pos)) {
    throw badUserInput('`after` is not a cursor this field gave out.', { argumentName: 'after' });
  }
  return { first: size, after: { id: cursor.id, pos: cursor.pos } };
}

/**
 * One page of products following `after`. `remaining` is Magento's
 * total_count for the search after `after`: every match still to come,
 * this page included.
 */
export function toConnection(products: Product[], after: ProductCursor, remaining: number): ProductConnection {
  const edges = products.map((node, i) =>
    Object.assign(new ProductEdge(), { cursor: encodeCursor({ id: node.entityId, pos: after.pos + i + 1 }), node }),
  );
  const pageInfo = Object.assign(new PageInfo(), {
    hasNextPage: remaining > products.length,
    endCursor: edges.length ? (edges[edges.length - 1] as ProductEdge).cursor : null,
  });
  return Object.assign(new ProductConnection(), { edges, pageInfo, totalCount: after.pos + remaining });
}
