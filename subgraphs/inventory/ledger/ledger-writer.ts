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

interface LedgerState {
  seen: string[];
  locations: Array<[string, LocationKind]>;
  levels: Array<[string, string, number, number]>;
}

/**
 * What the write needs, read in one statement once the lock is held: which
 * source ids are recorded, which locations exist, and the current levels.
 */
const READ_STATE = `
SELECT
  ARRAY(SELECT source_event_id FROM stock_events WHERE source_event_id = ANY($1::text[])) AS seen,
  (SELECT coalesce(json_agg(json_build_array(id, type)), '[]'::json) FROM locations WHERE id = ANY($2::text[])) AS locations,
  (SELECT coalesce(json_agg(json_build_array(s.sku, s.location_id, s.on_hand, s.reserved)), '[]'::json)
     FROM unnest($3::text[], $4::text[]) AS k (sku, location_id)
     JOIN stock_levels s ON s.sku = k.sku AND s.location_id = k.location_id) AS levels`;

/**
 * The levels (by their summed delta: an unknown SKU starts at 0) and the
 * events, in one statement. Events are inserted in the order given, so their
 * ids follow it; `updated_at` only ever moves forward, so an event that
 * arrives late does not make a level look older.
 */
const WRITE_CHANGES = `
WITH levels AS (
  INSERT INTO stock_levels (sku, location_id, on_hand, reserved, updated_at)
  SELECT sku, location_id, delta, 0, updated_at
    FROM unnest($1::text[], $2::text[], $3::int[], $4::timestamptz[]) AS t (sku, location_id, delta, updated_at)
  ON CONFLICT (sku, location_id) DO UPDATE
    SET on_hand = stock_levels.on_hand + EXCLUDED.on_hand,
        updated_at = GREATEST(stock_levels.updated_at, EXCLUDED.updated_at)
)
INSERT INTO stock_events (sku, location_id, previous_available, available, delta, reason, source_event_id, occurred_at, oversold, note)
SELECT sku, location_id, previous_available, available, delta, reason, source_event_id, occurred_at, oversold, note
  FROM unnest($5::text[], $6::text[], $7::int[], $8::int[], $9::int[], $10::text[], $11::text[], $12::timestamptz[], $13::int[], $14::text[])
       WITH ORDINALITY AS t (sku, location_id, previous_available, available, delta, reason, source_event_id, occurred_at, oversold, note, ord)
 ORDER BY ord
RETURNING event_id::text AS event_id`;

const keyOf = (sku: string, locationId: string) => `${sku}\u0000${locationId}`;

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

