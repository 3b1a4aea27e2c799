import type { Dataset, LocationRecord, PosOrder, ProductRecord } from '../data/dataset.js';

/** Where a page of orders ends: orders are listed newest first, by (placedAt, orderId), both descending. */
export interface OrderKey extends Record<string, unknown> {
  placedAt: string;
  orderId: string;
}

export const isOrderKey = (value: Record<string, unknown>): value is OrderKey =>
  typeof value.placedAt === 'string' && typeof value.orderId === 'string';

export interface OrderFilter {
  /** Any of these loyalty ids; empty: any. */
  loyaltyIds: string[];
  storeId?: string;
}

/** Negative when `a` lists before `b`: newest first, then the higher order id first. */
type Keyed = Pick<OrderKey, 'placedAt' | 'orderId'>;
const newestFirst = (a: Keyed, b: Keyed) => (a.placedAt === b.placedAt ? cmp(b.orderId, a.orderId) : cmp(b.placedAt, a.placedAt));
const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The POS's in-store orders: the dataset's history plus the sales recorded
 * since start. Pages are keyed by the last order's (placedAt, orderId), not by
 * offset, so a sale recorded while a client pages does not shift its pages.
 */
export class PosOrderBook {
  private readonly orders: PosOrder[];
  private readonly byId: Map<string, PosOrder>;
  private readonly lastSeq = new Map<string, number>();

  constructor(dataset: Dataset) {
    this.orders = [...dataset.posOrders].sort(newestFirst);
    this.byId = new Map(this.orders.map((o) => [o.orderId, o]));
    for (const o of this.orders) {
      const seq = Number(o.orderId.slice(o.storeId.length + 1));
      if (seq > (this.lastSeq.get(o.storeId) ?? 0)) this.lastSeq.set(o.storeId, seq);
    }
  }

  get(orderId: string): PosOrder | undefined {
    return this.byId.get(orderId);
  }

  /** Up to `limit` orders after `after` that match the filter, and the key to continue from (none at the end). */
  list(filter: OrderFilter, limit: number, after?: OrderKey): { orders: PosOrder[]; next?: OrderKey } {
    const loyalty = new Set(filter.loyaltyIds);
    const matches = (o: PosOrder) =>
      (!filter.storeId || o.storeId === filter.storeId) && (loyalty.size === 0 || (o.loyaltyId !== null && loyalty.has(o.loyaltyId)));
    const out: PosOrder[] = [];
    for (let i = after ? this.firstAfter(after) : 0; i < this.orders.length; i++) {
      const order = this.orders[i] as PosOrder;
      if (!matches(order)) continue;
      if (out.length === limit) {
        const last = out[out.length - 1] as PosOrder;
        return { orders: out, next: { placedAt: last.placedAt, orderId: last.orderId } };
      }
      out.push(order);
    }
    return { orders: out };
  }

  /** A sale at the till: one line at the catalog price, paid in full. */
  recordSale(store: LocationRecord, product: ProductRecord, quantity: number, at: string): PosOrder {
    const seq = (this.lastSeq.get(store.id) ?? 0) + 1;
    this.lastSeq.set(store.id, seq);
    const order: PosOrder = {
      orderId: `${store.id}-${String(seq).padStart(6, '0')}`,
      storeId: store.id,
      loyaltyId: null,
      placedAt: at,
      status: 'COMPLETED',
      lines: [{ sku: product.sku, name: product.name, quantity, unitPrice: product.price }],
      total: Math.round(product.price * quantity * 100) / 100,
    };
    this.orders.splice(this.firstAfter(order), 0, order);
    this.byId.set(order.orderId, order);
    return order;
  }

  /** Index of the first order that lists after `key` (binary search over the sorted list). */
  private firstAfter(key: Keyed): number {
    let lo = 0;
    let hi = this.orders.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (newestFirst(this.orders[mid] as PosOrder, key) <= 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

/** The POS wire shape: integer cents, as till systems keep them. */
export function toPosOrderJson(order: PosOrder, currency: string) {
  const lines = order.lines.map((l) => ({ sku: l.sku, description: l.name, quantity: l.quantity, unitPriceCents: Math.round(l.unitPrice * 100) }));
  return {
    orderId: order.orderId,
    storeId: order.storeId,
    loyaltyId: order.loyaltyId,
    placedAt: order.placedAt,
    status: order.status,
    currency,
    // Summed from the lines in cents, so the total always equals what the lines say.
    totalCents: lines.reduce((sum, l) => sum + l.quantity * l.unitPriceCents, 0),
    lines,
  };
}
