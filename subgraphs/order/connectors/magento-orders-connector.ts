import type { UpstreamClient } from '../../../lib/http/upstream-client.js';
import { fromMagentoOrder } from '../order-mapping.js';
import type { Order } from '../order.js';
import { MagentoOrderSearchSchema, type MagentoOrderRecord } from './magento-order-schema.js';
import { searchCriteriaQuery, type MagentoFilter } from '../../../lib/magento/search-criteria.js';

/** Online orders from Magento's `GET /rest/V1/orders` search. */
export interface MagentoOrdersConnector {
  /** Every order of these Magento customers: one search while they fit one page. */
  ordersOfCustomers(customerIds: readonly number[]): Promise<Order[]>;
  /** The orders with these entity ids that exist: one search while they fit one page. */
  ordersByEntityId(entityIds: readonly number[]): Promise<Order[]>;
}

export interface MagentoOrdersConnectorOptions {
  /** Orders per search page. Large, so a batch of customers is one call; more pages only when `total_count` says so. */
  pageSize?: number;
}

export function createMagentoOrdersConnector(client: UpstreamClient, options: MagentoOrdersConnectorOptions = {}): MagentoOrdersConnector {
  const pageSize = options.pageSize ?? 500;

  /**
   * All matches of `filter`, in entity_id order. Pages by `entity_id gt <last>`
   * rather than `currentPage`: Magento answers a page past the end with the
   * last page again, and new orders would shift page boundaries.
   */
  async function searchAll(filter: MagentoFilter): Promise<MagentoOrderRecord[]> {
    const found: MagentoOrderRecord[] = [];
    let afterId = 0;
    for (;;) {
      const query = searchCriteriaQuery({
        filterGroups: afterId ? [[filter], [{ field: 'entity_id', value: String(afterId), conditionType: 'gt' }]] : [[filter]],
        sortOrders: [{ field: 'entity_id', direction: 'ASC' }],
        pageSize,
      });
      const page = await client.get(`/rest/V1/orders?${query}`, MagentoOrderSearchSchema);
      found.push(...page.items);
      const last = page.items[page.items.length - 1];
      // total_count counts every match of this search, so more remain exactly when it exceeds this page.
      if (!last || page.total_count <= page.items.length || last.entity_id <= afterId) return found;
      afterId = last.entity_id;
    }
  }

  const search = async (field: string, values: readonly number[]): Promise<Order[]> => {
    if (values.length === 0) return [];
    const records = await searchAll({ field, value: [...new Set(values)].join(','), conditionType: 'in' });
    return records.map(fromMagentoOrder);
  };

  return {
    ordersOfCustomers: (customerIds) => search('customer_id', customerIds),
    ordersByEntityId: (entityIds) => search('entity_id', entityIds),
  };
}
