import { EPOCH } from '../data/dataset.js';
import type { CategoryNode, CategoryTree } from './category-tree.js';
import { toMagentoDate } from './magento-date.js';
import { urlKey } from './url-key.js';

/** Categories were set up once, long before any product. */
const CREATED_AT = toMagentoDate(new Date(EPOCH - 1000 * 86_400_000).toISOString());

/** A node of `GET /rest/V1/categories`, with its subtree down to `depth` more levels (undefined: all). */
export function toCategoryTreeJson(tree: CategoryTree, node: CategoryNode, depth?: number): unknown {
  const children = depth === 0 ? [] : node.childIds.map((id) => toCategoryTreeJson(tree, tree.get(id)!, depth === undefined ? undefined : depth - 1));
  return {
    id: node.id,
    parent_id: node.parentId,
    name: node.name,
    is_active: true,
    position: node.position,
    level: node.level,
    product_count: node.productCount,
    children_data: children,
  };
}

/** One category as `GET /rest/V1/categories/{id}` and `categories/list` answer it. */
export function toCategoryJson(node: CategoryNode) {
  return {
    id: node.id,
    parent_id: node.parentId,
    name: node.name,
    is_active: true,
    position: node.position,
    level: node.level,
    children: node.childIds.join(','),
    created_at: CREATED_AT,
    updated_at: CREATED_AT,
    path: node.path,
    available_sort_by: [],
    include_in_menu: true,
    custom_attributes: [
      { attribute_code: 'url_key', value: urlKey(node.name) },
      { attribute_code: 'is_anchor', value: '1' },
      { attribute_code: 'display_mode', value: 'PRODUCTS' },
    ],
  };
}
