/** `npm start`: the whole stack in one process, with no Redis or PostgreSQL to install. */
import { loadConfig } from '../lib/config.js';
import { createLogger } from '../lib/logger.js';
import { tracingFrom } from '../lib/observability/tracing.js';
import { startStack } from './start-stack.js';
import { stopOnSignals } from './stop-on-signals.js';

const started = performance.now();
const config = loadConfig();
// One process, one service name: spans tell the services apart by their `commerce_graph.service` attribute.
const tracing = await tracingFrom(config.observability, 'commerce-graph');
const logger = createLogger('commerce-graph', config.logLevel);
const stack = await startStack(config, logger);
const seconds = ((performance.now() - started) / 1000).toFixed(1);

const lines = [
  '',
  `commerce-graph is up in ${seconds} s`,
  `  GraphQL + GraphiQL  ${stack.gateway.graphqlUrl}`,
  `  subscriptions       ${stack.gateway.websocketUrl}  (graphql-ws)`,
  ...Object.entries(stack.subgraphs).map(([name, s]) => `  ${`${name} subgraph`.padEnd(19)} ${s.url}/graphql`),
  ...Object.entries(stack.simulators).map(([name, s]) => `  ${`${name} simulator`.padEnd(19)} ${s.url}`),
  `  data                ${config.databaseUrl ? 'PostgreSQL' : 'embedded PGlite'}, ${config.redisUrl ? 'Redis Streams event bus' : 'in-process event bus and cache'}`,
  '',
];
process.stdout.write(lines.join('\n') + '\n');

stopOnSignals(
  {
    // Only the gateway faces clients and a load balancer; the subgraphs and simulators keep serving it while it drains.
    beginShutdown: () => stack.gateway.beginShutdown(),
    close: async () => {
      try {
        await stack.close();
      } finally {
        await tracing.close();
      }
    },
    destroyConnections: () => {
      for (const server of [stack.gateway, ...Object.values(stack.subgraphs), ...Object.values(stack.simulators)]) server.destroyConnections();
    },
  },
  logger,
  config.shutdown,
);
