import DataLoader from 'dataloader';
import type { MagentoOrdersConnector } from './connectors/magento-orders-connector.js';
import type { PosOrdersConnector } from './connectors/pos-orders-connector.js';
import { parseOrderId } from './order-id.js';
import type { Order } from './order.js';

export interface OrderConnectors {
  magento: MagentoOrdersConnector;
  pos: PosOrdersConnector;
}

/**
 * Per-request DataLoaders: every load made while one request resolves a level
 * of its query becomes one upstream call per system, and nothing is cached
 * beyond the request.
 */
export interface OrderLoaders {
  /** Orders of one Magento customer id. */
  ordersByMagentoCustomerId: DataLoader<number, Order[]>;
  /** In-store orders of one POS loyalty id. */
  ordersByLoyaltyId: DataLoader<string, Order[]>;
  /** One order by its public id (`mag_…`, `pos_…`); null when unknown or malformed. */
  orderById: DataLoader<string, Order | null>;
}

/** Ids per upstream call: keeps Magento's `in (...)` and the POS's repeated `loyaltyId=` within URL limits. */
const MAX_IDS_PER_CALL = 200;

function groupBy(orders: Order[], keyOf: (order: Order) => string | undefined): Map<string, Order[]> {
  const groups = new Map<string, Order[]>();
  for (const order of orders) {
    const key = keyOf(order);
    if (key === undefined) continue;
    const group = groups.get(key);
    if (group) group.push(order);
    else groups.set(key, [order]);
  }
  return groups;
}

/** A failed call fails only the keys that needed it: each gets the error, the others their value. */
const settle = async <T>(work: () => Promise<T>): Promise<T | Error> => {
  try {
    return await work();
  } catch (err) {
    return err instanceof Error ? err : new Error(String(err));
  }
};

export function createOrderLoaders(connectors: OrderConnectors): OrderLoaders {
  const ordersByMagentoCustomerId = new DataLoader<number, Order[]>(
    async (customerIds) => {
      const groups = groupBy(await connectors.magento.ordersOfCustomers(customerIds), (o) => o.customerSource?.externalId);
      return customerIds.map((id) => groups.get(String(id)) ?? []);
    },
    { maxBatchSize: MAX_IDS_PER_CALL },
  );

  const ordersByLoyaltyId = new DataLoader<string, Order[]>(
    async (loyaltyIds) => {
      const groups = groupBy(await connectors.pos.ordersOfLoyaltyIds(loyaltyIds), (o) => o.customerSource?.externalId);
      return loyaltyIds.map((id) => groups.get(id) ?? []);
    },
    { maxBatchSize: MAX_IDS_PER_CALL },
  );

  const orderById = new DataLoader<string, Order | null>(
    async (ids) => {
      const keys = ids.map(parseOrderId);
      const entityIds = keys.flatMap((k) => (k?.system === 'magento' ? [k.entityId] : []));
      const posIds = [...new Set(keys.flatMap((k) => (k?.system === 'pos' ? [k.orderId] : [])))];
      // Both systems at once; one failing leaves the other's orders intact.
      const [online, inStore] = await Promise.all([
        settle(async () => new Map((await connectors.magento.ordersByEntityId(entityIds)).map((o) => [o.id, o]))),
        // The POS looks orders up one id at a time (no multi-id endpoint): one call per distinct id.
        Promise.all(posIds.map((id) => settle(() => connectors.pos.orderById(id)))).then((found) => new Map(posIds.map((id, i) => [id, found[i]]))),
      ]);
      return keys.map((key, i): Order | null | Error => {
        if (!key) return null;
        if (key.system === 'magento') return online instanceof Error ? online : (online.get(ids[i] as string) ?? null);
        return inStore.get(key.orderId) ?? null;
      });
    },
    { maxBatchSize: MAX_IDS_PER_CALL },
  );

  return { ordersByMagentoCustomerId, ordersByLoyaltyId, orderById };
}
