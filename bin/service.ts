/**
 * Runs one service per process, as the Docker image and scaled-out deployments do:
 * `node dist/bin/service.js gateway|product|inventory|customer|order|magento-sim|crm-sim|erp-sim|pos-sim`.
 */
import { SUBGRAPH_NAMES, SYSTEM_NAMES, loadConfig, type SubgraphName, type SystemName } from '../lib/config.js';
import { openStockEventBus } from '../lib/events/open-stock-event-bus.js';
import { createLogger } from '../lib/logger.js';
import { tracingFrom } from '../lib/observability/tracing.js';
import type { RunningServer } from '../lib/http/http-server.js';
import { stopOnSignals } from './stop-on-signals.js';

const names = ['gateway', ...SUBGRAPH_NAMES, ...SYSTEM_NAMES.map((s) => `${s}-sim`)];

const name = process.argv[2] ?? '';
if (!names.includes(name)) {
  console.error(`usage: service <${names.join('|')}>`);
  process.exit(2);
}
const config = loadConfig();
// Before anything that makes spans starts: the service's name goes on every one.
const tracing = await tracingFrom(config.observability, `commerce-graph-${name}`);
const logger = createLogger(name, config.logLevel);
// Across processes only Redis carries stock events: without REDIS_URL this process's bus reaches no other.
const bus = openStockEventBus(config.events, logger.child({ component: 'event-bus' }));
// Only the code of the role this process runs is loaded: a gateway replica would otherwise carry every
// subgraph's and simulator's packages (type-graphql, the S3 SDK, pg, PGlite), tens of MiB it never uses.
async function start(): Promise<RunningServer> {
  if (name === 'gateway') return (await import('./start-gateway.js')).startGatewayFrom(config, logger, bus, { alone: true });
  if ((SUBGRAPH_NAMES as readonly string[]).includes(name)) return (await import('./start-subgraph.js')).startSubgraph(name as SubgraphName, config, logger, bus);
  const { datasetFor, startSimulatorFor } = await import('../simulators/index.js');
  return startSimulatorFor(name.replace(/-sim$/, '') as SystemName, config, datasetFor(config), logger);
}
const server = await start();
// Tests and orchestrators wait for this line (or /readyz) before sending traffic.
process.stdout.write(`${JSON.stringify({ ready: name, url: server.url })}\n`);

stopOnSignals(
  {
    beginShutdown: () => server.beginShutdown(),
    // The server drains first (and closes what it owns: WebSockets, the outbox relay, its database), then the bus it used.
    close: async () => {
      try {
        await server.close();
      } finally {
        await bus.close();
        // Last: the spans of the shutdown itself are flushed too.
        await tracing.close();
      }
    },
    destroyConnections: () => server.destroyConnections(),
  },
  logger,
  config.shutdown,
);
