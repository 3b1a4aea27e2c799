import type { UpstreamConfig } from '../../lib/config.js';
import type { Logger } from '../../lib/logger.js';
import type { RunningSimulator } from '../../simulators/common/simulator-server.js';
import { generateDataset, type Dataset, type DatasetSizes } from '../../simulators/data/dataset.js';
import { startErpSimulator } from '../../simulators/erp/erp-simulator.js';
import { startPosSimulator } from '../../simulators/pos/pos-simulator.js';
import { testLogger } from './logger.js';

/** The ERP and POS simulators on port 0 over one dataset, for the inventory subgraph's tests. */
export interface UpstreamFixture {
  dataset: Dataset;
  erp: RunningSimulator;
  pos: RunningSimulator;
  erpConfig: UpstreamConfig;
  posConfig: UpstreamConfig;
  logger: Logger;
  /** Business requests each simulator has served since it started. */
  calls(): { erp: number; pos: number };
  close(): Promise<void>;
}

const TOKENS = { erp: 'erp-fixture-token', pos: 'pos-fixture-token' };
const NO_FAULTS = { latencyMs: 0, errorRate: 0, outage: false };

export async function startUpstreams(sizes: DatasetSizes, seed = 42): Promise<UpstreamFixture> {
  const dataset = generateDataset(seed, sizes);
  const logger = testLogger('inventory-test');
  const erp = await startErpSimulator({ dataset, port: 0, token: TOKENS.erp, faults: { ...NO_FAULTS }, logger });
  const pos = await startPosSimulator({ dataset, port: 0, token: TOKENS.pos, faults: { ...NO_FAULTS }, logger, webhook: { secret: 'pos-fixture-webhook-secret', eventRate: 0 } });
  const config = (sim: RunningSimulator, token: string): UpstreamConfig => ({ url: sim.url, token, timeoutMs: 30_000, retries: 0 });
  return {
    dataset,
    erp,
    pos,
    erpConfig: config(erp, TOKENS.erp),
    posConfig: config(pos, TOKENS.pos),
    logger,
    calls: () => ({ erp: erp.stats.requests, pos: pos.stats.requests }),
    close: async () => {
      await Promise.all([erp.close(), pos.close()]);
    },
  };
}
