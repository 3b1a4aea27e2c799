import type { Config, SubgraphName, SystemName } from '../lib/config.js';
import type { RunningServer } from '../lib/http/http-server.js';
import type { Logger } from '../lib/logger.js';
import type { RunningGateway } from '../gateway/gateway-server.js';
import { datasetFor, startSimulators, type RunningSimulator } from '../simulators/index.js';
import type { Dataset } from '../simulators/data/dataset.js';
import { startGatewayFrom, startSubgraph } from './services.js';

export interface RunningStack {
  gateway: RunningGateway;
  subgraphs: Record<SubgraphName, RunningServer>;
  simulators: Record<SystemName, RunningSimulator>;
  dataset: Dataset;
  /** The config as started, with the ports the OS gave filled in. */
  config: Config;
  close(): Promise<void>;
}

const SUBGRAPHS: SubgraphName[] = ['product', 'inventory', 'customer', 'order'];

/**
 * Simulators, then subgraphs, then the gateway, in one process. Port 0 works
 * anywhere: each service's URL is taken from the server once it listens.
 */
export async function startStack(base: Config, logger: Logger): Promise<RunningStack> {
  const dataset = datasetFor(base);
  const simulators = await startSimulators(base, logger, dataset);
  const config: Config = structuredClone(base);
  for (const [system, sim] of Object.entries(simulators) as Array<[SystemName, RunningSimulator]>) {
    config.upstreams[system].url = sim.url;
  }
  const started: RunningServer[] = [];
  try {
    const subgraphList = await Promise.all(SUBGRAPHS.map((name) => startSubgraph(name, config, logger)));
    started.push(...subgraphList);
    const subgraphs = Object.fromEntries(SUBGRAPHS.map((name, i) => [name, subgraphList[i]])) as Record<SubgraphName, RunningServer>;
    for (const name of SUBGRAPHS) config.gateway.subgraphs[name] = `${subgraphs[name].url}/graphql`;
    const gateway = await startGatewayFrom(config, logger);
    config.gateway.port = gateway.port;
    return {
      gateway,
      subgraphs,
      simulators,
      dataset,
      config,
      close: async () => {
        await gateway.close();
        await Promise.all(subgraphList.map((s) => s.close()));
        await Promise.all(Object.values(simulators).map((s) => s.close()));
      },
    };
  } catch (err) {
    await Promise.allSettled([...started, ...Object.values(simulators)].map((s) => s.close()));
    throw err;
  }
}
