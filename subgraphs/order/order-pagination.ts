import { encodeCursor } from '../../lib/graphql/cursor.js';
import { afterCursor, pageInfo, pageSize } from '../../lib/graphql/paging.js';
import { OrderConnection, OrderEdge } from './order-connection.js';
import type { Order } from './order.js';

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

/** The position an order cursor holds, or undefined when it holds none. */
function readOrderCursor({ at, id }: Record<string, unknown>): OrderPosition | undefined {
  const time = typeof at === 'string' ? Date.parse(at) : Number.NaN;
  return Number.isNaN(time) || typeof id !== 'string' ? undefined : { at: time, id };
}

/** Checked page arguments: `first` within 1..MAX_PAGE_SIZE, `after` decoded. */
export interface PageArgs {
  first: number;
  after?: OrderPosition;
}

/** Validates `first`/`after` before anything is fetched; bad ones are BAD_USER_INPUT. */
export function parsePageArgs(first: number | null | undefined, after: string | null | undefined): PageArgs {
  const size = pageSize(first);
  return after ? { first: size, after: afterCursor(after, readOrderCursor) } : { first: size };
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
  return Object.assign(new OrderConnection(), { edges, pageInfo: pageInfo(edges, start + first < orders.length) });
}
