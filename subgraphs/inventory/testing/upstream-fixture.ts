import type { UpstreamConfig } from '../../../lib/config.js';
import { createLogger, type Logger } from '../../../lib/logger.js';
import type { RunningSimulator } from '../../../simulators/common/simulator-server.js';
import { generateDataset, type Dataset, type DatasetSizes, type ProductRecord } from '../../../simulators/data/dataset.js';
import { startErpSimulator } from '../../../simulators/erp/erp-simulator.js';
import { startPosSimulator } from '../../../simulators/pos/pos-simulator.js';

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
  /** Units of `product` the ERP and POS hold over every location, at the baseline. */
  totalStock(product: ProductRecord): number;
  close(): Promise<void>;
}

const TOKENS = { erp: 'erp-fixture-token', pos: 'pos-fixture-token' };
const NO_FAULTS = { latencyMs: 0, errorRate: 0, outage: false };

export async function startUpstreams(sizes: DatasetSizes, seed = 42): Promise<UpstreamFixture> {
  const dataset = generateDataset(seed, sizes);
  const logger = createLogger('inventory-test', 'silent');
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
    totalStock: (product) => [...dataset.warehouses, ...dataset.stores].reduce((sum, l) => sum + dataset.baselineQty(product, l), 0),
    close: async () => {
      await Promise.all([erp.close(), pos.close()]);
    },
  };
}

/** Calls a simulator's admin route with its token. */
export async function adminCall(sim: RunningSimulator, config: UpstreamConfig, method: string, path: string, body: unknown): Promise<unknown> {
  const res = await fetch(`${sim.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${config.token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${method} ${path} answered ${res.status}: ${await res.text()}`);
  return res.json();
}

/** POSTs one GraphQL operation to a subgraph. */
export async function postGraphQL<T = any>(url: string, query: string, variables?: Record<string, unknown>): Promise<{ data?: T; errors?: Array<{ message: string; extensions?: Record<string, any> }> }> {
  const res = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
    body: JSON.stringify({ query, variables }),
  });
  return (await res.json()) as { data?: T; errors?: Array<{ message: string; extensions?: Record<string, any> }> };
}
