import type { Dataset, LocationRecord, ProductRecord } from '../data/dataset.js';

export interface PosStockItem {
  sku: string;
  onHand: number;
  updatedAt: string;
}

/**
 * The stores' stock as the POS keeps it: the dataset's baseline for every
 * store and SKU, with the changes sales, returns and adjustments made since
 * start. Only changed levels are stored; the baseline is derived from the seed.
 */
export class PosStockBook {
  private readonly changes = new Map<string, PosStockItem>();

  constructor(private readonly dataset: Dataset) {}

  item(store: LocationRecord, product: ProductRecord): PosStockItem {
    return (
      this.changes.get(key(store.id, product.sku)) ?? {
        sku: product.sku,
        onHand: this.dataset.baselineQty(product, store),
        updatedAt: this.dataset.baselineModifiedAt(product, store),
      }
    );
  }

  /**
   * Moves a level by `delta`. A till does not refuse to sell an item the
   * customer holds, so onHand may go below zero: the count was wrong.
   */
  apply(store: LocationRecord, product: ProductRecord, delta: number, at: string): PosStockItem {
    const next = { sku: product.sku, onHand: this.item(store, product).onHand + delta, updatedAt: at };
    this.changes.set(key(store.id, product.sku), next);
    return next;
  }
}

const key = (storeId: string, sku: string) => `${storeId}\u0000${sku}`;
