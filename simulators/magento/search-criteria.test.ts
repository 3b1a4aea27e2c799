import { describe, expect, it } from 'vitest';
import { MagentoRequestError } from './magento-errors.js';
import { echoSearchCriteria, parseSearchCriteria } from './search-criteria.js';

const parse = (params: Record<string, string>) => parseSearchCriteria(new URLSearchParams(params));

/** The 400 a bad searchCriteria is refused with. */
function refusal(params: Record<string, string>) {
  try {
    parse(params);
  } catch (err) {
    expect(err).toBeInstanceOf(MagentoRequestError);
    return (err as MagentoRequestError).answer;
  }
  throw new Error('expected a refusal');
}

describe('parseSearchCriteria', () => {
  it('reads filter groups, filters, sort orders and paging by their indexes', () => {
    const criteria = parse({
      'searchCriteria[filter_groups][1][filters][0][field]': 'price',
      'searchCriteria[filter_groups][1][filters][0][value]': '10',
      'searchCriteria[filter_groups][1][filters][0][condition_type]': 'gt',
      'searchCriteria[filter_groups][0][filters][1][field]': 'sku',
      'searchCriteria[filter_groups][0][filters][1][value]': 'CG-%',
      'searchCriteria[filter_groups][0][filters][1][condition_type]': 'like',
      'searchCriteria[filter_groups][0][filters][0][field]': 'name',
      'searchCriteria[filter_groups][0][filters][0][value]': '%shirt%',
      'searchCriteria[filter_groups][0][filters][0][condition_type]': 'like',
      'searchCriteria[sortOrders][0][field]': 'entity_id',
      'searchCriteria[sortOrders][0][direction]': 'desc',
      'searchCriteria[pageSize]': '50',
      'searchCriteria[currentPage]': '3',
      fields: 'items[sku]',
    });
    expect(criteria).toEqual({
      filterGroups: [
        [
          { field: 'name', value: '%shirt%', conditionType: 'like' },
          { field: 'sku', value: 'CG-%', conditionType: 'like' },
        ],
        [{ field: 'price', value: '10', conditionType: 'gt' }],
      ],
      sortOrders: [{ field: 'entity_id', direction: 'DESC' }],
      pageSize: 50,
      currentPage: 3,
    });
  });

  it('accepts the camelCase and snake_case spellings, defaults to eq and ASC, and reads nothing as everything', () => {
    const criteria = parse({
      'searchCriteria[filterGroups][0][filters][0][field]': 'sku',
      'searchCriteria[filterGroups][0][filters][0][value]': 'CG-000001',
      'searchCriteria[sort_orders][0][field]': 'name',
      'searchCriteria[page_size]': '5',
      'searchCriteria[current_page]': '1',
    });
    expect(criteria).toEqual({
      filterGroups: [[{ field: 'sku', value: 'CG-000001', conditionType: 'eq' }]],
      sortOrders: [{ field: 'name', direction: 'ASC' }],
      pageSize: 5,
      currentPage: 1,
    });
    expect(parse({})).toEqual({ filterGroups: [], sortOrders: [], pageSize: undefined, currentPage: undefined });
    expect(parse({ searchCriteria: '' }).filterGroups).toEqual([]);
  });

  it('echoes the criteria as asked, in snake_case', () => {
    const criteria = parse({
      'searchCriteria[filter_groups][0][filters][0][field]': 'sku',
      'searchCriteria[filter_groups][0][filters][0][value]': 'A,B',
      'searchCriteria[filter_groups][0][filters][0][condition_type]': 'in',
      'searchCriteria[pageSize]': '2',
    });
    expect(echoSearchCriteria(criteria)).toEqual({
      filter_groups: [{ filters: [{ field: 'sku', value: 'A,B', condition_type: 'in' }] }],
      page_size: 2,
    });
  });

  it('refuses an unknown condition type, a filter without a field or value, a bad page and an unknown property with a 400', () => {
    const unknownCondition = refusal({
      'searchCriteria[filter_groups][0][filters][0][field]': 'sku',
      'searchCriteria[filter_groups][0][filters][0][value]': 'x',
      'searchCriteria[filter_groups][0][filters][0][condition_type]': 'finset',
    });
    expect(unknownCondition.status).toBe(400);
    expect(unknownCondition.body).toMatchObject({ message: expect.stringContaining('%conditionType'), parameters: { conditionType: 'finset' } });

    expect(refusal({ 'searchCriteria[filter_groups][0][filters][0][value]': 'x' }).body).toMatchObject({ parameters: { fieldName: 'field' } });
    expect(refusal({ 'searchCriteria[filter_groups][0][filters][0][field]': 'sku' }).body).toMatchObject({ parameters: { fieldName: 'value' } });
    expect(refusal({ 'searchCriteria[pageSize]': '0' }).status).toBe(400);
    expect(refusal({ 'searchCriteria[currentPage]': 'two' }).status).toBe(400);
    expect(refusal({ 'searchCriteria[sortOrders][0][field]': 'sku', 'searchCriteria[sortOrders][0][direction]': 'UP' }).status).toBe(400);
    expect(refusal({ 'searchCriteria[limit]': '5' }).status).toBe(400);
    expect(refusal({ 'searchCriteria[filter_groups][x][filters][0][field]': 'sku' }).status).toBe(400);
    expect(refusal({ 'searchCriteria[pageSize': '5' }).status).toBe(400);
  });
});
