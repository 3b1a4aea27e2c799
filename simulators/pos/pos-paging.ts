import { decodeCursor, encodeCursor } from '../../lib/graphql/cursor.js';
import type { SimResponse } from '../common/simulator-server.js';
import { posError } from './pos-errors.js';

export interface PageRequest<C> {
  limit: number;
  /** The decoded cursor of the page asked for; undefined for the first page. */
  after?: C;
}

/**
 * Reads `limit` and `cursor`. A limit above `max` is lowered to it (as the real
 * back office does); a limit that is not a positive whole number, or a cursor
 * that is not one of ours, is a 400.
 */
export function readPage<C extends Record<string, unknown>>(
  query: URLSearchParams,
  sizes: { default: number; max: number },
  isCursor: (value: Record<string, unknown>) => value is C,
): PageRequest<C> | SimResponse {
  const rawLimit = query.get('limit');
  let limit = sizes.default;
  if (rawLimit !== null) {
    if (!/^\d+$/.test(rawLimit) || Number(rawLimit) < 1) return posError('bad_request', 'limit must be a positive whole number.');
    limit = Math.min(Number(rawLimit), sizes.max);
  }
  const rawCursor = query.get('cursor');
  if (rawCursor === null || rawCursor === '') return { limit };
  const after = decodeCursor(rawCursor);
  if (!after || !isCursor(after)) return posError('bad_request', 'cursor is not valid.');
  return { limit, after };
}

/** Cursor of a list that never reorders: the index of the next item. */
export interface IndexCursor extends Record<string, unknown> {
  next: number;
}

export const isIndexCursor = (value: Record<string, unknown>): value is IndexCursor =>
  typeof value.next === 'number' && Number.isInteger(value.next) && value.next >= 0;

/** One page of a fixed list, by index, with the cursor of the next page (null at the end). */
export function pageByIndex<T>(items: readonly T[], page: PageRequest<IndexCursor>): { items: T[]; nextCursor: string | null } {
  const start = page.after?.next ?? 0;
  const end = Math.min(start + page.limit, items.length);
  return { items: items.slice(start, end), nextCursor: end < items.length ? encodeCursor({ next: end }) : null };
}
