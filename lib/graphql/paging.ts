import { badUserInput } from '../errors.js';
import { decodeCursor } from './cursor.js';
import { PageInfo } from './shared-types.js';

/**
 * What every connection field (`products`, `Customer.orders`) shares: the page
 * size bounds, checking `first` and `after` before anything is fetched
 * (BAD_USER_INPUT naming the argument), and `pageInfo`.
 */

/** The page size when `first` is left out or null. */
export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

/** `first`, checked: 1..MAX_PAGE_SIZE, or the default for null or absent. */
export function pageSize(first: number | null | undefined): number {
  // An explicit null means "the default", as leaving the argument out does.
  const size = first ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(size) || size < 1 || size > MAX_PAGE_SIZE) {
    throw badUserInput(`\`first\` must be between 1 and ${MAX_PAGE_SIZE}.`, { argumentName: 'first' });
  }
  return size;
}

/** `after`, decoded and read by `read` (undefined: not a cursor this field gave out, which is BAD_USER_INPUT). */
export function afterCursor<T>(after: string, read: (value: Record<string, unknown>) => T | undefined): T {
  const value = decodeCursor(after);
  const position = value === undefined ? undefined : read(value);
  if (position === undefined) throw notOurCursor();
  return position;
}

/** The BAD_USER_INPUT for an `after` this field did not give out. */
export const notOurCursor = () => badUserInput('`after` is not a cursor this field gave out.', { argumentName: 'after' });

/** The page info of a page whose last edge's cursor is the end cursor. */
export function pageInfo(edges: ReadonlyArray<{ cursor: string }>, hasNextPage: boolean): PageInfo {
  return Object.assign(new PageInfo(), { hasNextPage, endCursor: edges.length ? (edges[edges.length - 1] as { cursor: string }).cursor : null });
}
