import type { Queryable } from '../../../lib/db/database.js';
import type { Logger } from '../../../lib/logger.js';
import { LEDGER_WRITE_LOCK } from '../ledger/ledger-writer.js';
import { STAGING_TABLE } from './erp-payload-stager.js';
import type { SyncDrift, SyncMode } from './sync-job-repository.js';

/** Largest differences kept on the job. */
const DRIFT_SAMPLE = 10;
/** Duplicated SKUs logged by name. */
const LOGGED_DUPLICATES = 20;

export interface ApplyResult {
  /** Records refused because their SKU came twice for one warehouse (all its copies: which one is right cannot be told). */
  duplicates: number;
  /** Valid, unique records applied. */
  skusProcessed: number;
  drift: SyncDrift;
  /** Levels created or whose quantity changed, plus items whose discontinued flag changed. */
  itemsChanged: number;
  /** ERP_SYNC stock events written (one per level whose quantity changed). */
  eventsEmitted: number;
  /** Items newly flagged discontinued. */
  discontinued: number;
}

/**
 * Applies what is staged, set-based, inside the caller's transaction:
 * duplicates out, drift measured, then under the ledger's write lock (so the
 * events' ids follow commit order, as the outbox relay needs, and no POS
 * write interleaves) the levels upserted and one ERP_SYNC event written per
 * level whose quantity changed. Unchanged levels are neither written nor
 * evented. Row-level locks are taken by the upserts themselves, and held to
 * commit. A SKU new to the ledger gets its inventory record.
 */
export async function applyStagedInventory(
  tx: Queryable,
  options: { mode: SyncMode; warehouseIds: readonly string[]; now: Date; logger: Logger; onDrift?: (drift: SyncDrift) => void },
): Promise<ApplyResult> {
  // Counted in SQL, with a sample by name: a payload of nothing but duplicates must not come back to this process.
  const { rows: dupes } = await tx.query<{ groups: string; records: string; sample: Array<{ sku: string; location_id: string }> | null }>(
    `WITH d AS (
       DELETE FROM ${STAGING_TABLE} s
        USING (SELECT location_id, sku FROM ${STAGING_TABLE} GROUP BY 1, 2 HAVING count(*) > 1) twice
        WHERE s.location_id = twice.location_id AND s.sku = twice.sku
        RETURNING s.location_id, s.sku),
     g AS (SELECT location_id, sku FROM d GROUP BY 1, 2)
     SELECT (SELECT count(*) FROM g)::text AS groups, (SELECT count(*) FROM d)::text AS records,
            (SELECT json_agg(x) FROM (SELECT location_id, sku FROM g ORDER BY 1, 2 LIMIT ${LOGGED_DUPLICATES}) x) AS sample`,
  );
  const duplicates = Number(dupes[0]?.records ?? 0);
  if (duplicates > 0) {
    options.logger.warn({ duplicated: Number(dupes[0]?.groups), records: duplicates, first: dupes[0]?.sample }, 'ERP inventory records with a SKU given twice for one warehouse skipped');
  }
  // Temporary tables have no statistics until analysed: without them a million-row join is planned blind.
  await tx.query(`ANALYZE ${STAGING_TABLE}`);
  await tx.query('SELECT pg_advisory_xact_lock($1::bigint)', [LEDGER_WRITE_LOCK]);

  const drift = await measureDrift(tx, options.mode, options.warehouseIds);
  options.onDrift?.(drift);
  const { rows: counted } = await tx.query<{ processed: string }>(`SELECT count(*)::text AS processed FROM ${STAGING_TABLE}`);

  // Only new items and flipped flags are written (an anti-join first: ON CONFLICT alone would lock every row it skips).
  // A FULL snapshot says which SKUs are discontinued; an incremental one lists only changed levels, so it can flag but never clear.
  const { rows: items } = await tx.query<{ flags_changed: string; discontinued: string }>(
    `WITH flags AS (
       SELECT sku, bool_or(discontinued) AS discontinued FROM ${STAGING_TABLE} GROUP BY sku
     ),
     changed AS (
       SELECT f.sku, i.sku IS NULL AS created,
              CASE WHEN $2 = 'FULL' THEN f.discontinued ELSE coalesce(i.is_discontinued, false) OR f.discontinued END AS discontinued
         FROM flags f LEFT JOIN inventory_items i ON i.sku = f.sku
        WHERE i.sku IS NULL OR i.is_discontinued <> (CASE WHEN $2 = 'FULL' THEN f.discontinued ELSE i.is_discontinued OR f.discontinued END)
     ),
     written AS (
       INSERT INTO inventory_items (sku, is_discontinued, discontinued_at, last_synced_at, created_at, updated_at)
       SELECT sku, discontinued, CASE WHEN discontinued THEN $1::timestamptz END, $1, $1, $1 FROM changed
       ON CONFLICT (sku) DO UPDATE
          SET is_discontinued = EXCLUDED.is_discontinued,
              discontinued_at = CASE WHEN EXCLUDED.is_discontinued THEN coalesce(inventory_items.discontinued_at, EXCLUDED.discontinued_at) END,
              last_synced_at = EXCLUDED.last_synced_at,
              updated_at = EXCLUDED.updated_at
       RETURNING 1
     )
     SELECT (SELECT count(*) FROM changed WHERE NOT created)::text AS flags_changed,
            (SELECT count(*) FROM changed WHERE discontinued)::text AS discontinued,
            (SELECT count(*) FROM written)::text AS written`,
    [options.now, options.mode],
  );
  const flagsChanged = Number(items[0]?.flags_changed ?? 0);
  const discontinued = Number(items[0]?.discontinued ?? 0);

  const { rows: written } = await tx.query<{ levels: string; events: string }>(
    `WITH diff AS (
       SELECT s.sku, s.location_id, s.qty, l.on_hand, coalesce(l.reserved, 0) AS reserved
         FROM ${STAGING_TABLE} s
         LEFT JOIN stock_levels l ON l.sku = s.sku AND l.location_id = s.location_id
        WHERE l.sku IS NULL OR l.on_hand <> s.qty
     ),
     levels AS (
       INSERT INTO stock_levels (sku, location_id, on_hand, reserved, updated_at)
       SELECT sku, location_id, qty, 0, $1 FROM diff
       ON CONFLICT (sku, location_id) DO UPDATE SET on_hand = EXCLUDED.on_hand, updated_at = EXCLUDED.updated_at
       RETURNING 1
     ),
     events AS (
       INSERT INTO stock_events (sku, location_id, previous_available, available, delta, reason, occurred_at)
       SELECT sku, location_id, greatest(0, coalesce(on_hand, 0) - reserved), greatest(0, qty - reserved), qty - coalesce(on_hand, 0), 'ERP_SYNC', $1
         FROM diff WHERE qty <> coalesce(on_hand, 0)
        ORDER BY location_id, sku
       RETURNING 1
     )
     SELECT (SELECT count(*) FROM levels)::text AS levels, (SELECT count(*) FROM events)::text AS events`,
    [options.now],
  );
  const row = written[0] as { levels: string; events: string };
  return {
    duplicates,
    skusProcessed: Number(counted[0]?.processed ?? 0),
    drift,
    itemsChanged: Number(row.levels) + flagsChanged,
    eventsEmitted: Number(row.events),
    discontinued,
  };
}

