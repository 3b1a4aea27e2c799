import { SUBGRAPH_NAMES, type Config, type SubgraphName, type SystemName } from '../lib/config.js';
import { startAll } from '../lib/http/start-all.js';
import type { RunningServer } from '../lib/http/http-server.js';
import type { Logger } from '../lib/logger.js';
import type { RunningGateway } from '../gateway/gateway-server.js';
import { datasetFor, startSimulators, type RunningSimulator } from '../simulators/index.js';
import type { Dataset } from '../simulators/data/dataset.js';
import { startGatewayFrom } from './start-gateway.js';
import { startSubgraph } from './start-subgraph.js';
import { openStockEventBus } from '../lib/events/open-stock-event-bus.js';
import type { StockEventBus } from '../lib/events/stock-event-bus.js';
import { POS_WEBHOOK_PATH } from '../subgraphs/inventory/index.js';

/** Points the POS simulator's webhooks at `config.simulators.pos.webhookUrl` through its admin API. */
async function pointPosWebhook(pos: RunningSimulator, config: Config): Promise<void> {
  const res = await fetch(`${pos.url}/admin/webhook`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${config.upstreams.pos.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ url: config.simulators.pos.webhookUrl, secret: config.simulators.pos.webhookSecret }),
    signal: AbortSignal.timeout(5_000),
  });
  if (!res.ok) throw new Error(`The POS simulator refused its webhook target: ${res.status} ${await res.text()}`);
}

/** Everything behind the gateway: the systems it fronts (simulated) and the subgraphs over them. */
export interface RunningBackends {
  subgraphs: Record<SubgraphName, RunningServer>;
  simulators: Record<SystemName, RunningSimulator>;
  dataset: Dataset;
  /** The stock event bus the inventory subgraph publishes to and a gateway follows. */
  bus: StockEventBus;
  /** The config as started, with the ports the OS gave filled in (the gateway's own still as given). */
  config: Config;
  close(): Promise<void>;
}

export interface RunningStack extends RunningBackends {
  gateway: RunningGateway;
}

/**
 * Simulators, then subgraphs, in one process: what a gateway runs in front
 * of. A benchmark whose gateway is a process of its own starts only these.
 * Port 0 works anywhere: each service's URL is taken from the server once it
 * listens.
 */
export async function startBackends(base: Config, logger: Logger): Promise<RunningBackends> {
  const dataset = datasetFor(base);
  const simulators = await startSimulators(base, logger, dataset);
  const config: Config = structuredClone(base);
  for (const [system, sim] of Object.entries(simulators) as Array<[SystemName, RunningSimulator]>) {
    config.upstreams[system].url = sim.url;
  }
  const bus = openStockEventBus(config.events, logger.child({ component: 'event-bus' }));
  const closeSimulatorsAndBus = async () => [...(await Promise.allSettled(Object.values(simulators).map((s) => s.close()))), ...(await Promise.allSettled([bus.close()]))];
  let subgraphList: RunningServer[];
  try {
    subgraphList = await startAll(SUBGRAPH_NAMES, (name) => startSubgraph(name, config, logger, bus));
  } catch (err) {
    await closeSimulatorsAndBus();
    throw err;
  }
  const subgraphs = Object.fromEntries(SUBGRAPH_NAMES.map((name, i) => [name, subgraphList[i]])) as Record<SubgraphName, RunningServer>;
  for (const name of SUBGRAPH_NAMES) config.gateway.subgraphs[name] = `${subgraphs[name].url}/graphql`;
  const close = async () => {
    // Subgraphs before simulators: no request reaches a simulator that has gone. Every step runs; any failure is thrown at the end.
    const steps = [...(await Promise.allSettled(subgraphList.map((s) => s.close()))), ...(await closeSimulatorsAndBus())];
    const failures = steps.flatMap((step) => (step.status === 'rejected' ? [step.reason as unknown] : []));
    if (failures.length > 0) throw new AggregateError(failures, 'The stack did not close cleanly');
  };
  try {
    if (!config.simulators.pos.webhookUrl) {
      // The till's sales go to the inventory subgraph, whose port is known only now.
      config.simulators.pos.webhookUrl = `${subgraphs.inventory.url}${POS_WEBHOOK_PATH}`;
      await pointPosWebhook(simulators.pos, config);
    }
  } catch (err) {
    await close().catch(() => undefined);
    throw err;
  }
  return { subgraphs, simulators, dataset, bus, config, close };
}

/** The backends, then the gateway, in one process: `npm start`'s stack and the end-to-end tests'. */
export async function startStack(base: Config, logger: Logger): Promise<RunningStack> {
  const backends = await startBackends(base, logger);
  const { config } = backends;
  let gateway: RunningGateway;
  try {
    gateway = await startGatewayFrom(config, logger, backends.bus);
  } catch (err) {
    await backends.close().catch(() => undefined);
    throw err;
  }
  config.gateway.port = gateway.port;
  return {
    ...backends,
    gateway,
    // Outside in: no request reaches a subgraph that has gone. Every step runs; any failure is thrown at the end.
    close: async () => {
      const failures: unknown[] = [];
      await gateway.close().catch((err: unknown) => failures.push(err));
      await backends.close().catch((err: unknown) => failures.push(...(err instanceof AggregateError ? err.errors : [err])));
      if (failures.length > 0) throw new AggregateError(failures, 'The stack did not close cleanly');
    },
  };
}
