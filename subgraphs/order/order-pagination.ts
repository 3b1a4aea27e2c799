import 'reflect-metadata'; // type-graphql's decorators need it loaded before any decorated class
import { decodeCursor, encodeCursor } from '../../lib/graphql/cursor.js';
import { badUserInput } from '../../lib/errors.js';
import { PageInfo } from '../../lib/graphql/shared-types.js';
import { OrderConnection, OrderEdge } from './order-connection.js';
import type { Order } from './order.js';

export const MAX_PAGE_SIZE = 100;

/** Where an order sits in the newest-first list; a cursor is this key, made opaque. */
interface OrderPosition {
  at: number;
  id: string;
}

const positionOf = (order: Order): OrderPosition => ({ at: order.placedAt.getTime(), id: order.id });

/** Newest first; the id breaks ties so the order (and every cursor) is total and stable. */
function compare(a: OrderPosition, b: OrderPosition): number {
  if (a.at !== b.at) return b.at - a.at;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** Both channels' orders as one list, newest first, each order once. */
export function mergeNewestFirst(...channels: Order[][]): Order[] {
  const byId = new Map<string, Order>();
  for (const orders of channels) for (const order of orders) byId.set(order.id, order);
  return [...byId.values()].sort((a, b) => compare(positionOf(a), positionOf(b)));
}

export const orderCursor = (order: Order): string => encodeCursor({ at: order.placedAt.toISOString(), id: order.id });

function decodeOrderCursor(cursor: string): OrderPosition {
  const value = decodeCursor<{ at?: unknown; id?: unknown }>(cursor);
  const at = typeof value?.at === 'string' ? Date.parse(value.at) : Number.NaN;
  if (Number.isNaN(at) || typeof value?.id !== 'string') throw badUserInput('`after` is not a cursor this field gave out.', { argumentName: 'after' });
  return { at, id: value.id };
}

export const DEFAULT_PAGE_SIZE = 20;

/** Checked page arguments: `first` within 1..MAX_PAGE_SIZE, `after` decoded. */
export interface PageArgs {
  first: number;
  after?: OrderPosition;
}

/** Validates `first`/`after` before anything is fetched; bad ones are BAD_USER_INPUT. */
export function parsePageArgs(first: number | null | undefined, after: string | null | undefined): PageArgs {
  // An explicit null means "the default", as leaving the argument out does.
  const size = first ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(size) || size < 1 || size > MAX_PAGE_SIZE) {
    throw badUserInput(`\`first\` must be between 1 and ${MAX_PAGE_SIZE}.`, { argumentName: 'first' });
  }
  return after ? { first: size, after: decodeOrderCursor(after) } : { first: size };
}

/**
 * One page of `orders` (sorted newest first). The cursor is the position of
 * the last order seen, not an offset, so a new order arriving between two
 * pages neither repeats nor skips one, and a cursor stays valid even if its
 * own order disappears.
 */
export function paginateOrders(orders: Order[], { first, after }: PageArgs): OrderConnection {
  let start = 0;
  if (after) {
    const next = orders.findIndex((o) => compare(positionOf(o), after) > 0);
    start = next === -1 ? orders.length : next;
  }
  const page = orders.slice(start, start + first);
  const edges = page.map((node) => Object.assign(new OrderEdge(), { cursor: orderCursor(node), node }));
  const pageInfo = Object.assign(new PageInfo(), {
    hasNextPage: start + first < orders.length,
    endCursor: edges.length ? (edges[edges.length - 1] as OrderEdge).cursor : null,
  });
  return Object.assign(new OrderConnection(), { edges, pageInfo });
}
