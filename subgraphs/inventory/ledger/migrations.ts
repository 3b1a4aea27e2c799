import type { Migration } from '../../../lib/db/migrate.js';

/** The advisory-lock name the inventory subgraph migrates under. */
export const MIGRATION_LOCK = 'inventory';

/**
 * The stock ledger. Designed for what later issues add on top:
 * - `stock_levels`: the current level per SKU and location; `reserved` is held
 *   by order sagas (RESERVATION/RELEASE), `available` = max(0, on_hand - reserved).
 * - `stock_events`: every change, in one transaction with the level it changed:
 *   the outbox the event bus publishes from and `stockChanged` resumes after
 *   (`event_id` increases). `source_event_id` is unique, so a POS webhook
 *   delivered twice is applied once.
 * - `inventory_items`: one row per SKU, shaped after spec 002's `inventory`
 *   table: discontinued flag, and when an ERP sync last changed it (a sync
 *   that changes nothing writes nothing).
 * Ids carry the `inventory_` prefix: one PostgreSQL schema serves several subgraphs.
 * `stock_levels` has no index on `location_id` alone: with a few dozen
 * locations it would not be selective, and it slows the bulk first-start load
 * by a third; lookups go by SKU (the primary key). Its `sku` is not a foreign
 * key to `inventory_items`: a store may sell a SKU before the ERP lists it.
 */