/**
 * Applies `changes` in one transaction, in four statements whatever their
 * number (lock, read, write, commit): the hot path of POS webhooks.
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
export async function writeLedgerChanges(db: Database, changes: readonly LedgerChange[]): Promise<LedgerWriteResult> {
  if (changes.length === 0) return { outcomes: [], applied: [], duplicates: [] };
  checkChanges(changes);
  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1::bigint)', [LEDGER_WRITE_LOCK], { prepareAs: 'ledger-write-lock' });

    const sourceIds = [...new Set(changes.flatMap((c) => (c.sourceEventId === undefined ? [] : [c.sourceEventId])))];
    const keys = new Map(changes.map((c) => [keyOf(c.sku, c.locationId), c]));
    const { rows } = await tx.query<LedgerState>(READ_STATE, [
      sourceIds,
      [...new Set(changes.map((c) => c.locationId))],
      [...keys.values()].map((c) => c.sku),
      [...keys.values()].map((c) => c.locationId),
    ], { prepareAs: 'ledger-read-state' });
    const state = rows[0] as LedgerState;
    const seen = new Set(state.seen);
    const locations = new Map(state.locations);
    const levels = new Map(state.levels.map(([sku, locationId, onHand, reserved]) => [keyOf(sku, locationId), { onHand, reserved }]));

    const outcomes: Array<ChangeOutcome | undefined> = [];
    const events: Array<{ index: number; event: Omit<StockEvent, 'eventId'>; oversold: number; change: LedgerChange }> = [];
    const levelChanges = new Map<string, { sku: string; locationId: string; delta: number; updatedAt: Date }>();
    for (const [index, change] of changes.entries()) {
      if (change.sourceEventId !== undefined && seen.has(change.sourceEventId)) {
        outcomes[index] = { status: 'duplicate', sourceEventId: change.sourceEventId };
        continue;
      }
      const kind = locations.get(change.locationId);
      if (kind === undefined || (change.locationType && kind !== change.locationType)) {
        const message = kind === undefined ? `Unknown location ${change.locationId}.` : `${change.locationId} is not a ${change.locationType === 'STORE' ? 'store' : 'warehouse'}.`;
        outcomes[index] = { status: 'rejected', field: 'locationId', message };
        continue;
      }
      if (change.sourceEventId !== undefined) seen.add(change.sourceEventId);

      const key = keyOf(change.sku, change.locationId);
      let level = levels.get(key);
      if (!level) levels.set(key, (level = { onHand: 0, reserved: 0 }));
      const previousAvailable = Math.max(0, level.onHand - level.reserved);
      level.onHand += change.delta;
      const available = Math.max(0, level.onHand - level.reserved);
      const oversold = change.delta < 0 ? Math.max(0, -change.delta - previousAvailable) : 0;
      events.push({
        index,
        oversold,
        change,
        event: {
          sku: change.sku,
          locationId: change.locationId,
          previousAvailable,
          available,
          delta: change.delta,
          reason: change.reason,
          occurredAt: change.occurredAt.toISOString(),
        },
      });
      const pending = levelChanges.get(key);
      if (pending) {
        pending.delta += change.delta;
        if (change.occurredAt > pending.updatedAt) pending.updatedAt = change.occurredAt;
      } else {
        levelChanges.set(key, { sku: change.sku, locationId: change.locationId, delta: change.delta, updatedAt: change.occurredAt });
      }
    }

    if (events.length > 0) {
      const pending = [...levelChanges.values()];
      const { rows: ids } = await tx.query<{ event_id: string }>(WRITE_CHANGES, [
        pending.map((l) => l.sku),
        pending.map((l) => l.locationId),
        pending.map((l) => l.delta),
        pending.map((l) => l.updatedAt),
        events.map((e) => e.event.sku),
        events.map((e) => e.event.locationId),
        events.map((e) => e.event.previousAvailable),
        events.map((e) => e.event.available),
        events.map((e) => e.event.delta),
        events.map((e) => e.event.reason),
        events.map((e) => e.change.sourceEventId ?? null),
        events.map((e) => e.change.occurredAt),
        events.map((e) => e.oversold),
        events.map((e) => e.change.note ?? null),
      ], { prepareAs: 'ledger-write-changes' });
      if (ids.length !== events.length) throw new Error(`Recorded ${ids.length} stock events for ${events.length} changes.`);
      // Inserted in the order given, each taking the next id: ascending ids pair with that order.
      const sorted = ids.map((r) => BigInt(r.event_id)).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      for (const [i, e] of events.entries()) {
        outcomes[e.index] = { status: 'applied', event: { eventId: String(sorted[i]), ...e.event }, oversold: e.oversold };
      }
    }

    return resultOf(outcomes as ChangeOutcome[]);
  });
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
 * After a commit that recorded anything, `afterCommit` runs (the outbox
 * relay's wake-up).
 */
export class LedgerWriter {
  private readonly queue: PendingWrite[] = [];
  private draining = false;

  constructor(
    private readonly db: Database,
    private readonly afterCommit: () => void = () => undefined,
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
    let result: LedgerWriteResult;
    try {
      result = await writeLedgerChanges(this.db, group.flatMap((w) => w.changes));
    } catch (err) {
      if (group.length === 1) (group[0] as PendingWrite).reject(err);
      else for (const write of group) await this.commit([write]);
      return;
    }
    try {
      if (result.applied.length > 0) this.afterCommit();
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
