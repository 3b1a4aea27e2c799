import type { GraphQLSchema } from 'graphql';
import type { UpstreamConfig } from '../../lib/config.js';
import { buildFederatedSchema } from '../../lib/graphql/build-subgraph-schema.js';
import { serveSubgraph } from '../../lib/graphql/serve-subgraph.js';
import type { RunningServer } from '../../lib/http/http-server.js';
import { createUpstreamClient } from '../../lib/http/upstream-client.js';
import type { Logger } from '../../lib/logger.js';
import { createMagentoOrdersConnector } from './connectors/magento-orders-connector.js';
import { createPosOrdersConnector } from './connectors/pos-orders-connector.js';
import { resolveCustomerReference } from './customer.reference.js';
import { Customer } from './customer.js';
import { CustomerOrdersResolver } from './customer-orders.resolver.js';
import { createOrderContext } from './order-context.js';
import type { OrderConnectors } from './order-loaders.js';
import { resolveOrderReference } from './order.reference.js';
import { OrderResolver } from './order.resolver.js';

export { createOrderContext, type OrderContext } from './order-context.js';
export type { OrderConnectors } from './order-loaders.js';

/**
 * The order subgraph's schema. It knows no URLs or tokens: resolvers reach
 * Magento and the POS through the connectors in the per-request context, so
 * composition (`npm run compose`) builds it without any configuration.
 */
export async function createOrderSchema(): Promise<GraphQLSchema> {
  return buildFederatedSchema(
    // Customer is reached only through `_entities`, never from Query: it must be named.
    { resolvers: [OrderResolver, CustomerOrdersResolver], orphanedTypes: [Customer] },
    {
      Order: { __resolveReference: resolveOrderReference },
      Customer: { __resolveReference: resolveCustomerReference },
    },
  );
}

export interface OrderSubgraphOptions {
  port: number;
  host?: string;
  magento: UpstreamConfig;
  pos: UpstreamConfig;
  logger: Logger;
  /** `GATEWAY_SIGNING_SECRET`: `/graphql` answers only requests the gateway signed with it. */
  gatewaySigningSecret: string;
}

/** Serves the order subgraph on `/graphql`; `close()` also ends the keep-alive sockets to Magento and the POS. */
export async function startOrderSubgraph(options: OrderSubgraphOptions): Promise<RunningServer> {
  const magento = createUpstreamClient('magento', options.magento);
  const pos = createUpstreamClient('pos', options.pos);
  const connectors: OrderConnectors = { magento: createMagentoOrdersConnector(magento), pos: createPosOrdersConnector(pos) };
  return serveSubgraph({
    name: 'order',
    schema: await createOrderSchema(),
    context: (base) => createOrderContext(base, connectors),
    logger: options.logger,
    port: options.port,
    host: options.host,
    gatewaySigningSecret: options.gatewaySigningSecret,
    upstreams: { magento, pos },
    onClose: () => {
      magento.close();
      pos.close();
    },
  });
}
