import type { SimRoute } from '../common/simulator-server.js';
import type { Dataset, MagentoOrder } from '../data/dataset.js';
import { lazy } from './lazy.js';
import { toMagentoDate } from './magento-date.js';
import { magentoError, MESSAGES } from './magento-errors.js';
import { OrderShaper } from './order-shape.js';
import { SearchableCollection } from './searchable-collection.js';
import { searchRoute } from './search-route.js';

/** `GET /rest/V1/orders` (search) and `GET /rest/V1/orders/{entity_id}`. */
export function orderRoutes(dataset: Dataset): SimRoute[] {
  const shaper = lazy(() => new OrderShaper(dataset));
  const shape = (o: MagentoOrder) => shaper().shape(o);
  const byId = lazy(() => new Map(dataset.magentoOrders.map((o) => [o.entityId, o])));
  const collection = lazy(
    () =>
      new SearchableCollection<MagentoOrder>({
        records: dataset.magentoOrders,
        position: (o) => o.entityId,
        naturalField: 'entity_id',
        fields: {
          entity_id: { kind: 'number', get: (o) => o.entityId, indexed: true },
          increment_id: { kind: 'string', get: (o) => o.incrementId, indexed: true },
          customer_id: { kind: 'number', get: (o) => o.customerId ?? undefined, indexed: true },
          customer_email: { kind: 'string', get: (o) => o.email, indexed: true },
          status: { kind: 'string', get: (o) => o.status },
          created_at: { kind: 'date', get: (o) => toMagentoDate(o.createdAt) },
        },
      }),
  );
  return [
    searchRoute('/rest/V1/orders', collection, shape),
    {
      method: 'GET',
      pattern: '/rest/V1/orders/:id',
      handler: (req) => {
        const id = req.params.id as string;
        const order = /^\d+$/.test(id) ? byId().get(Number(id)) : undefined;
        return order ? { status: 200, body: shape(order) } : magentoError(404, MESSAGES.entityNotFound);
      },
    },
  ];
}
