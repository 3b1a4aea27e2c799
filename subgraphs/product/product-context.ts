import type { BaseContext } from '../../lib/graphql/graphql-http-handler.js';
import type { MagentoCatalog } from './magento-connector.js';
import { createProductLoaders, type ProductLoaders } from './product-loaders.js';

/** What the product resolvers see: the request, the Magento catalog, and this request's own loaders. */
export interface ProductContext extends BaseContext {
  catalog: MagentoCatalog;
  loaders: ProductLoaders;
}

/** The schema knows no config: the catalog connector arrives here, once per request, from whoever serves it. */
export function createProductContext(base: BaseContext, catalog: MagentoCatalog): ProductContext {
  return { ...base, catalog, loaders: createProductLoaders(catalog) };
}
