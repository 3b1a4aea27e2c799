import type { Database } from '../../../lib/db/database.js';
import type { StockChangeReason, StockEvent } from '../../../lib/events/stock-event.js';
import type { LocationKind } from './ledger-rows.js';

/**
 * The advisory lock every writer of stock levels holds for its whole
 * transaction. It serialises writers, across replicas too, so `event_id`
 * (a bigserial taken inside the lock, committed before the lock is released)
 * increases in commit order: the outbox relay reads `event_id > last
 * published` and can never pass an event that commits later with a smaller
 * id. It also makes the duplicate check and the level read race-free.
 */
export const LEDGER_WRITE_LOCK = 0x1ed6e7;

/** One change to a stock level, from a POS event, an adjustment by staff, and later the ERP sync and order sagas. */
export interface LedgerChange {
  sku: string;
  locationId: string;
  /** Signed change of units on hand (a sale of 2 is -2). */
  delta: number;
  reason: StockChangeReason;
  /** When it happened at its source; the level's `updated_at` never moves back for a late arrival. */
  occurredAt: Date;
  /**
   * The change's id at its source (`pos-main:pos-main-…` for a POS event):
   * a change whose id the ledger already holds is a duplicate and changes
   * nothing. None for changes that cannot be redelivered (adjustStock).
   */
  sourceEventId?: string;
  /** Free text kept with the event (an adjustment's reason in words). */
  note?: string;
  /** Refuse the change unless its location is of this kind: the POS speaks for stores only. */
  locationType?: LocationKind;
}

/** What became of one change. */
export type ChangeOutcome =
  /** `oversold`: units the change took beyond what was available (recorded, not hidden). */
  | { status: 'applied'; event: StockEvent; oversold: number }
  | { status: 'duplicate'; sourceEventId: string }
  | { status: 'rejected'; field: 'locationId'; message: string };

export interface LedgerWriteResult {
  /** One per change, in the order given. */
  outcomes: ChangeOutcome[];
  /** The events recorded, in event id order (the order given). */
  applied: StockEvent[];
  /** Source ids already in the ledger, or repeated earlier in the same call. */
  duplicates: string[];
}

/** One write to the ledger: its outcomes, and where in the ledger its events landed. */
export interface LedgerWrite extends LedgerWriteResult {
  /**
   * The ledger's newest event id just before this write, read under the
   * write lock ('0': empty): `applied` is everything that follows it.
   */
  ledgerTopBefore: string;
}

/**
 * Events one commit recorded, in id order, and the ledger's newest event id
 * before them: what the outbox relay publishes without reading it back when
 * `after` is the stream's top.
 */
export interface CommittedEvents {
  after: string;
  events: readonly StockEvent[];
}

interface ChangeRow {
  outcome: 'applied' | 'duplicate' | 'rejected';
  event_id: string | null;
  previous_available: number | null;
  available: number | null;
  oversold: number | null;
  location_kind: LocationKind | null;
  ledger_top: string;
}

/** `inventory_write_changes` (migration inventory_004): the whole write in one statement, so one round trip. */
const WRITE_CHANGES = `
SELECT r.outcome, r.new_event_id::text AS event_id, r.available_before AS previous_available, r.available_after AS available,
       r.units_oversold AS oversold, r.location_kind, r.ledger_top::text AS ledger_top
  FROM inventory_write_changes($1::bigint, $2::text[], $3::text[], $4::int[], $5::text[], $6::text[], $7::timestamptz[], $8::text[], $9::text[])
       WITH ORDINALITY AS r
 ORDER BY r.ordinality`;

/** A caller's bug, refused before it reaches SQL (where it would fail a whole transaction). */
function checkChanges(changes: readonly LedgerChange[]): void {
  for (const change of changes) {
    if (!Number.isSafeInteger(change.delta) || Number.isNaN(change.occurredAt.getTime())) {
      throw new TypeError(`Bad ledger change for ${change.sku} at ${change.locationId}: delta ${change.delta}, occurredAt ${String(change.occurredAt)}.`);
    }
  }
}

const resultOf = (outcomes: ChangeOutcome[]): LedgerWriteResult => ({
  outcomes,
  applied: outcomes.flatMap((o) => (o.status === 'applied' ? [o.event] : [])),
  duplicates: outcomes.flatMap((o) => (o.status === 'duplicate' ? [o.sourceEventId] : [])),
});

function outcomeOf(change: LedgerChange, row: ChangeRow): ChangeOutcome {
  if (row.outcome === 'duplicate') return { status: 'duplicate', sourceEventId: change.sourceEventId as string };
  if (row.outcome === 'rejected') {
    const message = row.location_kind === null ? `Unknown location ${change.locationId}.` : `${change.locationId} is not a ${change.locationType === 'STORE' ? 'store' : 'warehouse'}.`;
    return { status: 'rejected', field: 'locationId', message };
  }
  return {
    status: 'applied',
    oversold: row.oversold as number,
    event: {
      eventId: row.event_id as string,
      sku: change.sku,
      locationId: change.locationId,
      previousAvailable: row.previous_available as number,
      available: row.available as number,
      delta: change.delta,
      reason: change.reason,
      occurredAt: change.occurredAt.toISOString(),
    },
  };
}

