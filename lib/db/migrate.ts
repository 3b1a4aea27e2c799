import type { Database } from './database.js';

export interface Migration {
  /** Sortable and unique within its service, e.g. `001_ledger`. */
  id: string;
  sql: string;
}

/**
 * Applies the migrations not yet applied, in id order, each in its own
 * transaction. An advisory lock keyed by `lockName` lets several processes
 * start at once against one PostgreSQL: one migrates, the others wait.
 */
export async function migrate(db: Database, lockName: string, migrations: readonly Migration[]): Promise<string[]> {
  // Under a lock every service shares: two processes racing on CREATE TABLE IF NOT EXISTS can both try to create it.
  await db.transaction(async (tx) => {
    await tx.query("SELECT pg_advisory_xact_lock(hashtext('schema_migrations'))");
    await tx.query('CREATE TABLE IF NOT EXISTS schema_migrations (id TEXT PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())');
  });
  const applied: string[] = [];
  for (const migration of [...migrations].sort((a, b) => a.id.localeCompare(b.id))) {
    const done = await db.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [lockName]);
      const { rows } = await tx.query('SELECT 1 FROM schema_migrations WHERE id = $1', [migration.id]);
      if (rows.length > 0) return false;
      for (const statement of splitStatements(migration.sql)) await tx.query(statement);
      await tx.query('INSERT INTO schema_migrations (id) VALUES ($1)', [migration.id]);
      return true;
    });
    if (done) applied.push(migration.id);
  }
  return applied;
}

/**
 * Splits on `;` at line ends, outside dollar-quoted bodies (`$fn$ … $fn$`,
 * a function's): migrations keep one statement per `;`, no `;` at a line's
 * end inside a quoted string, and no `$tag$` in a string or comment.
 */
function splitStatements(sql: string): string[] {
  const statements: string[] = [];
  let start = 0;
  // A dollar quote opens and closes with the same tag; a `;` at a line end between them is the body's.
  const tokens = /(?<![\w$])\$([A-Za-z_]\w*)?\$|;\s*(?:\n|$)/g;
  let quote: string | undefined;
  for (let m = tokens.exec(sql); m !== null; m = tokens.exec(sql)) {
    if (m[0].startsWith('$')) {
      if (quote === undefined) quote = m[0];
      else if (quote === m[0]) quote = undefined;
    } else if (quote === undefined) {
      statements.push(sql.slice(start, m.index));
      start = m.index + m[0].length;
    }
  }
  statements.push(sql.slice(start));
  return statements.map((s) => s.trim()).filter((s) => s.length > 0);
}
