import { encodeCursor } from '../../lib/graphql/cursor.js';
import type { SimRoute } from '../common/simulator-server.js';
import type { Dataset, LoyaltyCustomer } from '../data/dataset.js';
import { isPosError, posError } from './pos-errors.js';
import { type PosOrderBook, isOrderKey, toPosOrderJson } from './pos-order-book.js';
import { isIndexCursor, pageByIndex, readPage } from './pos-paging.js';
import type { PosStockBook } from './pos-stock-book.js';
import { timezoneOf } from './store-timezones.js';

const loyaltyJson = (c: LoyaltyCustomer) => ({
  loyaltyId: c.loyaltyId,
  firstName: c.firstName,
  lastName: c.lastName,
  email: c.email,
  phone: c.phone,
  postcode: c.postcode,
  homeStoreId: c.homeStoreId,
  enrolledAt: c.enrolledAt,
});

/** The POS back-office read API (`/api/v1`): stores, store stock, in-store orders, loyalty customers. */
export function posApiRoutes(dataset: Dataset, stock: PosStockBook, orders: PosOrderBook): SimRoute[] {
  const stores = new Map(dataset.stores.map((s) => [s.id, s]));
  const loyalty = new Map(dataset.loyaltyCustomers.map((c) => [c.loyaltyId, c]));

  return [
    {
      method: 'GET',
      pattern: '/api/v1/stores',
      handler: () => ({
        status: 200,
        body: { stores: dataset.stores.map((s) => ({ storeId: s.id, name: s.name, city: s.city, timezone: timezoneOf(s.city) })) },
      }),
    },
    {
      method: 'GET',
      pattern: '/api/v1/stores/:storeId/stock',
      handler: (req) => {
        const store = stores.get(req.params.storeId as string);
        if (!store) return posError('not_found', `Store ${req.params.storeId} does not exist.`);
        const page = readPage(req.query, { default: 1000, max: 1000 }, isIndexCursor);
        if (isPosError(page)) return page;
        const { items, nextCursor } = pageByIndex(dataset.products, page);
        return { status: 200, body: { storeId: store.id, items: items.map((p) => stock.item(store, p)), nextCursor } };
      },
    },
    {
      method: 'GET',
      pattern: '/api/v1/orders',
      handler: (req) => {
        const page = readPage(req.query, { default: 100, max: 1000 }, isOrderKey);
        if (isPosError(page)) return page;
        const filter = { loyaltyIds: req.query.getAll('loyaltyId').filter((id) => id !== ''), storeId: req.query.get('storeId') ?? undefined };
        const { orders: found, next } = orders.list(filter, page.limit, page.after);
        return {
          status: 200,
          body: { orders: found.map((o) => toPosOrderJson(o, dataset.currency)), nextCursor: next ? encodeCursor(next) : null },
        };
      },
    },
    {
      method: 'GET',
      pattern: '/api/v1/orders/:orderId',
      handler: (req) => {
        const order = orders.get(req.params.orderId as string);
        return order ? { status: 200, body: toPosOrderJson(order, dataset.currency) } : posError('not_found', `Order ${req.params.orderId} does not exist.`);
      },
    },
    {
      method: 'GET',
      pattern: '/api/v1/loyalty/customers',
      handler: (req) => {
        const page = readPage(req.query, { default: 1000, max: 1000 }, isIndexCursor);
        if (isPosError(page)) return page;
        const { items, nextCursor } = pageByIndex(dataset.loyaltyCustomers, page);
        return { status: 200, body: { customers: items.map(loyaltyJson), nextCursor } };
      },
    },
    {
      method: 'GET',
      pattern: '/api/v1/loyalty/customers/:loyaltyId',
      handler: (req) => {
        const customer = loyalty.get(req.params.loyaltyId as string);
        return customer ? { status: 200, body: loyaltyJson(customer) } : posError('not_found', `Loyalty customer ${req.params.loyaltyId} does not exist.`);
      },
    },
  ];
}
