import type { GraphQLSchema } from 'graphql';
import { buildFederatedSchema } from '../../lib/graphql/build-subgraph-schema.js';
import { CustomerResolver } from './customer.resolver.js';
import { Order } from './order.js';
import { OrderCustomerResolver } from './order-customer.resolver.js';
import { customerReferenceResolvers } from './reference-resolvers.js';

let built: Promise<GraphQLSchema> | undefined;

/**
 * The customer subgraph's schema. It holds no runtime settings (the
 * repository arrives in each request's context), so one build serves every
 * server in the process. Built once on purpose, too: type-graphql 2.0.0-rc.3
 * re-adds every resolver parameter to its global metadata on each build, and
 * resolvers of schemas built before then receive their arguments twice.
 */
export function createCustomerSchema(): Promise<GraphQLSchema> {
  // Order is reachable from no query here, only through `_entities`, so it is listed as orphaned.
  built ??= buildFederatedSchema({ resolvers: [CustomerResolver, OrderCustomerResolver], orphanedTypes: [Order] }, customerReferenceResolvers).catch(
    (err: unknown) => {
      built = undefined;
      throw err;
    },
  );
  return built;
}
