import type { Migration } from '../../lib/db/migrate.js';

/** The customer subgraph's tables; ids are prefixed so they never clash with another subgraph's in a shared schema. */
export const CUSTOMER_MIGRATIONS: readonly Migration[] = [
  {
    id: 'customer_001_golden_records',
    sql: `
CREATE TABLE golden_customers (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  email TEXT,
  phone TEXT,
  loyalty_id TEXT,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE TABLE customer_source_records (
  system TEXT NOT NULL CHECK (system IN ('CRM', 'POS', 'MAGENTO')),
  external_id TEXT NOT NULL,
  golden_id TEXT NOT NULL REFERENCES golden_customers (id) ON DELETE CASCADE,
  raw JSONB NOT NULL,
  PRIMARY KEY (system, external_id)
);
CREATE INDEX customer_source_records_golden_id ON customer_source_records (golden_id);
`,
  },
];

/** The advisory lock migrations take, so several replicas can start at once. */
export const CUSTOMER_MIGRATION_LOCK = 'customer';