/** How far the ledger is from the ERP's snapshot, before it is applied. */
async function measureDrift(tx: Queryable, mode: SyncMode, warehouseIds: readonly string[]): Promise<SyncDrift> {
  const { rows: totals } = await tx.query<{ differing: string; unknown: string }>(
    `SELECT count(*) FILTER (WHERE l.sku IS NULL OR l.on_hand <> s.qty)::text AS differing,
            count(*) FILTER (WHERE l.sku IS NULL)::text AS unknown
       FROM ${STAGING_TABLE} s LEFT JOIN stock_levels l ON l.sku = s.sku AND l.location_id = s.location_id`,
  );
  const { rows: largest } = await tx.query<{ sku: string; location_id: string; erp: number; ledger: number }>(
    `SELECT s.sku, s.location_id, s.qty AS erp, coalesce(l.on_hand, 0) AS ledger
       FROM ${STAGING_TABLE} s LEFT JOIN stock_levels l ON l.sku = s.sku AND l.location_id = s.location_id
      WHERE l.sku IS NULL OR l.on_hand <> s.qty
      ORDER BY abs(s.qty - coalesce(l.on_hand, 0)) DESC, s.location_id, s.sku
      LIMIT ${DRIFT_SAMPLE}`,
  );
  let missingFromErp = 0;
  if (mode === 'FULL') {
    const { rows } = await tx.query<{ missing: string }>(
      `SELECT count(*)::text AS missing FROM stock_levels l
        WHERE l.location_id = ANY($1::text[])
          AND NOT EXISTS (SELECT 1 FROM ${STAGING_TABLE} s WHERE s.sku = l.sku AND s.location_id = l.location_id)`,
      [warehouseIds],
    );
    missingFromErp = Number(rows[0]?.missing ?? 0);
  }
  const t = totals[0] ?? { differing: '0', unknown: '0' };
  return {
    levelsDiffering: Number(t.differing),
    unknownToLedger: Number(t.unknown),
    missingFromErp,
    largest: largest.map((r) => ({ sku: r.sku, locationId: r.location_id, erp: r.erp, ledger: r.ledger, difference: r.erp - r.ledger })),
  };
}
