import { compileFilter, listOf, operandKey } from './filter-conditions.js';
import { badRequest } from './magento-errors.js';
import { compareKeys, isMulti, keyOf, type FieldSpec, type FieldValue } from './field-spec.js';
import type { Filter, SearchCriteria, SortOrder } from './search-criteria.js';

type Key = number | string;

export interface CollectionSpec<R> {
  /** Every record, in natural (entity id) order. */
  records: readonly R[];
  /** The fields searchCriteria may filter and sort by. */
  fields: Record<string, FieldSpec<R>>;
  /** A record's place in the natural order: answers without a sort order come in it. */
  position: (record: R) => number;
  /** The field whose ascending order is the natural order, so sorting by it costs nothing. */
  naturalField?: string;
}

export interface SearchResult<R> {
  /** The page asked for. */
  items: R[];
  /** Every match, not just this page. */
  totalCount: number;
}

/**
 * Magento's searchCriteria over an in-memory collection, kept linear per
 * request: `eq`/`in` on indexed fields are Map lookups (only their matches
 * are sorted), and ordering by a field scans a view sorted once per field
 * and kept. Only a multi-field sort re-sorts its matches, which are already
 * in order of the first field, so the stable sort just settles ties.
 */
export class SearchableCollection<R> {
  private readonly indexes = new Map<string, Map<Key, R[]>>();
  private readonly sortedViews = new Map<string, readonly R[]>();

  constructor(private readonly spec: CollectionSpec<R>) {}

  search(criteria: SearchCriteria): SearchResult<R> {
    const groups = criteria.filterGroups.map((group) => group.map((f) => compileFilter(f, this.field(f.field))));
    const sorts = criteria.sortOrders.map((s) => ({ ...s, spec: this.field(s.field) }));
    const matchesAll = (record: R) => groups.every((tests) => tests.length === 0 || tests.some((test) => test(record)));

    const candidates = this.lookup(criteria.filterGroups);
    let matches: R[];
    if (candidates) {
      matches = candidates.filter(matchesAll);
      matches.sort(sorts.length ? this.comparator(sorts) : this.byPosition);
    } else {
      matches = this.scan(sorts, matchesAll);
    }
    return page(matches, criteria);
  }

  private field(name: string): FieldSpec<R> {
    const spec = this.spec.fields[name];
    if (!spec) throw badRequest('"%fieldName" is not a field this search can use.', { fieldName: name });
    return spec;
  }

  private readonly byPosition = (a: R, b: R): number => this.spec.position(a) - this.spec.position(b);

  /**
   * The records a group of `eq`/`in` filters on indexed fields allows, from
   * the smallest such group; undefined when no group is made of those alone.
   */
  private lookup(groups: Filter[][]): R[] | undefined {
    let best: Set<R> | undefined;
    for (const group of groups) {
      if (group.length === 0 || !group.every((f) => (f.conditionType === 'eq' || f.conditionType === 'in') && this.spec.fields[f.field]?.indexed)) continue;
      const found = new Set<R>();
      for (const filter of group) {
        const spec = this.field(filter.field);
        const index = this.index(filter.field, spec);
        const values = filter.conditionType === 'in' ? listOf(filter.value) : [filter.value];
        for (const value of values) for (const record of index.get(operandKey(value, spec.kind, filter.field)) ?? []) found.add(record);
      }
      if (!best || found.size < best.size) best = found;
    }
    return best && [...best];
  }

  private index(name: string, spec: FieldSpec<R>): Map<Key, R[]> {
    let index = this.indexes.get(name);
    if (index) return index;
    index = new Map();
    for (const record of this.spec.records) {
      const value = spec.get(record);
      for (const v of isMulti(value) ? value : [value]) {
        if (v === undefined) continue;
        const key = keyOf(v);
        const bucket = index.get(key);
        if (bucket) bucket.push(record);
        else index.set(key, [record]);
      }
    }
    this.indexes.set(name, index);
    return index;
  }

  /** Every match in the order asked: the first sort field's view, ties settled by the other fields. */
  private scan(sorts: Array<SortOrder & { spec: FieldSpec<R> }>, matchesAll: (record: R) => boolean): R[] {
    const first = sorts[0];
    const view = !first || first.field === this.spec.naturalField ? this.spec.records : this.sortedView(first.field, first.spec);
    const matches: R[] = [];
    if (first?.direction === 'DESC') {
      for (let i = view.length - 1; i >= 0; i--) if (matchesAll(view[i] as R)) matches.push(view[i] as R);
    } else {
      for (const record of view) if (matchesAll(record)) matches.push(record);
    }
    // Already ordered by the first field: a stable sort only reorders its ties.
    if (sorts.length > 1) matches.sort(this.comparator(sorts));
    return matches;
  }

  private sortedView(name: string, spec: FieldSpec<R>): readonly R[] {
    let view = this.sortedViews.get(name);
    if (!view) {
      const by = this.comparator([{ field: name, direction: 'ASC', spec }]);
      view = [...this.spec.records].sort((a, b) => by(a, b) || this.byPosition(a, b));
      this.sortedViews.set(name, view);
    }
    return view;
  }

  private comparator(sorts: Array<SortOrder & { spec: FieldSpec<R> }>): (a: R, b: R) => number {
    return (a, b) => {
      for (const sort of sorts) {
        const order = compareValues(sortKey(sort.spec.get(a)), sortKey(sort.spec.get(b)));
        if (order !== 0) return sort.direction === 'DESC' ? -order : order;
      }
      return 0;
    };
  }
}

/** A multi-valued field sorts by its first value. */
const sortKey = (value: FieldValue | readonly FieldValue[]): Key | undefined => {
  const v = isMulti(value) ? value[0] : value;
  return v === undefined ? undefined : keyOf(v);
};

/** NULL first, as MySQL sorts ascending. */
const compareValues = (a: Key | undefined, b: Key | undefined): number =>
  a === undefined ? (b === undefined ? 0 : -1) : b === undefined ? 1 : compareKeys(a, b);

/** Magento's paging, quirk included: a page past the last answers the last page again. */
function page<R>(matches: R[], criteria: SearchCriteria): SearchResult<R> {
  const totalCount = matches.length;
  const size = criteria.pageSize;
  if (size === undefined) return { items: matches, totalCount };
  const lastPage = Math.max(1, Math.ceil(totalCount / size));
  const current = Math.min(criteria.currentPage ?? 1, lastPage);
  return { items: matches.slice((current - 1) * size, current * size), totalCount };
}
