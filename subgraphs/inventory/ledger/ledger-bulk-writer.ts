import type { Queryable } from '../../../lib/db/database.js';
import type { LocationKind } from './ledger-rows.js';

/**
 * Rows per INSERT. Each statement sends its columns as a few arrays
 * (`unnest`), so a chunk costs one round trip and the parameter count stays
 * at four whatever the chunk size; chunks keep single messages moderate.
 */
export const CHUNK_SIZE = 10_000;

export interface NewLocation {
  id: string;
  name: string;
  type: LocationKind;
  /** `erp` or `pos`: the system of record this location's stock comes from. */
  source: 'erp' | 'pos';
}

export interface NewStockLevel {
  sku: string;
  onHand: number;
  updatedAt: Date;
}

export interface NewInventoryItem {
  sku: string;
  discontinued: boolean;
  /** Seen in an ERP payload now; null when only a store knows the SKU. */
  syncedAt: Date | null;
}

function* chunks<T>(items: readonly T[], size = CHUNK_SIZE): Generator<T[]> {
  for (let i = 0; i < items.length; i += size) yield items.slice(i, i + size);
}

export async function insertLocations(tx: Queryable, locations: readonly NewLocation[]): Promise<void> {
  if (locations.length === 0) return;
  await tx.query(
    `INSERT INTO locations (id, name, type, source)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[])`,
    [locations.map((l) => l.id), locations.map((l) => l.name), locations.map((l) => l.type), locations.map((l) => l.source)],
  );
}

/**
 * Inserts levels of one location, in chunks: for a location that has none
 * yet (the first-start load). The caller passes each SKU once; a plain INSERT
 * is much faster in bulk than an upsert, and the primary key still refuses a
 * repeat.
 */
export async function insertStockLevels(tx: Queryable, locationId: string, levels: readonly NewStockLevel[]): Promise<number> {
  for (const chunk of chunks(levels)) {
    await tx.query(
      `INSERT INTO stock_levels (sku, location_id, on_hand, reserved, updated_at)
       SELECT sku, $2, on_hand, 0, updated_at FROM unnest($1::text[], $3::int[], $4::timestamptz[]) AS t (sku, on_hand, updated_at)`,
      [chunk.map((l) => l.sku), locationId, chunk.map((l) => l.onHand), chunk.map((l) => l.updatedAt)],
    );
  }
  return levels.length;
}

/** One row per SKU (spec 002's `inventory`), discontinued ones stamped with when that was learnt. */
export async function upsertInventoryItems(tx: Queryable, items: readonly NewInventoryItem[], now: Date): Promise<void> {
  for (const chunk of chunks(items)) {
    await tx.query(
      `INSERT INTO inventory_items (sku, is_discontinued, discontinued_at, last_synced_at, created_at, updated_at)
       SELECT sku, discontinued, CASE WHEN discontinued THEN $4::timestamptz END, synced_at, $4, $4
         FROM unnest($1::text[], $2::boolean[], $3::timestamptz[]) AS t (sku, discontinued, synced_at)
       ON CONFLICT (sku) DO UPDATE SET
         is_discontinued = EXCLUDED.is_discontinued,
         discontinued_at = CASE WHEN EXCLUDED.is_discontinued THEN COALESCE(inventory_items.discontinued_at, EXCLUDED.discontinued_at) END,
         last_synced_at = COALESCE(EXCLUDED.last_synced_at, inventory_items.last_synced_at),
         updated_at = EXCLUDED.updated_at`,
      [chunk.map((i) => i.sku), chunk.map((i) => i.discontinued), chunk.map((i) => i.syncedAt), now],
    );
  }
}
