import type { SimRoute } from '../common/simulator-server.js';
import type { Dataset } from '../data/dataset.js';
import { toCategoryJson, toCategoryTreeJson } from './category-shape.js';
import { CategoryTree, DEFAULT_CATEGORY_ID, type CategoryNode } from './category-tree.js';
import { lazy } from './lazy.js';
import { answering, badRequest, magentoError, MESSAGES } from './magento-errors.js';
import { SearchableCollection } from './searchable-collection.js';
import { searchRoute } from './search-route.js';

const noSuchCategory = (id: string) => magentoError(404, MESSAGES.noSuchEntity, { fieldName: 'id', fieldValue: id });

/** A whole number from the query, or undefined when absent; anything else is a 400. */
function wholeNumber(query: URLSearchParams, name: string): number | undefined {
  const text = query.get(name);
  if (text === null || text === '') return undefined;
  if (!/^\d+$/.test(text)) throw badRequest('"%fieldName" must be a whole number, got "%value".', { fieldName: name, value: text });
  return Number(text);
}

/** The category tree, one category, and the category list search. */
export function categoryRoutes(dataset: Dataset): SimRoute[] {
  const tree = new CategoryTree(dataset);
  const collection = lazy(
    () =>
      new SearchableCollection<CategoryNode>({
        records: tree.all(),
        position: (c) => c.id,
        naturalField: 'entity_id',
        fields: {
          entity_id: { kind: 'number', get: (c) => c.id, indexed: true },
          name: { kind: 'string', get: (c) => c.name },
          parent_id: { kind: 'number', get: (c) => c.parentId, indexed: true },
        },
      }),
  );
  return [
    {
      method: 'GET',
      pattern: '/rest/V1/categories',
      handler: answering((req) => {
        const rootId = wholeNumber(req.query, 'rootCategoryId') ?? DEFAULT_CATEGORY_ID;
        const root = tree.get(rootId);
        if (!root) return noSuchCategory(String(rootId));
        return { status: 200, body: toCategoryTreeJson(tree, root, wholeNumber(req.query, 'depth')) };
      }),
    },
    // Before `categories/:id`, which would otherwise take "list" for an id.
    searchRoute('/rest/V1/categories/list', collection, toCategoryJson),
    {
      method: 'GET',
      pattern: '/rest/V1/categories/:id',
      handler: (req) => {
        const id = req.params.id as string;
        const node = /^\d+$/.test(id) ? tree.get(Number(id)) : undefined;
        return node ? { status: 200, body: toCategoryJson(node) } : noSuchCategory(id);
      },
    },
  ];
}
