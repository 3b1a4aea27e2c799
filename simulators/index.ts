import { SYSTEM_NAMES, type Config, type SystemName } from '../lib/config.js';
import { startAll } from '../lib/http/start-all.js';
import type { Logger } from '../lib/logger.js';
import type { RunningSimulator } from './common/simulator-server.js';
import { startCrmSimulator } from './crm/crm-simulator.js';
import { generateDataset, type Dataset } from './data/dataset.js';
import { startErpSimulator } from './erp/erp-simulator.js';
import { startMagentoSimulator } from './magento/magento-simulator.js';
import { startPosSimulator } from './pos/pos-simulator.js';

export type { RunningSimulator };

/** Starts one system's simulator with its settings from the config. */
export function startSimulatorFor(system: SystemName, config: Config, dataset: Dataset, logger: Logger): Promise<RunningSimulator> {
  const common = {
    dataset,
    port: config.simulators.ports[system],
    host: config.host,
    token: config.upstreams[system].token,
    faults: config.simulators.faults[system],
    logger: logger.child({ service: `${system}-simulator` }),
  };
  switch (system) {
    case 'magento':
      return startMagentoSimulator(common);
    case 'crm':
      return startCrmSimulator(common);
    case 'erp':
      return startErpSimulator(common);
    case 'pos':
      return startPosSimulator({ ...common, webhook: { url: config.simulators.pos.webhookUrl, secret: config.simulators.pos.webhookSecret, eventRate: config.simulators.pos.eventRate } });
  }
}

export const datasetFor = (config: Config): Dataset => generateDataset(config.simulators.seed, config.simulators.sizes);

/** All four simulators over one generated dataset, started together; if one fails, the others are closed. */
export async function startSimulators(config: Config, logger: Logger, dataset: Dataset = datasetFor(config)): Promise<Record<SystemName, RunningSimulator>> {
  const started = await startAll(SYSTEM_NAMES, (s) => startSimulatorFor(s, config, dataset, logger));
  return Object.fromEntries(SYSTEM_NAMES.map((s, i) => [s, started[i]])) as Record<SystemName, RunningSimulator>;
}
