/** `npm start`: the whole stack in one process, with no Redis or PostgreSQL to install. */
import { loadConfig } from '../lib/config.js';
import { createLogger } from '../lib/logger.js';
import { startStack } from './start-stack.js';

const started = performance.now();
const config = loadConfig();
const logger = createLogger('commerce-graph', config.logLevel);
const stack = await startStack(config, logger);
const seconds = ((performance.now() - started) / 1000).toFixed(1);

const lines = [
  '',
  `commerce-graph is up in ${seconds} s`,
  `  GraphQL + GraphiQL  ${stack.gateway.graphqlUrl}`,
  ...Object.entries(stack.subgraphs).map(([name, s]) => `  ${`${name} subgraph`.padEnd(19)} ${s.url}/graphql`),
  ...Object.entries(stack.simulators).map(([name, s]) => `  ${`${name} simulator`.padEnd(19)} ${s.url}`),
  `  data                ${config.databaseUrl ? 'PostgreSQL' : 'embedded PGlite'}, ${config.redisUrl ? 'Redis' : 'in-process bus and cache'}`,
  '',
];
process.stdout.write(lines.join('\n') + '\n');

let stopping = false;
const stop = async (signal: string) => {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, 'stopping');
  try {
    await stack.close();
    process.exit(0);
  } catch (err) {
    logger.error({ err }, 'close failed');
    process.exit(1);
  }
};
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));
