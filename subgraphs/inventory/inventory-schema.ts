import type { GraphQLSchema } from 'graphql';
import { buildFederatedSchema } from '../../lib/graphql/build-subgraph-schema.js';
import { LocationResolver } from './resolvers/location-resolver.js';
import { ProductStockResolver } from './resolvers/product-stock-resolver.js';
import { inventoryReferenceResolvers } from './resolvers/reference-resolvers.js';
import { StockLevelResolver } from './resolvers/stock-level-resolver.js';

/**
 * The inventory subgraph's schema. It reads no settings: the ledger comes in
 * through each request's context (inventory-context.ts), so `npm run compose`
 * can print it without a database.
 */
export function createInventorySchema(): Promise<GraphQLSchema> {
  return buildFederatedSchema({ resolvers: [LocationResolver, StockLevelResolver, ProductStockResolver] }, inventoryReferenceResolvers);
}
