import type { GraphQLSchema } from 'graphql';
import { buildFederatedSchema } from '../../lib/graphql/build-subgraph-schema.js';
import { LocationResolver } from './resolvers/location-resolver.js';
import { ProductStockResolver } from './resolvers/product-stock-resolver.js';
import { inventoryReferenceResolvers } from './resolvers/reference-resolvers.js';
import { StockLevelResolver } from './resolvers/stock-level-resolver.js';

let built: Promise<GraphQLSchema> | undefined;

/**
 * The inventory subgraph's schema. It reads no settings: the ledger comes in
 * through each request's context (inventory-context.ts), so `npm run compose`
 * can print it without a database.
 *
 * Built once per process and shared: the schema holds no state, so there is
 * nothing to gain from building it per server (and type-graphql before
 * 2.0.0-rc.4 corrupted resolver parameters on a rebuild, MichalLytek/type-graphql#1802).
 * A failed build is not kept, so the next call tries again.
 */
export function createInventorySchema(): Promise<GraphQLSchema> {
  built ??= buildFederatedSchema({ resolvers: [LocationResolver, StockLevelResolver, ProductStockResolver] }, inventoryReferenceResolvers).catch(
    (err: unknown) => {
      built = undefined;
      throw err;
    },
  );
  return built;
}
