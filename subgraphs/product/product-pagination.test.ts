import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor } from '../../lib/graphql/cursor.js';
import { money } from '../../lib/graphql/shared-types.js';
import { parsePageArgs, toConnection } from './product-pagination.js';
import { Product } from './product.js';

const codeOf = (run: () => unknown) => {
  try {
    run();
  } catch (err) {
    expect(err).toBeInstanceOf(GraphQLError);
    return (err as GraphQLError).extensions;
  }
  throw new Error('expected an error');
};

const product = (entityId: number) =>
  Object.assign(new Product(), { sku: `S-${entityId}`, name: 'n', description: null, price: money('1.00', 'USD'), images: [], entityId, categoryIds: [] });

describe('product pagination', () => {
  it('defaults first to 20 and refuses sizes outside 1..100 or foreign cursors as BAD_USER_INPUT', () => {
    expect(parsePageArgs(undefined, undefined)).toEqual({ first: 20, after: { id: 0, pos: 0 } });
    expect(parsePageArgs(null, null)).toEqual({ first: 20, after: { id: 0, pos: 0 } });
    expect(parsePageArgs(100, encodeCursor({ id: 7, pos: 3 }))).toEqual({ first: 100, after: { id: 7, pos: 3 } });
    for (const first of [0, -1, 101]) expect(codeOf(() => parsePageArgs(first, null))).toMatchObject({ code: 'BAD_USER_INPUT', argumentName: 'first' });
    for (const after of ['nope', encodeCursor({ id: '7', pos: 1 }), encodeCursor({ id: 7 }), encodeCursor({ id: -1, pos: 0 }), encodeCursor({ id: 1.5, pos: 0 })]) {
      expect(codeOf(() => parsePageArgs(10, after))).toMatchObject({ code: 'BAD_USER_INPUT', argumentName: 'after' });
    }
  });

  it('refuses a forged cursor whose position or id does not fit a GraphQL Int, so totalCount cannot overflow', () => {
    expect(parsePageArgs(10, encodeCursor({ id: 2 ** 31 - 1, pos: 2 ** 31 - 1 })).after).toEqual({ id: 2 ** 31 - 1, pos: 2 ** 31 - 1 });
    for (const forged of [{ id: 7, pos: 2 ** 31 }, { id: 2 ** 31, pos: 3 }, { id: 7, pos: Number.MAX_SAFE_INTEGER }, { id: 7, pos: 1e300 }]) {
      expect(codeOf(() => parsePageArgs(10, encodeCursor(forged)))).toMatchObject({ code: 'BAD_USER_INPUT', argumentName: 'after' });
    }
    expect(codeOf(() => toConnection([], { id: 7, pos: 2 ** 31 - 1 }, 1))).toMatchObject({ code: 'BAD_USER_INPUT', argumentName: 'after' });
  });

  it('counts positions on from the cursor, so totalCount is the cursor position plus what remains', () => {
    const page = toConnection([product(41), product(45)], { id: 40, pos: 10 }, 5);
    expect(page.totalCount).toBe(15);
    expect(page.pageInfo.hasNextPage).toBe(true);
    expect(page.edges.map((e) => decodeCursor(e.cursor))).toEqual([{ id: 41, pos: 11 }, { id: 45, pos: 12 }]);
    expect(page.pageInfo.endCursor).toBe(page.edges[1]!.cursor);

    const last = toConnection([product(50)], { id: 45, pos: 12 }, 1);
    expect(last.pageInfo).toMatchObject({ hasNextPage: false });
    expect(last.totalCount).toBe(13);
    expect(toConnection([], { id: 50, pos: 13 }, 0)).toMatchObject({ edges: [], totalCount: 13, pageInfo: { hasNextPage: false, endCursor: null } });
  });
});
