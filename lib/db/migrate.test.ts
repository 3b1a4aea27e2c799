import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from './database.js';
import { migrate } from './migrate.js';
import { openTestDatabase, TEST_DATABASE_URL } from '../../test/support/database.js';

const MIGRATIONS = [
  { id: 'demo_002_index', sql: 'CREATE INDEX demo_items_name ON demo_items (name);' },
  { id: 'demo_001_items', sql: 'CREATE TABLE demo_items (id INT PRIMARY KEY, name TEXT NOT NULL);\nINSERT INTO demo_items VALUES (1, \'one\');' },
];

const opened: Database[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((db) => db.close()));
});

describe.each([
  ['PostgreSQL', () => openTestDatabase('migrate')],
  ['PGlite', () => openDatabase({})],
])('migrate on %s', (_kind, open) => {
  it('applies pending migrations once, in id order', async () => {
    const db = await open();
    opened.push(db);
    expect(await migrate(db, 'demo', MIGRATIONS)).toEqual(['demo_001_items', 'demo_002_index']);
    expect(await migrate(db, 'demo', MIGRATIONS)).toEqual([]);
    expect((await db.query<{ name: string }>('SELECT name FROM demo_items')).rows).toEqual([{ name: 'one' }]);
  });

  it('rolls a failing migration back whole', async () => {
    const db = await open();
    opened.push(db);
    const broken = [{ id: 'demo_001_bad', sql: 'CREATE TABLE demo_bad (id INT);\nINSERT INTO demo_bad VALUES (\'not a number\');' }];
    await expect(migrate(db, 'demo', broken)).rejects.toThrow();
    expect((await db.query("SELECT to_regclass('demo_bad') AS t")).rows).toEqual([{ t: null }]);
  });
});

describe('migrate on PostgreSQL, several processes at once', () => {
  it('lets one migrate while the others wait, so each migration runs once', async () => {
    const first = await openTestDatabase('migrate');
    opened.push(first);
    const others = await Promise.all([1, 2].map(() => openDatabase({ url: TEST_DATABASE_URL, schema: first.schema, poolSize: 2 })));
    opened.unshift(...others);
    const applied = await Promise.all([first, ...others].map((db) => migrate(db, 'demo', MIGRATIONS)));
    expect(applied.flat().sort()).toEqual(['demo_001_items', 'demo_002_index']);
  });
});
