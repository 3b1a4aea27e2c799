import type { Database } from '../../lib/db/database.js';
import type { SourceRecord } from '../../lib/graphql/shared-types.js';
import type { Customer } from './customer.js';
import type { GoldenRecord } from './matching/golden-record.js';

interface CustomerRow {
  id: string;
  name: string;
  email: string | null;
  phone: string | null;
  loyalty_id: string | null;
  source_records: SourceRecord[] | string;
}

/** A golden customer with its source records aggregated in the same row, so one query answers both. */
const CUSTOMER_COLUMNS = `
  g.id, g.name, g.email, g.phone, g.loyalty_id,
  COALESCE((
    SELECT json_agg(json_build_object('system', s.system, 'externalId', s.external_id) ORDER BY s.system, s.external_id COLLATE "C")
    FROM customer_source_records s WHERE s.golden_id = g.id
  ), '[]'::json) AS source_records`;

/** Rows per INSERT: big enough to be bulk, small enough to keep one parameter a few MB. */
const INSERT_CHUNK = 2_000;

const toCustomer = (row: CustomerRow): Customer => ({
  id: row.id,
  name: row.name,
  email: row.email,
  phone: row.phone,
  loyaltyId: row.loyalty_id,
  sourceRecords: typeof row.source_records === 'string' ? (JSON.parse(row.source_records) as SourceRecord[]) : row.source_records,
});

export const sourceKey = (source: SourceRecord) => `${source.system}:${source.externalId}`;

/** Golden customers and the source records merged into them, in PostgreSQL (or PGlite). */
export class CustomerRepository {
  constructor(private readonly db: Database) {}

  async isEmpty(): Promise<boolean> {
    const { rows } = await this.db.query<{ found: boolean }>('SELECT EXISTS (SELECT 1 FROM golden_customers) AS found');
    return !rows[0]?.found;
  }

  /** The customers with these ids, by id; unknown ids are absent. One query. */
  async findByIds(ids: readonly string[]): Promise<Map<string, Customer>> {
    const { rows } = await this.db.query<CustomerRow>(`SELECT ${CUSTOMER_COLUMNS} FROM golden_customers g WHERE g.id = ANY($1::text[])`, [ids]);
    return new Map(rows.map((row) => [row.id, toCustomer(row)]));
  }

  /** The customers owning these source records, by `system:externalId`; unknown records are absent. One query. */
  async findBySourceRecords(sources: readonly SourceRecord[]): Promise<Map<string, Customer>> {
    const { rows } = await this.db.query<CustomerRow & { key_system: string; key_external_id: string }>(
      `SELECT k.system AS key_system, k.external_id AS key_external_id, ${CUSTOMER_COLUMNS}
       FROM customer_source_records k JOIN golden_customers g ON g.id = k.golden_id
       WHERE (k.system, k.external_id) IN (SELECT * FROM unnest($1::text[], $2::text[]))`,
      [sources.map((s) => s.system), sources.map((s) => s.externalId)],
    );
    return new Map(rows.map((row) => [sourceKey({ system: row.key_system, externalId: row.key_external_id }), toCustomer(row)]));
  }

  /**
   * Stores the golden records of a first ingestion in one transaction, with
   * bulk inserts. Under an advisory lock, and only while the tables are still
   * empty: when replicas start together, one stores and the others find it
   * done (answering false).
   */
  async storeInitial(golden: readonly GoldenRecord[]): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      await tx.query("SELECT pg_advisory_xact_lock(hashtext('customer_ingest'))");
      const { rows } = await tx.query<{ found: boolean }>('SELECT EXISTS (SELECT 1 FROM golden_customers) AS found');
      if (rows[0]?.found) return false;
      for (let i = 0; i < golden.length; i += INSERT_CHUNK) {
        const chunk = golden.slice(i, i + INSERT_CHUNK).map((g) => ({ id: g.id, name: g.name, email: g.email, phone: g.phone, loyalty_id: g.loyaltyId }));
        await tx.query(
          `INSERT INTO golden_customers (id, name, email, phone, loyalty_id)
           SELECT id, name, email, phone, loyalty_id
           FROM jsonb_to_recordset($1::jsonb) AS r(id text, name text, email text, phone text, loyalty_id text)`,
          [JSON.stringify(chunk)],
        );
      }
      const sources = golden.flatMap((g) => g.records.map((r) => ({ system: r.system, external_id: r.externalId, golden_id: g.id, raw: r.raw ?? {} })));
      for (let i = 0; i < sources.length; i += INSERT_CHUNK) {
        await tx.query(
          `INSERT INTO customer_source_records (system, external_id, golden_id, raw)
           SELECT system, external_id, golden_id, raw
           FROM jsonb_to_recordset($1::jsonb) AS r(system text, external_id text, golden_id text, raw jsonb)`,
          [JSON.stringify(sources.slice(i, i + INSERT_CHUNK))],
        );
      }
      return true;
    });
  }
}
