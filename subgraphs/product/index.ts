import type { GraphQLSchema } from 'graphql';
import type { UpstreamConfig } from '../../lib/config.js';
import { buildFederatedSchema } from '../../lib/graphql/build-subgraph-schema.js';
import { serveSubgraph } from '../../lib/graphql/serve-subgraph.js';
import type { RunningServer } from '../../lib/http/http-server.js';
import { createUpstreamClient } from '../../lib/http/upstream-client.js';
import type { Logger } from '../../lib/logger.js';
import { resolveCategoryReference } from './category.reference.js';
import { Category } from './category.js';
import { createMagentoCatalog } from './magento-connector.js';
import { createProductCache, type ProductCacheOptions } from './product-cache.js';
import { createProductContext } from './product-context.js';
import { resolveProductReference } from './product.reference.js';
import { ProductResolver } from './product.resolver.js';

export { createMagentoCatalog, type MagentoCatalog } from './magento-connector.js';
export { createProductContext, type ProductContext } from './product-context.js';

/**
 * The product subgraph's schema. It knows no URLs or tokens: resolvers reach
 * Magento through the catalog connector in the per-request context, so
 * composition (`npm run compose`) builds it without any configuration.
 */
export function createProductSchema(): Promise<GraphQLSchema> {
  return buildFederatedSchema(
    // Category is an entity other subgraphs may reference: named, so it is kept even if a resolver stops returning it.
    { resolvers: [ProductResolver], orphanedTypes: [Category] },
    {
      Product: { __resolveReference: resolveProductReference },
      Category: { __resolveReference: resolveCategoryReference },
    },
  );
}

export interface ProductSubgraphOptions {
  port: number;
  host?: string;
  magento: UpstreamConfig;
  /**
   * Products by SKU, search pages and the category list kept in front of
   * Magento (products and pages in Redis with `redisUrl`), served stale when
   * Magento fails; unset or `ttlMs` 0: every read asks Magento (the category
   * list is then kept by the connector for a few minutes).
   */
  cache?: ProductCacheOptions;
  logger: Logger;
  /** `GATEWAY_SIGNING_SECRET`: `/graphql` answers only requests the gateway signed with it. */
  gatewaySigningSecret: string;
}

/** Serves the product subgraph on `/graphql`; `close()` also ends the keep-alive sockets to Magento and the cache's Redis connection. */
export async function startProductSubgraph(options: ProductSubgraphOptions): Promise<RunningServer> {
  const magento = createUpstreamClient('magento', options.magento);
  const cached = options.cache !== undefined && options.cache.ttlMs > 0;
  // With the cache the category list is kept there (stale-while-revalidate, served while Magento fails): the connector reads it each time.
  const magentoCatalog = createMagentoCatalog(magento, cached ? { categoryTtlMs: 0 } : {});
  const cache = cached ? createProductCache(magentoCatalog, options.cache!, options.logger) : undefined;
  return serveSubgraph({
    name: 'product',
    schema: await createProductSchema(),
    context: (base) => createProductContext(base, cache ?? magentoCatalog),
    logger: options.logger,
    port: options.port,
    host: options.host,
    gatewaySigningSecret: options.gatewaySigningSecret,
    upstreams: { magento },
    onClose: async () => {
      magento.close();
      await cache?.close();
    },
  });
}
