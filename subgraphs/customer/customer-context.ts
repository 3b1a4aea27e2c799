import type { BaseContext } from '../../lib/graphql/graphql-http-handler.js';
import { createCustomerLoaders, type CustomerLoaders } from './customer-loaders.js';
import type { CustomerRepository } from './customer-repository.js';

/** What the customer subgraph's resolvers see: the request, and DataLoaders that live as long as it. */
export interface CustomerContext extends BaseContext {
  customers: CustomerLoaders;
}

/** The per-request context builder: the schema knows no database, the context brings it. */
export function customerContext(repository: CustomerRepository) {
  return (base: BaseContext): CustomerContext => ({ ...base, customers: createCustomerLoaders(repository) });
}
