import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { encodeCursor } from '../../lib/graphql/cursor.js';
import { mergeNewestFirst, paginateOrders, parsePageArgs } from './order-pagination.js';
import { Order, OrderChannel } from './order.js';

const order = (id: string, placedAt: string): Order =>
  Object.assign(new Order(), { id, number: id, channel: id.startsWith('mag_') ? OrderChannel.ONLINE : OrderChannel.STORE, placedAt: new Date(placedAt) });

const online = [order('mag_1', '2026-01-01T00:00:00Z'), order('mag_2', '2026-03-01T00:00:00Z'), order('mag_3', '2026-05-01T00:00:00Z')];
const inStore = [order('pos_S1-1', '2026-02-01T00:00:00Z'), order('pos_S1-2', '2026-05-01T00:00:00Z'), order('pos_S1-3', '2026-06-01T00:00:00Z')];

const codeOf = (run: () => unknown) => {
  try {
    run();
  } catch (err) {
    expect(err).toBeInstanceOf(GraphQLError);
    return (err as GraphQLError).extensions.code;
  }
  return undefined;
};

describe('merging two channels', () => {
  it('is newest first, ties broken by id, each order once', () => {
    const merged = mergeNewestFirst(online, inStore, [online[0] as Order]);
    expect(merged.map((o) => o.id)).toEqual(['pos_S1-3', 'mag_3', 'pos_S1-2', 'mag_2', 'pos_S1-1', 'mag_1']);
  });
});

describe('paging', () => {
  const all = mergeNewestFirst(online, inStore);

  it('walks every order exactly once, page by page', () => {
    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    for (;;) {
      const page = paginateOrders(all, parsePageArgs(4, after));
      pages++;
      seen.push(...page.edges.map((e) => e.node.id));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor ?? null;
    }
    expect(pages).toBe(2);
    expect(seen).toEqual(all.map((o) => o.id));
  });

  it('answers an empty last page after the end, and the default size is 20', () => {
    const page = paginateOrders(all, parsePageArgs(null, paginateOrders(all, parsePageArgs(6, null)).pageInfo.endCursor));
    expect(page.edges).toEqual([]);
    expect(page.pageInfo).toEqual({ hasNextPage: false, endCursor: null });
    expect(parsePageArgs(undefined, undefined).first).toBe(20);
  });

  it('keeps its place when a newer order arrives between pages', () => {
    const first = paginateOrders(all, parsePageArgs(2, null));
    const later = mergeNewestFirst([order('mag_9', '2026-07-01T00:00:00Z')], all);
    const second = paginateOrders(later, parsePageArgs(2, first.pageInfo.endCursor));
    expect(second.edges.map((e) => e.node.id)).toEqual(['pos_S1-2', 'mag_2']);
  });

  it('refuses first outside 1..100 and cursors it did not give out', () => {
    expect(codeOf(() => parsePageArgs(0, null))).toBe('BAD_USER_INPUT');
    expect(codeOf(() => parsePageArgs(101, null))).toBe('BAD_USER_INPUT');
    expect(codeOf(() => parsePageArgs(-5, null))).toBe('BAD_USER_INPUT');
    expect(codeOf(() => parsePageArgs(100, null))).toBeUndefined();
    expect(codeOf(() => parsePageArgs(5, 'garbage'))).toBe('BAD_USER_INPUT');
    expect(codeOf(() => parsePageArgs(5, encodeCursor({ offset: 3 })))).toBe('BAD_USER_INPUT');
  });
});
