import { GraphQLError, type GraphQLSchema } from 'graphql';
import { ErrorCode } from '../../lib/errors.js';
import { buildFederatedSchema } from '../../lib/graphql/build-subgraph-schema.js';
import type { PubSub } from '../../lib/graphql/type-graphql.js';
import { AdjustStockResolver } from './resolvers/adjust-stock-resolver.js';
import { LocationResolver } from './resolvers/location-resolver.js';
import { ProductStockResolver } from './resolvers/product-stock-resolver.js';
import { inventoryReferenceResolvers } from './resolvers/reference-resolvers.js';
import { StockChangeResolver } from './resolvers/stock-change-resolver.js';
import { StockLevelResolver } from './resolvers/stock-level-resolver.js';
import { SyncJobResolver } from './resolvers/sync-job-resolver.js';

/**
 * type-graphql refuses to build a schema with a `@Subscription` unless it is
 * given a PubSub, even when every subscription brings its own `subscribe` (as
 * `stockChanged` does: the gateway serves it). This one is never used; if
 * anything ever calls it, it says so instead of silently delivering nothing.
 */
const NO_PUBSUB: PubSub = {
  publish() {
    throw new GraphQLError('The inventory subgraph publishes stock events through its outbox, not a PubSub.', { extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR } });
  },
  subscribe() {
    throw new GraphQLError('stockChanged is served by the gateway over graphql-ws.', { extensions: { code: ErrorCode.BAD_REQUEST } });
  },
};

/**
 * The inventory subgraph's schema. It reads no settings: the ledger comes in
 * through each request's context (inventory-context.ts), so `npm run compose`
 * can print it without a database.
 */
export function createInventorySchema(): Promise<GraphQLSchema> {
  return buildFederatedSchema(
    { resolvers: [LocationResolver, StockLevelResolver, ProductStockResolver, StockChangeResolver, AdjustStockResolver, SyncJobResolver], pubSub: NO_PUBSUB },
    inventoryReferenceResolvers,
  );
}
