import type { BaseContext } from '../../lib/graphql/graphql-http-handler.js';
import { cachedRequestCatalog } from './cached-request-catalog.js';
import type { MagentoCatalog } from './magento-connector.js';
import type { ProductCache } from './product-cache.js';
import { createProductLoaders, lookupIn, type ProductLoaders } from './product-loaders.js';
import { productStaleReporter } from './product-stale-notice.js';

/** The catalog as resolvers read it: searches and categories (products by SKU go through the loaders). */
export type RequestCatalog = Pick<MagentoCatalog, 'searchProducts' | 'categories'>;

/** What the product resolvers see: the request, the Magento catalog, and this request's own loaders. */
export interface ProductContext extends BaseContext {
  catalog: RequestCatalog;
  loaders: ProductLoaders;
}

const isProductCache = (source: MagentoCatalog | ProductCache): source is ProductCache => 'lookupProducts' in source;

/**
 * The schema knows no config: the catalog arrives here, once per request,
 * from whoever serves it: Magento's connector, or the product cache in front
 * of it, whose stale answers are then reported in this request's `extensions.stale`.
 */
export function createProductContext(base: BaseContext, source: MagentoCatalog | ProductCache): ProductContext {
  if (!isProductCache(source)) return { ...base, catalog: source, loaders: createProductLoaders(lookupIn(source)) };
  const context: BaseContext = { ...base };
  const { catalog, lookup } = cachedRequestCatalog(source, productStaleReporter(context));
  return Object.assign(context, { catalog, loaders: createProductLoaders(lookup) });
}
