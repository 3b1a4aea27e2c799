import type { Dataset, LocationRecord } from '../data/dataset.js';

/** One warehouse's level of one SKU, as the ERP keeps it. */
export interface ErpStockLevel {
  sku: string;
  qty: number;
  discontinued: boolean;
  /** When the ERP last changed this level, in ms since the epoch (what `modifiedSince` filters on). */
  modifiedAt: number;
}

/**
 * The ERP's stock: the dataset's baseline for every warehouse, with the stock
 * counts posted through `POST /admin/inventory` on top. The baseline is derived
 * from the seed, so it is built lazily per warehouse and never changes; only
 * the (few) changed levels are stored.
 */
export class ErpStockBook {
  private readonly baselines = new Map<string, ErpStockLevel[]>();
  /** warehouse id → sku → level; a Map keeps insertion order, so added SKUs list in the order they came. */
  private readonly changes = new Map<string, Map<string, ErpStockLevel>>();
  private readonly warehouses: Map<string, LocationRecord>;

  constructor(private readonly dataset: Dataset) {
    this.warehouses = new Map(dataset.warehouses.map((w) => [w.id, w]));
  }

  hasWarehouse(id: string): boolean {
    return this.warehouses.has(id);
  }

  /** Every level of one warehouse (catalog order, then added SKUs), or only those changed at or after `sinceMs`. */
  levels(warehouseId: string, sinceMs?: number): ErpStockLevel[] {
    const changed = this.changes.get(warehouseId);
    const out: ErpStockLevel[] = [];
    const keep = (level: ErpStockLevel) => {
      if (sinceMs === undefined || level.modifiedAt >= sinceMs) out.push(level);
    };
    const baseline = this.baseline(warehouseId);
    for (const level of baseline) keep(changed?.get(level.sku) ?? level);
    if (changed) {
      for (const level of changed.values()) if (!this.dataset.productBySku.has(level.sku)) keep(level);
    }
    return out;
  }

  /** A stock count: sets the level, stamps it modified at `now`. A SKU the catalog does not know is added. */
  record(warehouseId: string, sku: string, qty: number, discontinued: boolean | undefined, now: number): ErpStockLevel {
    let changed = this.changes.get(warehouseId);
    if (!changed) this.changes.set(warehouseId, (changed = new Map()));
    const previous = changed.get(sku) ?? this.baselineOf(warehouseId, sku);
    const level: ErpStockLevel = { sku, qty, discontinued: discontinued ?? previous?.discontinued ?? false, modifiedAt: now };
    changed.set(sku, level);
    return level;
  }

  private baselineOf(warehouseId: string, sku: string): ErpStockLevel | undefined {
    const product = this.dataset.productBySku.get(sku);
    return product ? this.baseline(warehouseId)[product.id - 1] : undefined;
  }

  private baseline(warehouseId: string): ErpStockLevel[] {
    let levels = this.baselines.get(warehouseId);
    if (!levels) {
      const warehouse = this.warehouses.get(warehouseId);
      if (!warehouse) throw new Error(`unknown warehouse ${warehouseId}`);
      levels = this.dataset.products.map((p) => ({
        sku: p.sku,
        qty: this.dataset.baselineQty(p, warehouse),
        discontinued: p.discontinued,
        modifiedAt: Date.parse(this.dataset.baselineModifiedAt(p, warehouse)),
      }));
      this.baselines.set(warehouseId, levels);
    }
    return levels;
  }
}
