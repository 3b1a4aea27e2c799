import { GraphQLError } from 'graphql';
import { ErrorCode } from '../../../lib/errors.js';
import type { UpstreamClient } from '../../../lib/http/upstream-client.js';
import { fromPosOrder } from '../order-mapping.js';
import type { Order } from '../order.js';
import { PosOrderPageSchema, PosOrderSchema } from './pos-order-schema.js';

/** In-store orders from the POS back office (`/api/v1/orders`). */
export interface PosOrdersConnector {
  /** Every order of these loyalty members: one call per page of `limit` orders, following `nextCursor`. */
  ordersOfLoyaltyIds(loyaltyIds: readonly string[]): Promise<Order[]>;
  /** One order, or null when the POS does not know it. The POS has no multi-id lookup: one call per id. */
  orderById(orderId: string): Promise<Order | null>;
}

export interface PosOrdersConnectorOptions {
  /** Orders per page of the list endpoint; the POS's maximum, so a batch of members is one call. */
  pageLimit?: number;
}

export function createPosOrdersConnector(client: UpstreamClient, options: PosOrdersConnectorOptions = {}): PosOrdersConnector {
  const limit = options.pageLimit ?? 1000;

  return {
    async ordersOfLoyaltyIds(loyaltyIds) {
      if (loyaltyIds.length === 0) return [];
      const orders: Order[] = [];
      const seenCursors = new Set<string>();
      let cursor: string | null | undefined;
      do {
        const params = new URLSearchParams();
        for (const id of new Set(loyaltyIds)) params.append('loyaltyId', id);
        params.set('limit', String(limit));
        if (cursor) params.set('cursor', cursor);
        const page = await client.get(`/api/v1/orders?${params}`, PosOrderPageSchema);
        orders.push(...page.orders.map(fromPosOrder));
        cursor = page.nextCursor;
        if (cursor && seenCursors.has(cursor)) {
          // Following it would loop forever; an incomplete list must not pass for the whole one.
          throw new GraphQLError('pos repeated a page cursor.', { extensions: { code: ErrorCode.UPSTREAM_BAD_RESPONSE, service: client.system } });
        }
        if (cursor) seenCursors.add(cursor);
      } while (cursor);
      return orders;
    },

    async orderById(orderId) {
      try {
        return fromPosOrder(await client.get(`/api/v1/orders/${encodeURIComponent(orderId)}`, PosOrderSchema));
      } catch (err) {
        // An unknown order is an answer (null), not a failure.
        if (err instanceof GraphQLError && err.extensions.code === ErrorCode.NOT_FOUND) return null;
        throw err;
      }
    },
  };
}
