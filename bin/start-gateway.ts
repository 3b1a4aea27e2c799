import { startGateway, gatewayOptionsFrom } from '../gateway/gateway-server.js';
import type { Config } from '../lib/config.js';
import type { StockEventBus } from '../lib/events/stock-event-bus.js';
import type { Logger } from '../lib/logger.js';
import { supergraphPath } from '../lib/project-root.js';

/**
 * Starts the gateway with its settings from the config; `bus` carries the stock events its subscriptions follow
 * (`alone`: in a process of its own, where only a Redis bus reaches it).
 * A module of its own, importing nothing from `subgraphs/` or `simulators/`, so a gateway process
 * (`service.js gateway`) loads gateway code only: the subgraphs' packages (type-graphql, the S3 SDK,
 * pg, PGlite) would add tens of MiB of resident memory to every gateway replica (issue #7).
 */
export async function startGatewayFrom(config: Config, logger: Logger, bus: StockEventBus, placement: { alone?: boolean } = {}) {
  return startGateway(await gatewayOptionsFrom(config, bus, logger.child({ service: 'gateway' }), supergraphPath(), placement));
}
