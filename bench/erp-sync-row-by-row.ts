import type { Database } from '../lib/db/database.js';
import type { BenchErp } from './erp-sync-erp-server.js';

export interface RowByRowResult {
  records: number;
  payloadBytes: number;
  /** Request to the last byte, then JSON.parse of the whole body. */
  fetchMs: number;
  parseMs: number;
  /** The transaction, commit included. */
  applyMs: number;
  statements: number;
  levelsWritten: number;
  eventsEmitted: number;
  /** Heap the parsed payload took (heapUsed around JSON.parse): what the set-based sync never holds. */
  parsedHeapMiB: number;
}

interface ErpRecord {
  sku: string;
  qty: number;
  discontinued?: boolean;
}

/**
 * The plan spec 002's sequence diagram draws, as directly as it reads: the
 * payload fetched and parsed whole, then one transaction where, for each
 * record, the level is looked up by SKU and location (FOR UPDATE: the spec's
 * row-level locking), updated if it exists or
 * inserted if not, the discontinued flag set when the ERP says so, and an
 * ERP_SYNC event written when the quantity changed: one statement at a time,
 * each awaited. Its statements are prepared once (`prepareAs`), the best a
 * per-row plan can do, so the comparison does not flatter ours. No archive and
 * no job row: it does less than the sync it is compared with.
 */
export async function runRowByRow(db: Database, erp: BenchErp): Promise<RowByRowResult> {
  const started = performance.now();
  const res = await fetch(`${erp.url}/inventory?warehouse=${encodeURIComponent(erp.warehouseId)}`, { headers: { authorization: `Bearer ${erp.token}` } });
  if (!res.ok) throw new Error(`GET /inventory answered ${res.status}`);
  const body = await res.text();
  const fetched = performance.now();
  const heapBefore = process.memoryUsage().heapUsed;
  const records = JSON.parse(body) as ErpRecord[];
  const parsedHeapMiB = (process.memoryUsage().heapUsed - heapBefore) / 1024 / 1024;
  const parsed = performance.now();

  const warehouse = erp.warehouseId;
  const now = new Date();
  let statements = 0;
  let levelsWritten = 0;
  let eventsEmitted = 0;
  await db.transaction(async (tx) => {
    await tx.query('SET LOCAL statement_timeout = 0');
    for (const r of records) {
      const { rows } = await tx.query<{ on_hand: number }>('SELECT on_hand FROM stock_levels WHERE sku = $1 AND location_id = $2 FOR UPDATE', [r.sku, warehouse], {
        prepareAs: 'rbr_find',
      });
      const before = rows[0]?.on_hand;
      if (before === undefined) {
        await tx.query('INSERT INTO stock_levels (sku, location_id, on_hand, reserved, updated_at) VALUES ($1, $2, $3, 0, $4)', [r.sku, warehouse, r.qty, now], {
          prepareAs: 'rbr_insert',
        });
      } else {
        await tx.query('UPDATE stock_levels SET on_hand = $3, updated_at = $4 WHERE sku = $1 AND location_id = $2', [r.sku, warehouse, r.qty, now], {
          prepareAs: 'rbr_update',
        });
      }
      statements += 2;
      levelsWritten++;
      if (r.discontinued) {
        await tx.query('UPDATE inventory_items SET is_discontinued = true, discontinued_at = coalesce(discontinued_at, $2) WHERE sku = $1', [r.sku, now], {
          prepareAs: 'rbr_discontinue',
        });
        statements++;
      }
      if (r.qty !== (before ?? 0)) {
        await tx.query(
          `INSERT INTO stock_events (sku, location_id, previous_available, available, delta, reason, occurred_at) VALUES ($1, $2, $3, $4, $5, 'ERP_SYNC', $6)`,
          [r.sku, warehouse, Math.max(0, before ?? 0), r.qty, r.qty - (before ?? 0), now],
          { prepareAs: 'rbr_event' },
        );
        statements++;
        eventsEmitted++;
      }
    }
  });
  return {
    records: records.length,
    payloadBytes: Buffer.byteLength(body),
    fetchMs: fetched - started,
    parseMs: parsed - fetched,
    applyMs: performance.now() - parsed,
    statements,
    levelsWritten,
    eventsEmitted,
    parsedHeapMiB,
  };
}
