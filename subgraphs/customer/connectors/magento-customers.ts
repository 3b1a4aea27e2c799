import { z } from 'zod';
import type { UpstreamClient } from '../../../lib/http/upstream-client.js';
import type { CustomerRecord } from '../matching/customer-record.js';
import { searchCriteriaQuery } from '../../../lib/magento/search-criteria.js';

const PAGE_SIZE = 1_000;

const addressSchema = z
  .object({
    telephone: z.string().nullable().optional(),
    postcode: z.string().nullable().optional(),
    default_billing: z.boolean().optional(),
  })
  .passthrough();
const customerSchema = z
  .object({
    id: z.number().int(),
    email: z.string(),
    firstname: z.string().nullable().optional(),
    lastname: z.string().nullable().optional(),
    addresses: z.array(addressSchema).optional(),
  })
  .passthrough();
export type MagentoCustomerJson = z.infer<typeof customerSchema>;

const pageSchema = z.object({ items: z.array(customerSchema), total_count: z.number().int().nonnegative() });

export function magentoCustomerRecord(customer: MagentoCustomerJson): CustomerRecord {
  const addresses = customer.addresses ?? [];
  const address = addresses.find((a) => a.default_billing) ?? addresses[0];
  return {
    system: 'MAGENTO',
    externalId: String(customer.id),
    firstName: customer.firstname ?? null,
    lastName: customer.lastname ?? null,
    email: customer.email,
    phone: address?.telephone ?? null,
    postcode: address?.postcode ?? null,
    loyaltyId: null,
    raw: customer,
  };
}

/** `customers/search` for the page after `afterId`, in entity_id order. */
function pagePath(afterId: number): string {
  const query = searchCriteriaQuery({
    filterGroups: [[{ field: 'entity_id', conditionType: 'gt', value: String(afterId) }]],
    sortOrders: [{ field: 'entity_id', direction: 'ASC' }],
    pageSize: PAGE_SIZE,
  });
  return `/rest/V1/customers/search?${query}`;
}

/**
 * Every Magento customer, paged by `entity_id gt <last seen>`: Magento answers a
 * `currentPage` past the end with the last page again, so page numbers could loop.
 */
export async function fetchMagentoCustomers(magento: UpstreamClient): Promise<CustomerRecord[]> {
  const customers: MagentoCustomerJson[] = [];
  let afterId = 0;
  for (;;) {
    const page = await magento.get(pagePath(afterId), pageSchema);
    customers.push(...page.items);
    const lastId = page.items.reduce((max, c) => Math.max(max, c.id), afterId);
    // A short page is the last one; a page that does not move forward would loop.
    if (page.items.length < PAGE_SIZE || lastId <= afterId) break;
    afterId = lastId;
  }
  return customers.map(magentoCustomerRecord);
}
