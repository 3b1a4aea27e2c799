import type { SourceRecord } from '../../lib/graphql/shared-types.js';
import type { Customer } from './customer.js';
import type { CustomerContext } from './customer-context.js';
import type { Order } from './order.js';

/**
 * How the gateway's `_entities` representations become objects here. A
 * Customer is loaded (batched); an Order is only its key and the
 * `customerSource` the gateway fetched from the order subgraph (`@requires`).
 */
export const customerReferenceResolvers = {
  Customer: {
    __resolveReference: (reference: { id: string }, context: CustomerContext): Promise<Customer | null> => context.customers.byId.load(reference.id),
  },
  Order: {
    __resolveReference: (reference: { id: string; customerSource?: SourceRecord | null }): Order => ({
      id: reference.id,
      customerSource: reference.customerSource ?? null,
    }),
  },
};
