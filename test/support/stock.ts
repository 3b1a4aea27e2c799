import type { Dataset, ProductRecord } from '../../simulators/data/dataset.js';

/** Units of `product` the ERP and the POS hold over every location, at the dataset's baseline. */
export function totalStock(dataset: Dataset, product: ProductRecord): number {
  return [...dataset.warehouses, ...dataset.stores].reduce((sum, location) => sum + dataset.baselineQty(product, location), 0);
}
