import type { SimRoute } from '../common/simulator-server.js';
import type { Dataset, LocationRecord, ProductRecord } from '../data/dataset.js';
import { sourceCodeOf, type CatalogStock } from './catalog-stock.js';
import { lazy } from './lazy.js';
import { SearchableCollection } from './searchable-collection.js';
import { searchRoute } from './search-route.js';

interface SourceItem {
  product: ProductRecord;
  warehouse: LocationRecord;
  sourceCode: string;
  /** Place in the natural order: by product, then by source. */
  position: number;
}

/** `GET /rest/V1/inventory/source-items`: MSI source items, one per product and warehouse. */
export function sourceItemRoutes(dataset: Dataset, stock: CatalogStock): SimRoute[] {
  const collection = lazy(() => {
    const items: SourceItem[] = [];
    for (const product of dataset.products) {
      for (const warehouse of dataset.warehouses) items.push({ product, warehouse, sourceCode: sourceCodeOf(warehouse), position: items.length });
    }
    return new SearchableCollection<SourceItem>({
      records: items,
      position: (i) => i.position,
      fields: {
        sku: { kind: 'string', get: (i) => i.product.sku, indexed: true },
        source_code: { kind: 'string', get: (i) => i.sourceCode, indexed: true },
      },
    });
  });
  const shape = (i: SourceItem) => {
    const quantity = stock.sourceQuantity(i.product, i.warehouse);
    return { sku: i.product.sku, source_code: i.sourceCode, quantity, status: quantity > 0 ? 1 : 0 };
  };
  return [searchRoute('/rest/V1/inventory/source-items', collection, shape)];
}
