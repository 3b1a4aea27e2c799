import type { GraphQLSchema } from 'graphql';
import { buildFederatedSchema } from '../../lib/graphql/build-subgraph-schema.js';
import { CustomerResolver } from './customer.resolver.js';
import { Order } from './order.js';
import { OrderCustomerResolver } from './order-customer.resolver.js';
import { customerReferenceResolvers } from './reference-resolvers.js';

/**
 * The customer subgraph's schema. It holds no runtime settings: the
 * repository arrives in each request's context.
 */
export function createCustomerSchema(): Promise<GraphQLSchema> {
  // Order is reachable from no query here, only through `_entities`, so it is listed as orphaned.
  return buildFederatedSchema({ resolvers: [CustomerResolver, OrderCustomerResolver], orphanedTypes: [Order] }, customerReferenceResolvers);
}
