import { SUBGRAPH_NAMES, type Config, type SubgraphName, type SystemName } from '../lib/config.js';
import { startAll } from '../lib/http/start-all.js';
import type { RunningServer } from '../lib/http/http-server.js';
import type { Logger } from '../lib/logger.js';
import type { RunningGateway } from '../gateway/gateway-server.js';
import { datasetFor, startSimulators, type RunningSimulator } from '../simulators/index.js';
import type { Dataset } from '../simulators/data/dataset.js';
import { startGatewayFrom, startSubgraph } from './start-service.js';

export interface RunningStack {
  gateway: RunningGateway;
  subgraphs: Record<SubgraphName, RunningServer>;
  simulators: Record<SystemName, RunningSimulator>;
  dataset: Dataset;
  /** The config as started, with the ports the OS gave filled in. */
  config: Config;
  close(): Promise<void>;
}

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
  const closeSimulators = () => Promise.allSettled(Object.values(simulators).map((s) => s.close()));
  let subgraphList: RunningServer[];
  try {
    subgraphList = await startAll(SUBGRAPH_NAMES, (name) => startSubgraph(name, config, logger));
  } catch (err) {
    await closeSimulators();
    throw err;
  }
  const subgraphs = Object.fromEntries(SUBGRAPH_NAMES.map((name, i) => [name, subgraphList[i]])) as Record<SubgraphName, RunningServer>;
  for (const name of SUBGRAPH_NAMES) config.gateway.subgraphs[name] = `${subgraphs[name].url}/graphql`;
  const closeSubgraphs = () => Promise.allSettled(subgraphList.map((s) => s.close()));
  let gateway: RunningGateway;
  try {
    gateway = await startGatewayFrom(config, logger);
  } catch (err) {
    await closeSubgraphs();
    await closeSimulators();
    throw err;
  }
  config.gateway.port = gateway.port;
  return {
    gateway,
    subgraphs,
    simulators,
    dataset,
    config,
    // Outside in: no request reaches a subgraph that has gone, none a simulator.
    close: async () => {
      await Promise.allSettled([gateway.close()]);
      await closeSubgraphs();
      await closeSimulators();
    },
  };
}
