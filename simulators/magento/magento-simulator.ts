import { startSimulator, type RunningSimulator, type SystemSimulatorOptions } from '../common/simulator-server.js';
import { CatalogStock } from './catalog-stock.js';
import { categoryRoutes } from './category-routes.js';
import { customerRoutes } from './customer-routes.js';
import { magentoError, MESSAGES } from './magento-errors.js';
import { orderRoutes } from './order-routes.js';
import { productRoutes } from './product-routes.js';
import { sourceItemRoutes } from './source-item-routes.js';
import { storeConfigRoute } from './store-config-route.js';

export interface MagentoSimulatorOptions extends SystemSimulatorOptions {
  /** Base URL the store config announces (image URLs start with it); default: the Host the caller used. */
  publicUrl?: string;
}

/**
 * Magento 2's REST API (`/rest/V1`) over the generated catalog, customers and
 * online orders: searchCriteria searches, single records, the category tree,
 * store config and MSI source items, with Magento's error shapes and quirks.
 */
export async function startMagentoSimulator(options: MagentoSimulatorOptions): Promise<RunningSimulator> {
  const { dataset } = options;
  const stock = new CatalogStock(dataset);
  // The server's own URL is known only once it listens; the store config falls back to it.
  let ownUrl = '';
  const simulator = await startSimulator({
    name: 'magento',
    port: options.port,
    host: options.host,
    token: options.token,
    faults: options.faults,
    logger: options.logger,
    unauthorized: magentoError(401, MESSAGES.unauthorized, { resources: 'Magento_Catalog::products, Magento_Sales::sales, Magento_Customer::customer' }),
    badRequest: (message) => magentoError(400, message),
    notFound: () => magentoError(404, MESSAGES.noRoute),
    routes: [
      ...productRoutes(dataset, stock),
      ...categoryRoutes(dataset),
      storeConfigRoute(dataset, () => ownUrl, options.publicUrl),
      ...orderRoutes(dataset),
      ...customerRoutes(dataset),
      ...sourceItemRoutes(dataset, stock),
    ],
  });
  ownUrl = simulator.url;
  return simulator;
}
