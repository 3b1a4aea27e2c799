import type { Dataset, LocationRecord, ProductRecord } from '../data/dataset.js';
import type { PosOrderBook } from './pos-order-book.js';
import type { PosStockBook } from './pos-stock-book.js';

export type PosEventType = 'SALE' | 'RETURN' | 'ADJUSTMENT';

/** One stock event as the webhook carries it. */
export interface PosEvent {
  /**
   * `pos-main-1790000000000017`: unique and increasing per source, across
   * restarts too, so a receiver can tell a redelivery from a new event.
   */
  eventId: string;
  type: PosEventType;
  storeId: string;
  sku: string;
  /** Count sold (SALE) or returned (RETURN); the signed delta of an ADJUSTMENT. */
  quantity: number;
  occurredAt: string;
}

export interface TillOperation {
  type: PosEventType;
  store: LocationRecord;
  product: ProductRecord;
  quantity: number;
}

/** Digits of an event id's sequence: microseconds since 1970 (16 digits, and exact as a JS number, until the year 2255). */
const SEQUENCE_DIGITS = 16;

/**
 * Where every stock change in the POS happens: moves the store's stock, records
 * an in-store order for a sale, and returns the event to deliver.
 *
 * Event ids count up from the start time in microseconds, not from 1: a
 * restarted POS must not reuse the ids of its previous run, or the receiver
 * (idempotent by event id) would drop its new sales as redeliveries. A run
 * would have to average more than a million events a second to catch up with
 * the clock of the next start.
 */
export class PosTill {
  private sequence: number;

  constructor(
    readonly source: string,
    private readonly stock: PosStockBook,
    private readonly orders: PosOrderBook,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.sequence = this.now().getTime() * 1000;
  }

  record(op: TillOperation): PosEvent {
    const occurredAt = this.now().toISOString();
    const delta = op.type === 'SALE' ? -op.quantity : op.quantity;
    this.stock.apply(op.store, op.product, delta, occurredAt);
    if (op.type === 'SALE') this.orders.recordSale(op.store, op.product, op.quantity, occurredAt);
    this.sequence += 1;
    return {
      eventId: `${this.source}-${String(this.sequence).padStart(SEQUENCE_DIGITS, '0')}`,
      type: op.type,
      storeId: op.store.id,
      sku: op.product.sku,
      quantity: op.quantity,
      occurredAt,
    };
  }
}

/** Looks a store and a product up for an admin call; the names say which one is unknown. */
export function findStoreAndProduct(dataset: Dataset, storeId: string, sku: string): { store: LocationRecord; product: ProductRecord } | string {
  const store = dataset.stores.find((s) => s.id === storeId);
  if (!store) return `Unknown store ${storeId}.`;
  const product = dataset.productBySku.get(sku);
  if (!product) return `Unknown SKU ${sku}.`;
  return { store, product };
}