/**
 * Applies `changes` in one statement, one round trip whatever their number
 * (`inventory_write_changes`, under the ledger's write lock): the hot path of
 * POS webhooks, where each round trip to PostgreSQL was the largest cost.
 *
 * - A change whose `sourceEventId` is recorded (or repeated in `changes`) is
 *   a duplicate: nothing changes. The POS retries; its retries are harmless.
 * - A change at an unknown location (or one of the wrong kind) is rejected
 *   and reported; the others still apply.
 * - Deltas add up, and addition commutes: events applied in any order leave
 *   the same `on_hand`. Each event records the availability before and after
 *   it as applied, each floored at 0; `on_hand` itself may go below 0 after an
 *   oversell, and the event's `oversold` says by how much.
 *
 * The event rows are the outbox: committed with the levels they changed, and
 * published afterwards by the outbox relay.
 */
export async function writeLedgerChanges(db: Database, changes: readonly LedgerChange[]): Promise<LedgerWrite> {
  if (changes.length === 0) return { outcomes: [], applied: [], duplicates: [], ledgerTopBefore: '0' };
  checkChanges(changes);
  const { rows } = await db.query<ChangeRow>(WRITE_CHANGES, [
    LEDGER_WRITE_LOCK,
    changes.map((c) => c.sku),
    changes.map((c) => c.locationId),
    changes.map((c) => c.delta),
    changes.map((c) => c.reason),
    changes.map((c) => c.sourceEventId ?? null),
    changes.map((c) => c.occurredAt),
    changes.map((c) => c.note ?? null),
    changes.map((c) => c.locationType ?? null),
  ], { prepareAs: 'ledger-write-changes' });
  if (rows.length !== changes.length) throw new Error(`The ledger answered ${rows.length} outcomes for ${changes.length} changes.`);
  return { ...resultOf(changes.map((change, i) => outcomeOf(change, rows[i] as ChangeRow))), ledgerTopBefore: (rows[0] as ChangeRow).ledger_top };
}

/** Most changes one group commit takes (requests are never split; a larger one goes alone). */
export const MAX_GROUP_CHANGES = 1_000;

interface PendingWrite {
  changes: readonly LedgerChange[];
  resolve(result: LedgerWriteResult): void;
  reject(err: unknown): void;
}

/**
 * The ledger's one way in for stock changes, with group commit: writes are
 * serialised anyway (the lock), so the calls that queue up while one
 * transaction runs (concurrent webhook deliveries, adjustments) go into the
 * next one together. One commit then serves many requests, and only one
 * pooled connection per process waits for the lock. Each caller still gets
 * the outcomes of its own changes. A group that fails is retried call by
 * call, so one caller's bad change fails only that caller.
 *
 * After a commit that recorded anything, `afterCommit` runs with the events
 * it recorded (the outbox relay's wake-up).
 */
export class LedgerWriter {
  private readonly queue: PendingWrite[] = [];
  private draining = false;

  constructor(
    private readonly db: Database,
    private readonly afterCommit: (committed: CommittedEvents) => void = () => undefined,
  ) {}

  apply(changes: readonly LedgerChange[]): Promise<LedgerWriteResult> {
    try {
      checkChanges(changes);
    } catch (err) {
      return Promise.reject(err);
    }
    return new Promise((resolve, reject) => {
      this.queue.push({ changes, resolve, reject });
      void this.drain();
    });
  }

  private async drain(): Promise<void> {
    if (this.draining) return;
    this.draining = true;
    try {
      while (this.queue.length > 0) {
        let size = 0;
        let count = 0;
        while (count < this.queue.length && (count === 0 || size + (this.queue[count] as PendingWrite).changes.length <= MAX_GROUP_CHANGES)) {
          size += (this.queue[count] as PendingWrite).changes.length;
          count += 1;
        }
        await this.commit(this.queue.splice(0, count));
      }
    } finally {
      this.draining = false;
    }
  }

  private async commit(group: PendingWrite[]): Promise<void> {
    let result: LedgerWrite;
    try {
      result = await writeLedgerChanges(this.db, group.flatMap((w) => w.changes));
    } catch (err) {
      if (group.length === 1) (group[0] as PendingWrite).reject(err);
      else for (const write of group) await this.commit([write]);
      return;
    }
    try {
      if (result.applied.length > 0) this.afterCommit({ after: result.ledgerTopBefore, events: result.applied });
    } catch {
      // A wake-up that throws must not turn committed writes into failures; the relay's poll catches up.
    }
    let offset = 0;
    for (const write of group) {
      write.resolve(resultOf(result.outcomes.slice(offset, offset + write.changes.length)));
      offset += write.changes.length;
    }
  }
}
