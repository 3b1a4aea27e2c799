/**
 * Runs one service per process, as the Docker image and scaled-out deployments do:
 * `node dist/bin/service.js gateway|product|inventory|customer|order|magento-sim|crm-sim|erp-sim|pos-sim`.
 */
import type { SubgraphName, SystemName } from '../lib/config.js';
import { loadConfig } from '../lib/config.js';
import { createLogger } from '../lib/logger.js';
import { datasetFor, startSimulatorFor } from '../simulators/index.js';
import { startGatewayFrom, startSubgraph } from './services.js';

const SUBGRAPHS: SubgraphName[] = ['product', 'inventory', 'customer', 'order'];
const SIMULATORS: SystemName[] = ['magento', 'crm', 'erp', 'pos'];
const names = ['gateway', ...SUBGRAPHS, ...SIMULATORS.map((s) => `${s}-sim`)];

const name = process.argv[2] ?? '';
if (!names.includes(name)) {
  console.error(`usage: service <${names.join('|')}>`);
  process.exit(2);
}
const config = loadConfig();
const logger = createLogger(name, config.logLevel);
const server =
  name === 'gateway'
    ? await startGatewayFrom(config, logger)
    : SUBGRAPHS.includes(name as SubgraphName)
      ? await startSubgraph(name as SubgraphName, config, logger)
      : await startSimulatorFor(name.replace(/-sim$/, '') as SystemName, config, datasetFor(config), logger);
// Tests and orchestrators wait for this line (or /readyz) before sending traffic.
process.stdout.write(`${JSON.stringify({ ready: name, url: server.url })}\n`);

const stop = async () => {
  await server.close();
  process.exit(0);
};
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
