import type { MagentoCustomer } from '../data/dataset.js';
import { toMagentoDate } from './magento-date.js';

/** A customer account as `GET /rest/V1/customers/{id}` answers it: one address, the default for both. */
export function toMagentoCustomer(c: MagentoCustomer) {
  const createdAt = toMagentoDate(c.createdAt);
  return {
    id: c.id,
    group_id: 1,
    email: c.email,
    firstname: c.firstname,
    lastname: c.lastname,
    created_at: createdAt,
    updated_at: createdAt,
    created_in: 'Default Store View',
    store_id: 1,
    website_id: 1,
    addresses: [
      {
        id: c.id,
        customer_id: c.id,
        firstname: c.firstname,
        lastname: c.lastname,
        street: [c.street],
        city: c.city,
        postcode: c.postcode,
        country_id: 'US',
        telephone: c.telephone,
        default_billing: true,
        default_shipping: true,
      },
    ],
  };
}
