import { describe, expect, it } from 'vitest';
import { MagentoRequestError } from './magento-errors.js';
import { parseSearchCriteria, type ConditionType } from './search-criteria.js';
import { SearchableCollection } from './searchable-collection.js';

interface Item {
  id: number;
  sku: string;
  name: string;
  price: number;
  tags: number[];
  owner?: number;
  created: string;
}

const items: Item[] = [
  { id: 1, sku: 'A-1', name: 'Red Shirt', price: 10, tags: [3, 4], owner: 7, created: '2026-01-01 00:00:00' },
  { id: 2, sku: 'A-2', name: 'Blue Shirt', price: 20, tags: [3, 5], created: '2026-02-01 12:00:00' },
  { id: 3, sku: 'B-1', name: 'red_hat 100%', price: 5.5, tags: [6], owner: 8, created: '2026-03-01 00:00:00' },
  { id: 4, sku: 'B-2', name: 'Green Hat', price: 20, tags: [], owner: 7, created: '2026-04-01 00:00:00' },
];

let skuReads = 0;
const collection = new SearchableCollection<Item>({
  records: items,
  position: (i) => i.id,
  naturalField: 'entity_id',
  fields: {
    entity_id: { kind: 'number', get: (i) => i.id, indexed: true },
    sku: {
      kind: 'string',
      get: (i) => {
        skuReads++;
        return i.sku;
      },
      indexed: true,
    },
    name: { kind: 'string', get: (i) => i.name },
    price: { kind: 'number', get: (i) => i.price },
    tag: { kind: 'number', get: (i) => i.tags },
    owner: { kind: 'number', get: (i) => i.owner },
    created_at: { kind: 'date', get: (i) => i.created },
  },
});

type F = [field: string, value: string, condition?: ConditionType];
/** Runs a search given as groups of [field, value, condition] plus extra raw parameters. */
function search(groups: F[][], extra: Record<string, string> = {}) {
  const params = new URLSearchParams(extra);
  groups.forEach((group, g) =>
    group.forEach(([field, value, condition], f) => {
      const prefix = `searchCriteria[filter_groups][${g}][filters][${f}]`;
      params.set(`${prefix}[field]`, field);
      params.set(`${prefix}[value]`, value);
      if (condition) params.set(`${prefix}[condition_type]`, condition);
    }),
  );
  const { items: found, totalCount } = collection.search(parseSearchCriteria(params));
  return { ids: found.map((i) => i.id), totalCount };
}
const ids = (groups: F[][], extra?: Record<string, string>) => search(groups, extra).ids;

