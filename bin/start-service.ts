import { join } from 'node:path';
import { startGateway, gatewayOptionsFrom } from '../gateway/gateway-server.js';
import type { Config, SubgraphName } from '../lib/config.js';
import type { StockEventBus } from '../lib/events/stock-event-bus.js';
import type { RunningServer } from '../lib/http/http-server.js';
import type { Logger } from '../lib/logger.js';
import { supergraphPath } from '../lib/project-root.js';
import { startCustomerSubgraph } from '../subgraphs/customer/index.js';
import { startInventorySubgraph } from '../subgraphs/inventory/index.js';
import { startOrderSubgraph } from '../subgraphs/order/index.js';
import { startProductSubgraph } from '../subgraphs/product/index.js';

/** Each subgraph's own database settings: one PostgreSQL serves both, PGlite gets a folder each. */
function databaseFor(config: Config, name: SubgraphName) {
  return { url: config.databaseUrl, schema: config.databaseSchema, pgliteDataDir: config.pgliteDataDir ? join(config.pgliteDataDir, name) : undefined };
}

/** Starts one subgraph with its settings from the config; `bus` carries the inventory ledger's stock events. */
export function startSubgraph(name: SubgraphName, config: Config, logger: Logger, bus: StockEventBus): Promise<RunningServer> {
  const common = { port: config.ports[name], host: config.host, logger: logger.child({ service: name }) };
  const { magento, crm, erp, pos } = config.upstreams;
  switch (name) {
    case 'product':
      return startProductSubgraph({ ...common, magento, cache: config.productCache });
    case 'inventory':
      return startInventorySubgraph({
        ...common,
        database: databaseFor(config, name),
        erp,
        pos,
        bus,
        webhook: { secrets: config.inventory.webhookSecrets, toleranceSeconds: config.inventory.webhookToleranceSeconds },
        outboxPollMs: config.inventory.outboxPollMs,
        streamRetention: config.events.retention,
      });
    case 'customer':
      return startCustomerSubgraph({ ...common, database: databaseFor(config, name), crm, magento, pos });
    case 'order':
      return startOrderSubgraph({ ...common, magento, pos });
  }
}

export function startGatewayFrom(config: Config, logger: Logger, bus: StockEventBus) {
  return startGateway(gatewayOptionsFrom(config, bus, logger.child({ service: 'gateway' }), supergraphPath()));
}
