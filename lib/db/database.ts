import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';

export interface QueryResult<R> {
  rows: R[];
  affectedRows?: number;
}

export interface QueryOptions {
  /**
   * Prepares the statement once per connection under this name (PostgreSQL):
   * later runs send only the parameters, and PostgreSQL does not parse it
   * again. For hot statements with constant text; unique per text.
   */
  prepareAs?: string;
}

export interface Queryable {
  /** One statement with `$1`-style parameters. */
  query<R = Record<string, unknown>>(sql: string, params?: unknown[], options?: QueryOptions): Promise<QueryResult<R>>;
}

export interface Database extends Queryable {
  readonly kind: 'postgres' | 'pglite';
  /** Several statements, no parameters (migrations). */
  exec(sql: string): Promise<void>;
  /** Runs `fn` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** PostgreSQL connection URL; unset: embedded PGlite. */
  url?: string;
  /** PGlite data directory; unset: in memory. */
  pgliteDataDir?: string;
  /** A PostgreSQL schema to work in (created if missing); lets tests share one database. */
  schema?: string;
  /** Pool size for PostgreSQL. @default 10 */
  poolSize?: number;
  /** Statement timeout for PostgreSQL, in ms. @default 30000 */
  statementTimeoutMs?: number;
}

/** PostgreSQL through `pg` when a URL is given, embedded PGlite otherwise. */
export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  // The schema name is written into SQL, so it must be a plain identifier.
  if (options.schema && !/^[a-z_][a-z0-9_]*$/.test(options.schema)) throw new Error(`Bad schema name: ${options.schema}`);
  return options.url ? openPostgres(options.url, options) : openPglite(options);
}

async function openPostgres(url: string, options: DatabaseOptions): Promise<Database> {
  const schema = options.schema;
  if (schema) {
    const admin = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
    await admin.connect();
    try {
      await admin.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`).catch((err: { code?: string }) => {
        // Two services creating it at the same instant: IF NOT EXISTS does not cover the race.
        if (err.code !== '23505' && err.code !== '42P06') throw err;
      });
    } finally {
      await admin.end();
    }
  }
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize ?? 10,
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
    statement_timeout: options.statementTimeoutMs ?? 30_000,
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
  });
  // An idle client's error (server restart) must not crash the process; the pool replaces it.
  pool.on('error', () => undefined);
  const run = async <R>(client: pg.Pool | pg.PoolClient, sql: string, params?: unknown[], options?: QueryOptions): Promise<QueryResult<R>> => {
    const result = options?.prepareAs
      ? await client.query({ name: options.prepareAs, text: sql, values: params as unknown[] })
      : await client.query(sql, params as unknown[]);
    return { rows: result.rows as R[], affectedRows: result.rowCount ?? undefined };
  };
  return {
    kind: 'postgres',
    query: (sql, params, options) => run(pool, sql, params, options),
    exec: async (sql) => {
      await pool.query(sql);
    },
    transaction: async (fn) => {
      const client = await pool.connect();
      let broken: Error | undefined;
      try {
        await client.query('BEGIN');
        const result = await fn({ query: (sql, params, options) => run(client, sql, params, options) });
        await client.query('COMMIT');
        return result;
      } catch (err) {
        // A connection that cannot even roll back is not handed to the next caller.
        await client.query('ROLLBACK').catch((rollbackError: Error) => (broken = rollbackError));
        throw err;
      } finally {
        client.release(broken);
      }
    },
    close: () => pool.end(),
  };
}

async function openPglite(options: DatabaseOptions): Promise<Database> {
  const db = await PGlite.create(options.pgliteDataDir);
  if (options.schema) {
    await db.exec(`CREATE SCHEMA IF NOT EXISTS ${options.schema}; SET search_path TO ${options.schema}`);
  }
  const run = async <R>(q: Pick<PGlite, 'query'>, sql: string, params?: unknown[]): Promise<QueryResult<R>> => {
    const result = await q.query<R>(sql, params);
    return { rows: result.rows, affectedRows: result.affectedRows };
  };
  return {
    kind: 'pglite',
    query: (sql, params) => run(db, sql, params),
    exec: async (sql) => {
      await db.exec(sql);
    },
    transaction: (fn) => db.transaction((tx) => fn({ query: (sql, params) => run(tx, sql, params) })),
    close: () => db.close(),
  };
}

/** True while the database answers a trivial query: what a subgraph's `/readyz` checks. */
export function isReachable(db: Queryable): Promise<boolean> {
  return db.query('SELECT 1').then(
    () => true,
    () => false,
  );
}
