import type { Queryable } from '../../../lib/db/database.js';
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
}
