/**
 * Salesforce's query locators: a query's result is snapshotted once, and
 * `nextRecordsUrl` (`/query/01g…-2000`) names that snapshot and where the
 * next batch starts. Like the real ones they expire after 15 idle minutes,
 * and only so many stay open (the oldest is dropped first). Expiry is checked
 * on use, so no timer needs closing.
 */
export const BATCH_SIZE = 2_000;
const IDLE_MS = 15 * 60_000;
const MAX_OPEN = 100;

interface Snapshot<T> {
  rows: T[];
  usedAt: number;
}

export interface Batch<T> {
  /** Every row the query matched, over all batches (`totalSize`). */
  total: number;
  rows: T[];
  /** The locator of the batch after this one, or undefined when this is the last. */
  next?: string;
}

export class QueryLocators<T> {
  private readonly open = new Map<string, Snapshot<T>>();
  private sequence = 0;

  constructor(private readonly now: () => number = Date.now) {}

  /** The first batch of `rows`; keeps the rest for `nextRecordsUrl` when there is more. */
  first(rows: T[]): Batch<T> {
    if (rows.length <= BATCH_SIZE) return { total: rows.length, rows };
    this.sequence++;
    const id = `01g${this.sequence.toString(36).toUpperCase().padStart(15, '0')}`;
    this.open.set(id, { rows, usedAt: this.now() });
    while (this.open.size > MAX_OPEN) this.open.delete(this.open.keys().next().value as string);
    return { total: rows.length, rows: rows.slice(0, BATCH_SIZE), next: `${id}-${BATCH_SIZE}` };
  }

  /** The batch a locator like `01g…-2000` names; undefined when it is unknown, expired or malformed. */
  batch(locator: string): Batch<T> | undefined {
    const match = /^(01g[0-9A-Z]{15})-(\d+)$/.exec(locator);
    if (!match) return undefined;
    const [, id, start] = match as unknown as [string, string, string];
    const snapshot = this.open.get(id);
    const offset = Number(start);
    if (!snapshot || this.now() - snapshot.usedAt > IDLE_MS) {
      this.open.delete(id);
      return undefined;
    }
    if (offset >= snapshot.rows.length) return undefined;
    // Kept after the last batch too: a client may retry a batch whose answer it lost.
    snapshot.usedAt = this.now();
    const end = offset + BATCH_SIZE;
    const total = snapshot.rows.length;
    return end >= total ? { total, rows: snapshot.rows.slice(offset) } : { total, rows: snapshot.rows.slice(offset, end), next: `${id}-${end}` };
  }
}
