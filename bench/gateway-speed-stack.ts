/**
 * The gateway benchmark's stack, in a process of its own: the four simulators
 * and the four subgraphs (startStack without its gateway), warm, with the
 * product cache in process and no ERP sync scheduled, and a replay in front of
 * each subgraph (subgraph-replay.ts) for runs that measure the gateways alone.
 * Prints both sets of URLs, its stats URL and the busy customer's id once every
 * subgraph answers `/readyz`. `GET /stats` on the stats URL: subgraph GraphQL
 * requests answered so far, and each replay's hits, misses and refusals.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { SUBGRAPH_NAMES, SYSTEM_NAMES, loadConfig, type SubgraphName } from '../lib/config.js';
import { openStockEventBus } from '../lib/events/open-stock-event-bus.js';
import { listen, sendJson } from '../lib/http/http-server.js';
import { startAll } from '../lib/http/start-all.js';
import { createLogger } from '../lib/logger.js';
import { metrics } from '../lib/observability/metrics.js';
import { datasetFor, startSimulators } from '../simulators/index.js';
import { busyCustomerId } from '../test/support/busy-customer.js';
import { startSubgraph } from '../bin/start-subgraph.js';
import { POS_WEBHOOK_PATH } from '../subgraphs/inventory/index.js';
import { stopOnSignals } from '../bin/stop-on-signals.js';
import type { StackParams, StackStats } from './gateway-speed-protocol.js';
import { PAGE_SIZE } from './gateway-speed-queries.js';
import { startSubgraphReplay } from './subgraph-replay.js';

const params = JSON.parse(process.argv[2] ?? '{}') as StackParams;
const config = loadConfig({
  NODE_ENV: 'production',
  LOG_LEVEL: 'warn',
  GATEWAY_SIGNING_SECRET: params.signingSecret,
  POS_WEBHOOK_SECRET: params.posWebhookSecret,
  POS_WEBHOOK_SECRETS: `pos-main=${params.posWebhookSecret}`,
  ...Object.fromEntries(['PRODUCT_PORT', 'INVENTORY_PORT', 'CUSTOMER_PORT', 'ORDER_PORT', 'MAGENTO_SIM_PORT', 'CRM_SIM_PORT', 'ERP_SIM_PORT', 'POS_SIM_PORT'].map((k) => [k, '0'])),
  ...(params.databaseUrl ? { DATABASE_URL: params.databaseUrl, DATABASE_SCHEMA: params.schema } : {}),
  SIM_SKUS: String(params.skus),
  SIM_CUSTOMERS: String(params.customers),
  // Nothing scheduled mid-run: a sync would load the stack (and PostgreSQL) in the middle of a row.
  ERP_SYNC_CRON: 'off',
  ERP_SYNC_INCREMENTAL_CRON: 'off',
  ERP_SYNC_ARCHIVE_DIR: params.archiveDirectory,
  ...(params.redis ? { REDIS_URL: params.redis.url, STOCK_STREAM_KEY: params.redis.streamKey } : {}),
});
const logger = createLogger('bench-stack', config.logLevel);
const dataset = datasetFor(config);
const simulators = await startSimulators(config, logger, dataset);
for (const system of SYSTEM_NAMES) config.upstreams[system].url = simulators[system].url;
// With --redis, the stream our gateway follows (stock events injected during a run reach it); otherwise in process.
const bus = openStockEventBus(config.events, logger.child({ component: 'event-bus' }));
const subgraphList = await startAll(SUBGRAPH_NAMES, (name) => startSubgraph(name, config, logger, bus));
const subgraphUrls = Object.fromEntries(SUBGRAPH_NAMES.map((name, i) => [name, `${subgraphList[i]!.url}/graphql`])) as Record<SubgraphName, string>;

// The customer subgraph ingests its golden records after it listens: ready only once they are in.
const deadline = Date.now() + 120_000;
for (const server of subgraphList) {
  while ((await fetch(`${server.url}/readyz`).catch(() => undefined))?.status !== 200) {
    if (Date.now() > deadline) throw new Error(`${server.url} was not ready within 120 s`);
    await sleep(200);
  }
}
const replayList = await startAll(SUBGRAPH_NAMES, (name) => startSubgraphReplay(subgraphUrls[name], config.gatewaySigningSecret));
const replayUrls = Object.fromEntries(SUBGRAPH_NAMES.map((name, i) => [name, replayList[i]!.graphqlUrl])) as Record<SubgraphName, string>;
const statsServer = await listen(async (_req, res) => {
  // Every subgraph of this process counts into one registry, labelled by service.
  const counted = await metrics.graphqlRequests.get();
  const subgraphRequests = counted.values.filter((v) => (SUBGRAPH_NAMES as readonly string[]).includes(String(v.labels.service))).reduce((sum, v) => sum + v.value, 0);
  const stats: StackStats = { subgraphRequests, replays: Object.fromEntries(SUBGRAPH_NAMES.map((name, i) => [name, { ...replayList[i]!.stats }])) as StackStats['replays'] };
  sendJson(res, 200, stats);
}, 0);
const inventory = subgraphList[SUBGRAPH_NAMES.indexOf('inventory')]!;
// Where `--stock-events` posts its changes: the POS webhook, the stores, and the storefront page's SKUs (the catalog's first).
const stockEvents = { webhookUrl: `${inventory.url}${POS_WEBHOOK_PATH}`, stores: dataset.stores.map((s) => s.id), skus: dataset.products.slice(0, PAGE_SIZE).map((p) => p.sku) };
process.stdout.write(`${JSON.stringify({ ready: 'stack', url: statsServer.url, subgraphUrls, replayUrls, customerId: busyCustomerId(dataset), stockEvents })}\n`);

stopOnSignals(
  {
    // Replays first, then the subgraphs behind them, then the simulators they call, then the bus.
    close: async () => {
      const steps = [
        ...(await Promise.allSettled([statsServer, ...replayList].map((s) => s.close()))),
        ...(await Promise.allSettled(subgraphList.map((s) => s.close()))),
        ...(await Promise.allSettled(Object.values(simulators).map((s) => s.close()))),
        ...(await Promise.allSettled([bus.close()])),
      ];
      const failures = steps.flatMap((step) => (step.status === 'rejected' ? [step.reason as unknown] : []));
      if (failures.length > 0) throw new AggregateError(failures, 'The benchmark stack did not close cleanly');
    },
    destroyConnections: () => {
      for (const server of [statsServer, ...replayList, ...subgraphList, ...Object.values(simulators)]) server.destroyConnections();
    },
  },
  logger,
  config.shutdown,
);
