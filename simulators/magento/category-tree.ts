import type { Dataset } from '../data/dataset.js';

export interface CategoryNode {
  id: number;
  parentId: number;
  name: string;
  level: number;
  /** 1-based place among its siblings. */
  position: number;
  /** `1/2/3`: ids from the root catalog down to this one. */
  path: string;
  childIds: number[];
  /** Products assigned to this category itself. */
  productCount: number;
}

/** Magento's "Root Catalog": every tree hangs below it; the dataset's categories start at 2. */
const ROOT_CATEGORY_ID = 1;
/** The store's root ("Default Category"), where `GET /rest/V1/categories` starts. */
export const DEFAULT_CATEGORY_ID = 2;

/** The dataset's categories as Magento keeps them: under the root catalog, with paths and product counts. */
export class CategoryTree {
  private readonly nodes = new Map<number, CategoryNode>();

  constructor(dataset: Dataset) {
    const counts = new Map<number, number>();
    for (const p of dataset.products) for (const id of p.categoryIds) counts.set(id, (counts.get(id) ?? 0) + 1);
    const all = [{ id: ROOT_CATEGORY_ID, parentId: 0, name: 'Root Catalog', level: 0 }, ...dataset.categories].sort((a, b) => a.id - b.id);
    for (const c of all) {
      this.nodes.set(c.id, { id: c.id, parentId: c.parentId, name: c.name, level: c.level, position: 1, path: '', childIds: [], productCount: counts.get(c.id) ?? 0 });
    }
    for (const node of this.nodes.values()) {
      const parent = this.nodes.get(node.parentId);
      if (!parent) continue;
      parent.childIds.push(node.id);
      node.position = parent.childIds.length;
    }
    // Ids ascend from parent to child, so a parent's path is known before its children's.
    for (const node of this.nodes.values()) {
      const parent = this.nodes.get(node.parentId);
      node.path = parent ? `${parent.path}/${node.id}` : String(node.id);
    }
  }

  get(id: number): CategoryNode | undefined {
    return this.nodes.get(id);
  }

  /** Every category, by id. */
  all(): CategoryNode[] {
    return [...this.nodes.values()];
  }
}
