import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openDatabase, type Database } from '../../lib/db/database.js';

/** The PostgreSQL every development and CI machine runs; tests use it for real. */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** A fresh schema in the test database, so test files never see each other's rows. */
export function uniqueSchema(prefix: string): string {
  return `${prefix}_${randomBytes(4).toString('hex')}`.toLowerCase();
}

export async function dropSchema(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  } finally {
    await client.end();
  }
}

/** Opens the real PostgreSQL in a new schema; `close` also drops the schema. */
export async function openTestDatabase(prefix: string): Promise<Database & { schema: string }> {
  const schema = uniqueSchema(prefix);
  const db = await openDatabase({ url: TEST_DATABASE_URL, schema, poolSize: 4 });
  return {
    ...db,
    schema,
    close: async () => {
      await db.close();
      await dropSchema(schema);
    },
  };
}
