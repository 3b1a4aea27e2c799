import type { SimRoute } from '../common/simulator-server.js';
import { answering } from './magento-errors.js';
import { echoSearchCriteria, parseSearchCriteria } from './search-criteria.js';
import type { SearchableCollection } from './searchable-collection.js';

/** A Magento search endpoint: `{items, search_criteria, total_count}`, only this page's records shaped. */
export function searchRoute<R>(pattern: string, collection: () => SearchableCollection<R>, shape: (record: R) => unknown): SimRoute {
  return {
    method: 'GET',
    pattern,
    handler: answering((req) => {
      const criteria = parseSearchCriteria(req.query);
      const { items, totalCount } = collection().search(criteria);
      return { status: 200, body: { items: items.map(shape), search_criteria: echoSearchCriteria(criteria), total_count: totalCount } };
    }),
  };
}