describe('SearchableCollection', () => {
  it('ORs the filters of a group and ANDs the groups', () => {
    expect(ids([[['sku', 'A-1'], ['sku', 'B-2']]])).toEqual([1, 4]);
    expect(ids([[['sku', 'A-1'], ['sku', 'B-2']], [['owner', '7']]])).toEqual([1, 4]);
    expect(ids([[['sku', 'A-1'], ['sku', 'B-2']], [['price', '20']]])).toEqual([4]);
    expect(ids([[['name', '%shirt', 'like'], ['price', '5.5']], [['owner', '7', 'neq'], ['tag', '3']]])).toEqual([1, 2, 3]);
    expect(ids([])).toEqual([1, 2, 3, 4]);
  });

  it('supports every condition type on numbers, text and dates', () => {
    expect(ids([[['price', '20', 'eq']]])).toEqual([2, 4]);
    expect(ids([[['price', '20', 'neq']]])).toEqual([1, 3]);
    expect(ids([[['sku', 'a-1, B-2,zzz', 'in']]])).toEqual([1, 4]);
    expect(ids([[['sku', 'A-1,B-2', 'nin']]])).toEqual([2, 3]);
    expect(ids([[['price', '10', 'gt']]])).toEqual([2, 4]);
    expect(ids([[['price', '10', 'gteq']]])).toEqual([1, 2, 4]);
    expect(ids([[['price', '10', 'lt']]])).toEqual([3]);
    expect(ids([[['price', '10', 'lteq']]])).toEqual([1, 3]);
    expect(ids([[['name', 'c', 'gt']]])).toEqual([1, 3, 4]);
    expect(ids([[['created_at', '2026-02-01', 'gt']]])).toEqual([2, 3, 4]);
    expect(ids([[['created_at', '2026-02-01T12:00:00Z', 'gteq']]])).toEqual([2, 3, 4]);
    expect(ids([[['created_at', '2026-03-01 00:00:00', 'lt']]])).toEqual([1, 2]);
  });

  it('matches like case-insensitively with % and _, and takes \\% and \\_ literally', () => {
    expect(ids([[['name', '%SHIRT%', 'like']]])).toEqual([1, 2]);
    expect(ids([[['name', 'red%', 'like']]])).toEqual([1, 3]);
    expect(ids([[['sku', '_-1', 'like']]])).toEqual([1, 3]);
    expect(ids([[['name', '%\\_%', 'like']]])).toEqual([3]);
    expect(ids([[['name', '%100\\%', 'like']]])).toEqual([3]);
    expect(ids([[['name', '%.%', 'like']]])).toEqual([]);
  });

  it('compares text case-insensitively, as MySQL does', () => {
    expect(ids([[['name', 'red shirt']]])).toEqual([1]);
    expect(ids([[['sku', 'b-1']]])).toEqual([3]);
  });

  it('treats a missing value as NULL: no condition matches it, not even neq', () => {
    expect(ids([[['owner', '7', 'neq']]])).toEqual([3]);
    expect(ids([[['owner', '7', 'nin']]])).toEqual([3]);
    expect(ids([[['owner', '0', 'gt']]])).toEqual([1, 3, 4]);
  });

  it('matches a multi-valued field when any value does, and neq/nin when none is excluded', () => {
    expect(ids([[['tag', '3']]])).toEqual([1, 2]);
    expect(ids([[['tag', '4,6', 'in']]])).toEqual([1, 3]);
    expect(ids([[['tag', '3', 'neq']]])).toEqual([3, 4]);
    expect(ids([[['tag', '4,5', 'nin']]])).toEqual([3, 4]);
  });

  it('sorts by any field either way, ties settled by the next sort order', () => {
    const sort = (...orders: Array<[string, string]>) =>
      Object.fromEntries(orders.flatMap(([field, direction], i) => [[`searchCriteria[sortOrders][${i}][field]`, field], [`searchCriteria[sortOrders][${i}][direction]`, direction]]));
    expect(ids([], sort(['entity_id', 'DESC']))).toEqual([4, 3, 2, 1]);
    expect(ids([], sort(['name', 'ASC']))).toEqual([2, 4, 1, 3]);
    expect(ids([], sort(['price', 'DESC'], ['sku', 'DESC']))).toEqual([4, 2, 1, 3]);
    expect(ids([], sort(['price', 'DESC'], ['sku', 'ASC']))).toEqual([2, 4, 1, 3]);
    // NULL first ascending.
    expect(ids([], sort(['owner', 'ASC'], ['entity_id', 'ASC']))).toEqual([2, 1, 4, 3]);
    // Looked-up records are sorted too.
    expect(ids([[['sku', 'A-1,A-2,B-1', 'in']]], sort(['price', 'ASC']))).toEqual([3, 1, 2]);
  });

  it('pages with total_count of every match, and answers a page past the end with the last page again', () => {
    const paged = (size: number, page: number) => search([[['price', '5', 'gt']]], { 'searchCriteria[pageSize]': String(size), 'searchCriteria[currentPage]': String(page) });
    expect(paged(2, 1)).toEqual({ ids: [1, 2], totalCount: 4 });
    expect(paged(2, 2)).toEqual({ ids: [3, 4], totalCount: 4 });
    expect(paged(3, 2)).toEqual({ ids: [4], totalCount: 4 });
    expect(paged(3, 9)).toEqual({ ids: [4], totalCount: 4 });
    expect(search([[['sku', 'nothing']]], { 'searchCriteria[pageSize]': '2', 'searchCriteria[currentPage]': '3' })).toEqual({ ids: [], totalCount: 0 });
  });

  it('refuses an unknown field and a value the field cannot hold with a 400', () => {
    for (const groups of [[[['colour', 'red']]], [[['price', 'cheap']]], [[['created_at', 'yesterday', 'gt']]]] as F[][][]) {
      let answer: unknown;
      try {
        search(groups);
      } catch (err) {
        answer = (err as MagentoRequestError).answer;
      }
      expect(answer).toMatchObject({ status: 400 });
    }
    expect(() => search([], { 'searchCriteria[sortOrders][0][field]': 'colour' })).toThrow(MagentoRequestError);
  });

  it('looks up eq/in on an indexed field in a Map rather than reading every record', () => {
    ids([[['sku', 'A-1']]]); // builds the index: one read per record
    skuReads = 0;
    expect(ids([[['sku', 'A-1,B-2', 'in']], [['price', '1', 'gt']]])).toEqual([1, 4]);
    // Only the two candidates are re-checked against the filter.
    expect(skuReads).toBe(2);
  });
});
