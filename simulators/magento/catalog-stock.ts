import type { Dataset, LocationRecord, ProductRecord } from '../data/dataset.js';

/** MSI's source code of an ERP warehouse: `WH-01` → `wh-01`. */
export const sourceCodeOf = (warehouse: LocationRecord): string => warehouse.id.toLowerCase();

/**
 * Magento's stock: one MSI source per ERP warehouse holding the dataset's
 * baseline quantity; the salable quantity is their sum. Summed once per
 * product, on first use, since stock filters scan the whole catalog.
 */
export class CatalogStock {
  private salable?: Map<ProductRecord, number>;

  constructor(private readonly dataset: Dataset) {}

  get warehouses(): readonly LocationRecord[] {
    return this.dataset.warehouses;
  }

  sourceQuantity(product: ProductRecord, warehouse: LocationRecord): number {
    return this.dataset.baselineQty(product, warehouse);
  }

  /** Salable quantity over all sources. */
  quantity(product: ProductRecord): number {
    this.salable ??= new Map(this.dataset.products.map((p) => [p, this.sum(p)]));
    return this.salable.get(product) ?? this.sum(product);
  }

  /** `quantity_and_stock_status`: 1 when anything is salable, else 0. */
  status(product: ProductRecord): 0 | 1 {
    return this.quantity(product) > 0 ? 1 : 0;
  }

  private sum(product: ProductRecord): number {
    return this.dataset.warehouses.reduce((total, w) => total + this.dataset.baselineQty(product, w), 0);
  }
}
