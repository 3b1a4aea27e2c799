/** One Magento filter: `field condition value`, e.g. `sku in A,B,C` or `customer_id in 1,2,3`. */
export interface MagentoFilter {
  field: string;
  value: string;
  conditionType: 'eq' | 'neq' | 'in' | 'nin' | 'like' | 'gt' | 'lt' | 'gteq' | 'lteq';
}

export interface MagentoSearch {
  /** Filter groups are AND-ed; the filters inside one group are OR-ed (Magento's rule). */
  filterGroups: MagentoFilter[][];
  sortOrders?: Array<{ field: string; direction: 'ASC' | 'DESC' }>;
  pageSize: number;
  currentPage?: number;
}

/**
 * Magento's bracketed `searchCriteria[...]` query string, built by hand so no serializer reshapes it.
 * Every connector that searches Magento (products, orders, customers) builds its queries here.
 */
export function searchCriteriaQuery(search: MagentoSearch): string {
  const params = new URLSearchParams();
  search.filterGroups.forEach((group, g) =>
    group.forEach((filter, f) => {
      const prefix = `searchCriteria[filter_groups][${g}][filters][${f}]`;
      params.append(`${prefix}[field]`, filter.field);
      params.append(`${prefix}[value]`, filter.value);
      params.append(`${prefix}[condition_type]`, filter.conditionType);
    }),
  );
  search.sortOrders?.forEach((sort, i) => {
    params.append(`searchCriteria[sortOrders][${i}][field]`, sort.field);
    params.append(`searchCriteria[sortOrders][${i}][direction]`, sort.direction);
  });
  params.append('searchCriteria[pageSize]', String(search.pageSize));
  params.append('searchCriteria[currentPage]', String(search.currentPage ?? 1));
  return params.toString();
}

/** Text for a `like` pattern, matched literally: MySQL's `%`, `_` and `\` escaped. */
export const likeLiteral = (text: string): string => text.replace(/[\\%_]/g, '\\$&');
