import { badRequest, MESSAGES } from './magento-errors.js';

export const CONDITION_TYPES = ['eq', 'neq', 'in', 'nin', 'like', 'gt', 'lt', 'gteq', 'lteq'] as const;
export type ConditionType = (typeof CONDITION_TYPES)[number];

export interface Filter {
  field: string;
  value: string;
  conditionType: ConditionType;
}

export interface SortOrder {
  field: string;
  direction: 'ASC' | 'DESC';
}

export interface SearchCriteria {
  /** Groups are AND-ed; the filters inside one group are OR-ed. */
  filterGroups: Filter[][];
  sortOrders: SortOrder[];
  /** Absent: every match in one answer, as Magento does. */
  pageSize?: number;
  /** 1-based. */
  currentPage?: number;
}

/** The `search_criteria` Magento echoes in a search answer: what was asked, in snake_case. */
export interface SearchCriteriaEcho {
  filter_groups: Array<{ filters: Array<{ field: string; value: string; condition_type: ConditionType }> }>;
  sort_orders?: Array<{ field: string; direction: 'ASC' | 'DESC' }>;
  page_size?: number;
  current_page?: number;
}

type RawFilter = { field?: string; value?: string; condition_type?: string };
type RawSort = { field?: string; direction?: string };

const SEGMENTS = /\[([^\]]*)\]/g;
const INDEX = /^\d+$/;
/** Magento's REST layer accepts both spellings of every searchCriteria property. */
const camelToSnake: Record<string, string> = {
  filterGroups: 'filter_groups',
  sortOrders: 'sort_orders',
  pageSize: 'page_size',
  currentPage: 'current_page',
  conditionType: 'condition_type',
};
const snake = (name: string): string => camelToSnake[name] ?? name;
const isCondition = (value: string): value is ConditionType => (CONDITION_TYPES as readonly string[]).includes(value);

/** Magento's refusal of a property SearchCriteriaInterface does not have. */
const unknownProperty = (key: string) =>
  badRequest('Property "%propertyName" does not have accessor method in class "%className".', {
    propertyName: key,
    className: 'Magento\\Framework\\Api\\SearchCriteriaInterface',
  });

function positiveInt(name: string, text: string): number {
  if (!/^\d+$/.test(text.trim()) || Number(text) < 1) {
    throw badRequest('"%fieldName" must be a positive whole number, got "%value".', { fieldName: name, value: text });
  }
  return Number(text);
}

/** `searchCriteria[filter_groups][0][filters][1][field]` → the bracketed names, or undefined for another parameter. */
function segmentsOf(key: string): string[] | undefined {
  if (!key.startsWith('searchCriteria[')) return undefined;
  const rest = key.slice('searchCriteria'.length);
  const names = [...rest.matchAll(SEGMENTS)].map((m) => m[1] as string);
  if (names.map((n) => `[${n}]`).join('') !== rest) throw unknownProperty(key);
  return names;
}

const byIndex = <T>(entries: Map<number, T>): T[] => [...entries.entries()].sort((a, b) => a[0] - b[0]).map(([, v]) => v);

/**
 * Reads Magento's bracketed `searchCriteria[...]` query parameters. Anything
 * malformed (an unknown property, a filter without a field, an unknown
 * condition type, a page size that is not a positive whole number) is a 400.
 * Other query parameters (`fields`, …) are none of its business.
 */
export function parseSearchCriteria(query: URLSearchParams): SearchCriteria {
  const groups = new Map<number, Map<number, RawFilter>>();
  const sorts = new Map<number, RawSort>();
  let pageSize: number | undefined;
  let currentPage: number | undefined;

  for (const [key, value] of query) {
    const segments = segmentsOf(key);
    if (!segments) continue;
    const [head, a, b, c, d, ...extra] = segments.map((s, i) => (i % 2 === 0 ? snake(s) : s));
    if (extra.length) throw unknownProperty(key);
    if (head === 'filter_groups' && a !== undefined && INDEX.test(a) && b === 'filters' && c !== undefined && INDEX.test(c)) {
      if (d !== 'field' && d !== 'value' && d !== 'condition_type') throw unknownProperty(key);
      const group = groups.get(Number(a)) ?? new Map<number, RawFilter>();
      groups.set(Number(a), group);
      const filter = group.get(Number(c)) ?? {};
      group.set(Number(c), filter);
      filter[d] = value;
    } else if (head === 'sort_orders' && a !== undefined && INDEX.test(a) && (b === 'field' || b === 'direction') && c === undefined) {
      const sort = sorts.get(Number(a)) ?? {};
      sorts.set(Number(a), sort);
      sort[b] = value;
    } else if (head === 'page_size' && a === undefined) {
      pageSize = positiveInt('pageSize', value);
    } else if (head === 'current_page' && a === undefined) {
      currentPage = positiveInt('currentPage', value);
    } else {
      throw unknownProperty(key);
    }
  }

  const filterGroups = byIndex(groups).map((group) => byIndex(group).map(toFilter));
  const sortOrders = byIndex(sorts).map(toSortOrder);
  return { filterGroups, sortOrders, pageSize, currentPage };
}

function toFilter(raw: RawFilter): Filter {
  if (!raw.field) throw badRequest(MESSAGES.required, { fieldName: 'field' });
  if (raw.value === undefined) throw badRequest(MESSAGES.required, { fieldName: 'value' });
  // Magento's default condition is `eq`.
  const conditionType = raw.condition_type === undefined || raw.condition_type === '' ? 'eq' : raw.condition_type.toLowerCase();
  if (!isCondition(conditionType)) {
    throw badRequest('Invalid condition type "%conditionType". Use one of: %allowed.', {
      conditionType: raw.condition_type as string,
      allowed: CONDITION_TYPES.join(', '),
    });
  }
  return { field: raw.field, value: raw.value, conditionType };
}

function toSortOrder(raw: RawSort): SortOrder {
  if (!raw.field) throw badRequest(MESSAGES.required, { fieldName: 'field' });
  const direction = (raw.direction ?? 'ASC').toUpperCase();
  if (direction !== 'ASC' && direction !== 'DESC') {
    throw badRequest('Sort order "%direction" is not supported. Use ASC or DESC.', { direction: raw.direction as string });
  }
  return { field: raw.field, direction };
}

/** What Magento echoes back as `search_criteria`: the criteria as asked, with defaults filled in. */
export function echoSearchCriteria(criteria: SearchCriteria): SearchCriteriaEcho {
  return {
    filter_groups: criteria.filterGroups.map((group) => ({
      filters: group.map((f) => ({ field: f.field, value: f.value, condition_type: f.conditionType })),
    })),
    ...(criteria.sortOrders.length ? { sort_orders: criteria.sortOrders.map((s) => ({ field: s.field, direction: s.direction })) } : {}),
    ...(criteria.pageSize !== undefined ? { page_size: criteria.pageSize } : {}),
    ...(criteria.currentPage !== undefined ? { current_page: criteria.currentPage } : {}),
  };
}
