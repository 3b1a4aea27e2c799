import type { SimRoute } from '../common/simulator-server.js';
import type { Dataset, MagentoCustomer } from '../data/dataset.js';
import { toMagentoCustomer } from './customer-shape.js';
import { lazy } from './lazy.js';
import { toMagentoDate } from './magento-date.js';
import { magentoError, MESSAGES } from './magento-errors.js';
import { SearchableCollection } from './searchable-collection.js';
import { searchRoute } from './search-route.js';

/** `GET /rest/V1/customers/search` and `GET /rest/V1/customers/{id}`. */
export function customerRoutes(dataset: Dataset): SimRoute[] {
  const byId = lazy(() => new Map(dataset.magentoCustomers.map((c) => [c.id, c])));
  const collection = lazy(
    () =>
      new SearchableCollection<MagentoCustomer>({
        records: dataset.magentoCustomers,
        position: (c) => c.id,
        naturalField: 'entity_id',
        fields: {
          entity_id: { kind: 'number', get: (c) => c.id, indexed: true },
          email: { kind: 'string', get: (c) => c.email, indexed: true },
          firstname: { kind: 'string', get: (c) => c.firstname },
          lastname: { kind: 'string', get: (c) => c.lastname },
          created_at: { kind: 'date', get: (c) => toMagentoDate(c.createdAt) },
          updated_at: { kind: 'date', get: (c) => toMagentoDate(c.createdAt) },
        },
      }),
  );
  return [
    // Before `customers/:id`, which would otherwise take "search" for an id.
    searchRoute('/rest/V1/customers/search', collection, toMagentoCustomer),
    {
      method: 'GET',
      pattern: '/rest/V1/customers/:id',
      handler: (req) => {
        const id = req.params.id as string;
        const customer = /^\d+$/.test(id) ? byId().get(Number(id)) : undefined;
        return customer
          ? { status: 200, body: toMagentoCustomer(customer) }
          : magentoError(404, MESSAGES.noSuchEntity, { fieldName: 'customerId', fieldValue: id });
      },
    },
  ];
}
