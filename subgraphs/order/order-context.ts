import type { BaseContext } from '../../lib/graphql/graphql-http-handler.js';
import { createOrderLoaders, type OrderConnectors, type OrderLoaders } from './order-loaders.js';

/** What the order resolvers see: the request plus this request's own loaders. */
export interface OrderContext extends BaseContext {
  loaders: OrderLoaders;
}

/** The schema knows no config: connectors arrive here, once per request, from whoever serves it. */
export function createOrderContext(base: BaseContext, connectors: OrderConnectors): OrderContext {
  return { ...base, loaders: createOrderLoaders(connectors) };
}
