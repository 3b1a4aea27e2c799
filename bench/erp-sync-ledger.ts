import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openDatabase, type Database } from '../lib/db/database.js';
import { migrate } from '../lib/db/migrate.js';
import { INVENTORY_MIGRATIONS, MIGRATION_LOCK } from '../subgraphs/inventory/ledger/migrations.js';
import type { BenchErp } from './erp-sync-erp-server.js';

/** A migrated, empty ledger of its own: a fresh PostgreSQL schema or an in-memory PGlite. */
export interface BenchLedger {
  db: Database;
  /** Closes the database and drops the schema it made; safe to call twice. */
  close(): Promise<void>;
}

/** Rows per seeding statement: 100,000 keeps each array parameter a few MB. */
const SEED_CHUNK = 100_000;

export async function openPostgresLedger(url: string): Promise<BenchLedger> {
  const schema = `bench_erp_${randomBytes(4).toString('hex')}`;
  let db: Database | undefined;
  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      await db?.close();
      const admin = new pg.Client({ connectionString: url });
      await admin.connect();
      await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).finally(() => admin.end());
    })());
  try {
    db = await openDatabase({ url, schema, poolSize: 4 });
    await migrate(db, MIGRATION_LOCK, INVENTORY_MIGRATIONS);
    return { db, close };
  } catch (err) {
    // openDatabase may have created the schema before failing: drop it here, nobody else knows its name.
    await close().catch(() => undefined);
    throw err;
  }
}

export async function openPgliteLedger(): Promise<BenchLedger> {
  const db = await openDatabase({});
  await migrate(db, MIGRATION_LOCK, INVENTORY_MIGRATIONS);
  let closing: Promise<void> | undefined;
  return { db, close: () => (closing ??= db.close()) };
}

/**
 * The ERP's baseline as the ledger's opening balance, set-based (unnest, a
 * chunk at a time): the warehouse, one item per SKU, one level per SKU. Then
 * VACUUM ANALYZE, as a ledger that has lived a while would be: a freshly
 * bulk-loaded table has no statistics, and autovacuum would otherwise wake up
 * in the middle of a measured run. Resolves with the time it took, ms.
 */
export async function seedLedger(db: Database, erp: BenchErp): Promise<number> {
  const started = performance.now();
  const now = new Date();
  await db.transaction(async (tx) => {
    await tx.query('SET LOCAL statement_timeout = 0');
    await tx.query(`INSERT INTO locations (id, name, type, source) VALUES ($1, 'Bench Distribution Center', 'WAREHOUSE', 'erp')`, [erp.warehouseId]);
    for (let start = 0; start < erp.size; start += SEED_CHUNK) {
      const levels = Array.from({ length: Math.min(SEED_CHUNK, erp.size - start) }, (_, k) => erp.baseline(start + k));
      const skus = levels.map((l) => l.sku);
      await tx.query(
        `INSERT INTO inventory_items (sku, is_discontinued, discontinued_at, last_synced_at, created_at, updated_at)
         SELECT sku, d, CASE WHEN d THEN $3::timestamptz END, $3, $3, $3 FROM unnest($1::text[], $2::bool[]) AS t (sku, d)`,
        [skus, levels.map((l) => l.discontinued), now],
      );
      await tx.query(
        `INSERT INTO stock_levels (sku, location_id, on_hand, reserved, updated_at)
         SELECT sku, $1, qty, 0, $4 FROM unnest($2::text[], $3::int[]) AS t (sku, qty)`,
        [erp.warehouseId, skus, levels.map((l) => l.qty), now],
      );
    }
  });
  await db.exec('VACUUM ANALYZE locations, inventory_items, stock_levels');
  return performance.now() - started;
}