export const INVENTORY_MIGRATIONS: readonly Migration[] = [
  {
    id: 'inventory_001_ledger',
    sql: `
CREATE TABLE locations (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  type TEXT NOT NULL CHECK (type IN ('WAREHOUSE', 'STORE')),
  source TEXT NOT NULL CHECK (source IN ('erp', 'pos'))
);

CREATE TABLE inventory_items (
  sku TEXT PRIMARY KEY,
  is_discontinued BOOLEAN NOT NULL DEFAULT FALSE,
  discontinued_at TIMESTAMPTZ,
  last_synced_at TIMESTAMPTZ,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE stock_levels (
  sku TEXT NOT NULL,
  location_id TEXT NOT NULL REFERENCES locations (id),
  on_hand INTEGER NOT NULL,
  reserved INTEGER NOT NULL DEFAULT 0 CHECK (reserved >= 0),
  updated_at TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (sku, location_id)
);

CREATE TABLE stock_events (
  event_id BIGSERIAL PRIMARY KEY,
  sku TEXT NOT NULL,
  location_id TEXT NOT NULL REFERENCES locations (id),
  previous_available INTEGER NOT NULL,
  available INTEGER NOT NULL,
  delta INTEGER NOT NULL,
  reason TEXT NOT NULL CHECK (reason IN ('SALE', 'RETURN', 'ADJUSTMENT', 'ERP_SYNC', 'RESERVATION', 'RELEASE')),
  source_event_id TEXT UNIQUE,
  occurred_at TIMESTAMPTZ NOT NULL,
  recorded_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE INDEX stock_events_sku_event_id ON stock_events (sku, event_id);
CREATE INDEX stock_events_location_id_event_id ON stock_events (location_id, event_id);
`,
  },
  /**
   * Oversells are recorded, not hidden: a till that sold 3 when the books held
   * 1 takes `on_hand` to -2 (the record of what happened: a later count or
   * delivery corrects it), `available` stays floored at 0, and the event says
   * `oversold` = 2. `note` is what operations staff wrote with an adjustment.
   */
  {
    id: 'inventory_002_oversold_and_note',
    sql: `
ALTER TABLE stock_events ADD COLUMN oversold INTEGER NOT NULL DEFAULT 0 CHECK (oversold >= 0);
ALTER TABLE stock_events ADD COLUMN note TEXT;
`,
  },
  /**
   * ERP sync jobs (spec 002's `sync_jobs`, its columns kept by name, with
   * what the job also measures). At most one job is `running`: the partial
   * unique index is the overlap lock, held in the database so two processes on
   * two machines cannot both run. `deadline_at` is when the job's own timeout
   * stops it; one still `running` well past it died with its process, and the
   * next start marks it failed, so a dead job never blocks forever.
   */
  {
    id: 'inventory_003_sync_jobs',
    sql: `
CREATE TABLE sync_jobs (
  id BIGSERIAL PRIMARY KEY,
  mode TEXT NOT NULL CHECK (mode IN ('FULL', 'INCREMENTAL')),
  status TEXT NOT NULL CHECK (status IN ('running', 'completed', 'failed')),
  triggered_by TEXT NOT NULL,
  started_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  deadline_at TIMESTAMPTZ NOT NULL,
  completed_at TIMESTAMPTZ,
  modified_since TIMESTAMPTZ,
  skus_processed INTEGER NOT NULL DEFAULT 0,
  items_changed INTEGER NOT NULL DEFAULT 0,
  events_emitted INTEGER NOT NULL DEFAULT 0,
  invalid_records INTEGER NOT NULL DEFAULT 0,
  discontinued INTEGER NOT NULL DEFAULT 0,
  api_latency_ms INTEGER,
  duration_ms INTEGER,
  error_message TEXT,
  s3_backup_path TEXT,
  drift JSONB
);

CREATE UNIQUE INDEX sync_jobs_one_running ON sync_jobs (status) WHERE status = 'running';
CREATE INDEX sync_jobs_started_at ON sync_jobs (started_at);
`,
  },
  /**
   * The hot path of POS webhooks and `adjustStock` in one statement, so one
   * round trip: lock, the top of the ledger before the write (the outbox
   * relay's fast path), then per change in the order given: duplicate (its
   * source id is recorded, earlier in this call too), rejected (unknown
   * location or one of the wrong kind), or applied (level upserted, event
   * inserted). A statement in a PL/pgSQL function sees what the statements
   * before it wrote, and each takes a new snapshot after the lock, so writers
   * on other replicas are seen once they commit. Called outside a
   * transaction, the call commits as a whole or not at all.
   */
  {
    id: 'inventory_004_write_changes',
    sql: `
CREATE FUNCTION inventory_write_changes(
  lock_key BIGINT,
  skus TEXT[],
  location_ids TEXT[],
  deltas INTEGER[],
  reasons TEXT[],
  source_event_ids TEXT[],
  occurred_ats TIMESTAMPTZ[],
  notes TEXT[],
  location_types TEXT[]
) RETURNS TABLE (
  outcome TEXT,
  new_event_id BIGINT,
  available_before INTEGER,
  available_after INTEGER,
  units_oversold INTEGER,
  location_kind TEXT,
  ledger_top BIGINT
) LANGUAGE plpgsql AS $fn$
DECLARE
  kind TEXT;
  on_hand_after INTEGER;
  reserved_now INTEGER;
BEGIN
  PERFORM pg_advisory_xact_lock(lock_key);
  SELECT coalesce(max(e.event_id), 0) INTO ledger_top FROM stock_events e;
  FOR i IN 1 .. coalesce(array_length(skus, 1), 0) LOOP
    outcome := 'applied';
    new_event_id := NULL;
    available_before := NULL;
    available_after := NULL;
    units_oversold := NULL;
    location_kind := NULL;
    IF source_event_ids[i] IS NOT NULL AND EXISTS (SELECT 1 FROM stock_events e WHERE e.source_event_id = source_event_ids[i]) THEN
      outcome := 'duplicate';
    ELSE
      SELECT l.type INTO kind FROM locations l WHERE l.id = location_ids[i];
      location_kind := kind;
      IF kind IS NULL OR (location_types[i] IS NOT NULL AND kind <> location_types[i]) THEN
        outcome := 'rejected';
      ELSE
        INSERT INTO stock_levels AS s (sku, location_id, on_hand, reserved, updated_at)
        VALUES (skus[i], location_ids[i], deltas[i], 0, occurred_ats[i])
        ON CONFLICT (sku, location_id) DO UPDATE
          SET on_hand = s.on_hand + EXCLUDED.on_hand,
              updated_at = GREATEST(s.updated_at, EXCLUDED.updated_at)
        RETURNING s.on_hand, s.reserved INTO on_hand_after, reserved_now;
        available_before := GREATEST(0, on_hand_after - deltas[i] - reserved_now);
        available_after := GREATEST(0, on_hand_after - reserved_now);
        units_oversold := CASE WHEN deltas[i] < 0 THEN GREATEST(0, -deltas[i] - available_before) ELSE 0 END;
        INSERT INTO stock_events AS e (sku, location_id, previous_available, available, delta, reason, source_event_id, occurred_at, oversold, note)
        VALUES (skus[i], location_ids[i], available_before, available_after, deltas[i], reasons[i], source_event_ids[i], occurred_ats[i], units_oversold, notes[i])
        RETURNING e.event_id INTO new_event_id;
      END IF;
    END IF;
    RETURN NEXT;
  END LOOP;
END
$fn$;
`,
  },
];
