import type { Queryable } from '../../../lib/db/database.js';
import type { StockChangeReason, StockEvent } from '../../../lib/events/stock-event.js';
import type { LocationKind, LocationRow, StockLevelRow } from './ledger-rows.js';

/** Warehouses first, then stores, each by id: the order every location list is in. */
const LOCATION_ORDER = `CASE l.type WHEN 'WAREHOUSE' THEN 0 ELSE 1 END, l.id`;

interface StockLevelRecord {
  sku: string;
  location_id: string;
  on_hand: number;
  reserved: number;
  updated_at: Date | string;
  location_name: string;
  location_type: LocationKind;
}

interface StockEventRecord {
  event_id: string;
  sku: string;
  location_id: string;
  previous_available: number;
  available: number;
  delta: number;
  reason: StockChangeReason;
  occurred_at: Date | string;
}

/**
 * A `stock_events e` row as the bus carries it; the id as text, since a bigint
 * may pass 2^53. Order by `e.event_id`: a bare `event_id` would name this text
 * column, and "10" sorts before "9".
 */
const STOCK_EVENT_COLUMNS = 'e.event_id::text AS event_id, e.sku, e.location_id, e.previous_available, e.available, e.delta, e.reason, e.occurred_at';

const toStockEvent = (r: StockEventRecord): StockEvent => ({
  eventId: r.event_id,
  sku: r.sku,
  locationId: r.location_id,
  previousAvailable: r.previous_available,
  available: r.available,
  delta: r.delta,
  reason: r.reason,
  occurredAt: (r.occurred_at instanceof Date ? r.occurred_at : new Date(r.occurred_at)).toISOString(),
});

/** Event ids a bigint can hold; anything else names no event (and must not reach a `::bigint` cast). */
export const isEventId = (id: string): boolean => /^\d{1,18}$/.test(id);

/**
 * Reads of the stock ledger. Every method is one SQL statement, so a
 * DataLoader batch costs one round trip; nothing here calls the ERP or POS.
 */
export class LedgerRepository {
  constructor(private readonly db: Queryable) {}

  async hasLocations(): Promise<boolean> {
    const { rows } = await this.db.query<{ present: boolean }>('SELECT EXISTS (SELECT 1 FROM locations) AS present');
    return rows[0]?.present === true;
  }

  async listLocations(): Promise<LocationRow[]> {
    const { rows } = await this.db.query<LocationRow>(`SELECT l.id, l.name, l.type FROM locations l ORDER BY ${LOCATION_ORDER}`);
    return rows;
  }

  async locationsByIds(ids: readonly string[]): Promise<LocationRow[]> {
    const { rows } = await this.db.query<LocationRow>('SELECT l.id, l.name, l.type FROM locations l WHERE l.id = ANY($1::text[])', [ids]);
    return rows;
  }

  /**
   * Units available per SKU over every location: the sum of each location's
   * on_hand - reserved, each floored at 0 (a store that oversold cannot take
   * stock away from another). SKUs the ledger does not know are absent.
   */
  async availableBySku(skus: readonly string[]): Promise<Map<string, number>> {
    const { rows } = await this.db.query<{ sku: string; available: number }>(
      `SELECT sku, SUM(GREATEST(on_hand - reserved, 0))::int AS available
         FROM stock_levels WHERE sku = ANY($1::text[]) GROUP BY sku`,
      [skus],
    );
    return new Map(rows.map((r) => [r.sku, r.available]));
  }

  /** The levels of these SKUs, at these locations only when `locationIds` is given, each with its location. */
  async stockLevels(skus: readonly string[], locationIds?: readonly string[]): Promise<StockLevelRow[]> {
    const params: unknown[] = [skus];
    let where = 's.sku = ANY($1::text[])';
    if (locationIds) {
      params.push(locationIds);
      where += ' AND s.location_id = ANY($2::text[])';
    }
    const { rows } = await this.db.query<StockLevelRecord>(
      `SELECT s.sku, s.location_id, s.on_hand, s.reserved, s.updated_at, l.name AS location_name, l.type AS location_type
         FROM stock_levels s JOIN locations l ON l.id = s.location_id
        WHERE ${where}
        ORDER BY s.sku, ${LOCATION_ORDER}`,
      params,
    );
    return rows.map((r) => ({
      sku: r.sku,
      locationId: r.location_id,
      onHand: r.on_hand,
      reserved: r.reserved,
      updatedAt: r.updated_at instanceof Date ? r.updated_at : new Date(r.updated_at),
      location: { id: r.location_id, name: r.location_name, type: r.location_type },
    }));
  }

  /** Recorded stock events with id above `after`, ascending, at most `limit`: what the outbox relay publishes. */
  async stockEventsAfter(after: string, limit: number): Promise<StockEvent[]> {
    const { rows } = await this.db.query<StockEventRecord>(
      `SELECT ${STOCK_EVENT_COLUMNS} FROM stock_events e WHERE e.event_id > $1::bigint ORDER BY e.event_id LIMIT $2`,
      [after, limit],
      { prepareAs: 'stock-events-after' },
    );
    return rows.map(toStockEvent);
  }

  /**
   * The id of the newest event not among the last `count`, or undefined when
   * the ledger holds no more than `count`: where a stream that keeps only
   * `count` events starts when it is filled from the ledger's tail.
   */
  async stockEventBeforeTail(count: number): Promise<string | undefined> {
    const { rows } = await this.db.query<{ event_id: string }>('SELECT e.event_id::text AS event_id FROM stock_events e ORDER BY e.event_id DESC OFFSET $1 LIMIT 1', [count]);
    return rows[0]?.event_id;
  }

  /** These recorded stock events, in no particular order; ids that name none are absent. */
  async stockEventsByIds(ids: readonly string[]): Promise<StockEvent[]> {
    const valid = ids.filter(isEventId);
    if (valid.length === 0) return [];
    const { rows } = await this.db.query<StockEventRecord>(`SELECT ${STOCK_EVENT_COLUMNS} FROM stock_events e WHERE e.event_id = ANY($1::bigint[])`, [valid]);
    return rows.map(toStockEvent);
  }
}
