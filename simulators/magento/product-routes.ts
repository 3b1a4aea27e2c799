import type { SimRoute } from '../common/simulator-server.js';
import type { Dataset, ProductRecord } from '../data/dataset.js';
import type { CatalogStock } from './catalog-stock.js';
import { lazy } from './lazy.js';
import { toMagentoDate } from './magento-date.js';
import { magentoError, MESSAGES } from './magento-errors.js';
import { toMagentoProduct } from './product-shape.js';
import { SearchableCollection } from './searchable-collection.js';
import { searchRoute } from './search-route.js';

/** The catalog as `products?searchCriteria` searches it. */
export function productCollection(dataset: Dataset, stock: CatalogStock): SearchableCollection<ProductRecord> {
  return new SearchableCollection<ProductRecord>({
    records: dataset.products,
    position: (p) => p.id,
    naturalField: 'entity_id',
    fields: {
      entity_id: { kind: 'number', get: (p) => p.id, indexed: true },
      sku: { kind: 'string', get: (p) => p.sku, indexed: true },
      name: { kind: 'string', get: (p) => p.name },
      price: { kind: 'number', get: (p) => p.price },
      status: { kind: 'number', get: () => 1 },
      type_id: { kind: 'string', get: () => 'simple' },
      category_id: { kind: 'number', get: (p) => p.categoryIds, indexed: true },
      created_at: { kind: 'date', get: (p) => toMagentoDate(p.createdAt) },
      updated_at: { kind: 'date', get: (p) => toMagentoDate(p.updatedAt) },
      quantity_and_stock_status: { kind: 'number', get: (p) => stock.status(p) },
    },
  });
}

/** `GET /rest/V1/products` (search) and `GET /rest/V1/products/{sku}`. */
export function productRoutes(dataset: Dataset, stock: CatalogStock): SimRoute[] {
  const collection = lazy(() => productCollection(dataset, stock));
  // SKUs compare case-insensitively in Magento (MySQL collation), so does the lookup.
  const bySku = lazy(() => new Map(dataset.products.map((p) => [p.sku.toLowerCase(), p])));
  return [
    searchRoute('/rest/V1/products', collection, (p) => toMagentoProduct(p, stock)),
    {
      method: 'GET',
      pattern: '/rest/V1/products/:sku',
      handler: (req) => {
        const product = bySku().get((req.params.sku as string).toLowerCase());
        return product ? { status: 200, body: toMagentoProduct(product, stock) } : magentoError(404, MESSAGES.productNotFound);
      },
    },
  ];
}
