import { startSimulator, type RunningSimulator, type SystemSimulatorOptions } from '../common/simulator-server.js';
import { Random, hash32 } from '../data/random.js';
import { posAdminRoutes } from './pos-admin-routes.js';
import { posApiRoutes } from './pos-api-routes.js';
import { posError } from './pos-errors.js';
import { PosOrderBook } from './pos-order-book.js';
import { PosStockBook } from './pos-stock-book.js';
import { PosTill, type TillOperation } from './pos-till.js';
import { RandomEventSource } from './random-event-source.js';
import { WebhookSender } from './webhook-sender.js';

/** The `x-pos-source` of this POS, and the prefix of its event ids. */
export const POS_SOURCE = 'pos-main';

export interface PosSimulatorOptions extends SystemSimulatorOptions {
  webhook: { url?: string; secret: string; eventRate: number };
}

/**
 * The POS back office: stores, store stock, in-store orders and loyalty
 * customers, and signed webhooks for every sale, return and adjustment.
 * Closing stops the event timer and any delivery under way.
 */
export async function startPosSimulator(options: PosSimulatorOptions): Promise<RunningSimulator> {
  const { dataset, logger } = options;
  const stock = new PosStockBook(dataset);
  const orders = new PosOrderBook(dataset);
  const till = new PosTill(POS_SOURCE, stock, orders);
  const secret = { value: options.webhook.secret };
  const sender = new WebhookSender({ source: POS_SOURCE, target: { url: options.webhook.url, secret: secret.value }, logger: logger.child({ component: 'webhook' }) });
  const emit = (operations: TillOperation[]) => {
    // Not awaited: the timer keeps its pace; the sender tracks the delivery so close() can end it.
    void sender.deliver(operations.map((op) => till.record(op)));
  };
  const events = new RandomEventSource(dataset, new Random(hash32(dataset.seed, 0x9e57)), emit);

  const simulator = await startSimulator({
    name: 'pos',
    port: options.port,
    host: options.host,
    token: options.token,
    faults: options.faults,
    logger,
    unauthorized: posError('unauthorized', 'Missing or invalid API token.'),
    badRequest: (message) => posError('bad_request', message),
    notFound: (path) => posError('not_found', `No resource at ${path}.`),
    routes: [...posApiRoutes(dataset, stock, orders), ...posAdminRoutes({ dataset, till, sender, events, secret })],
    onClose: async () => {
      events.stop();
      await sender.close();
    },
  });
  // Started only once the server listens, so a failed start leaves no timer behind.
  if (options.webhook.eventRate > 0) events.setRate(options.webhook.eventRate);
  return simulator;
}
