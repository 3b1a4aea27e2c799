import { compareEventIds, type StockEvent } from './stock-event.js';

/**
 * How stock events sit in a Redis stream: entry id `<eventId>-0` (ledger ids
 * are decimal bigints, which fit a stream id's 64-bit milliseconds part, and
 * keeping them as strings never rounds them), one field `e` with the event's
 * JSON (one `JSON.parse` per entry, nothing to reassemble).
 */
export const EVENT_FIELD = 'e';

export function toStreamId(eventId: string): string {
  return `${eventId}-0`;
}

/** The event id of a stream id (`1234-0` → `1234`); the bus only writes sequence 0. */
export function toEventId(streamId: string): string {
  const dash = streamId.indexOf('-');
  return dash < 0 ? streamId : streamId.slice(0, dash);
}

/** A raw XRANGE / XREAD entry: `[id, [field, value, …]]`. */
export type RawStreamEntry = [id: string, fields: string[]];

/** Decodes entries, dropping any not written by the bus (no `e` field). */
export function decodeEntries(entries: readonly RawStreamEntry[]): StockEvent[] {
  const events: StockEvent[] = [];
  for (const [, fields] of entries) {
    for (let i = 0; i + 1 < fields.length; i += 2) {
      if (fields[i] === EVENT_FIELD) {
        events.push(JSON.parse(fields[i + 1] as string) as StockEvent);
        break;
      }
    }
  }
  return events;
}

/** The parts of `XINFO STREAM` the bus reads. */
export interface StreamInfo {
  length: number;
  /** Event id of the last entry ever added ('0' when none). */
  lastId: string;
  /** Event id of the last entry deleted by XDEL or declared deleted by XSETID MAXDELETEDID ('0' when none). */
  maxDeletedId: string;
  /** Entries ever added; above `length` when some were trimmed. */
  entriesAdded: number;
  /** Event id of the first retained entry ('0' when empty). */
  firstId: string;
}

/** Parses the flat `[name, value, …]` reply of `XINFO STREAM` (Redis ≥ 7.0). */
export function parseStreamInfo(reply: unknown): StreamInfo {
  if (!Array.isArray(reply)) throw new Error(`Unexpected XINFO STREAM reply: ${String(reply)}`);
  const fields = new Map<string, unknown>();
  for (let i = 0; i + 1 < reply.length; i += 2) fields.set(String(reply[i]), reply[i + 1]);
  const id = (name: string): string => toEventId(String(fields.get(name) ?? '0-0'));
  if (!fields.has('max-deleted-entry-id')) throw new Error('The Redis stock event bus needs Redis 7.0 or later (XINFO STREAM has no max-deleted-entry-id)');
  return {
    length: Number(fields.get('length') ?? 0),
    lastId: id('last-generated-id'),
    maxDeletedId: id('max-deleted-entry-id'),
    entriesAdded: Number(fields.get('entries-added') ?? 0),
    firstId: id('recorded-first-entry-id'),
  };
}

/**
 * Resuming is possible after this id and not before: the stream's
 * equivalent of the memory engine's `trimmedUpTo`.
 *
 * Redis (7.0 at least) does not move `max-deleted-entry-id` when XADD's
 * MAXLEN trims, only on XDEL and XSETID (which `markTrimmedUpTo` uses). So
 * when entries were trimmed (more were ever added than remain; the bus never
 * XDELs), everything before the first retained entry counts as trimmed. The
 * last trimmed id itself is gone, so this is the id just before the first
 * retained one: exact when ids are dense, and when a rolled-back write left a
 * hole right there, a cursor in that hole is refused though nothing after it
 * was lost (safe: the client re-reads the stock).
 */
export function oldestResumable(info: StreamInfo): string {
  let bound = info.maxDeletedId;
  if (info.entriesAdded > info.length) {
    const trimmedUpTo = info.length === 0 ? info.lastId : (BigInt(info.firstId) - 1n).toString();
    if (compareEventIds(trimmedUpTo, bound) > 0) bound = trimmedUpTo;
  }
  return bound;
}

/** Redis's answer to XADD/XSETID/XINFO on a stream key that does not exist. */
export function isNoSuchKey(error: unknown): boolean {
  return error instanceof Error && /\bno such key\b/i.test(error.message);
}

/**
 * XADD's refusal of an id not above the stream's top (or of `0-0`): the
 * event is already in the stream, or older than it, so it is skipped.
 */
export function isIdNotAboveTop(error: unknown): boolean {
  return error instanceof Error && /equal or smaller than the target stream top item|must be greater than 0-0/.test(error.message);
}
