import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../lib/db/database.js';
import { migrate } from '../../../lib/db/migrate.js';
import { openTestDatabase } from '../../../test/support/database.js';
import { INVENTORY_MIGRATIONS, MIGRATION_LOCK } from '../ledger/migrations.js';
import { SyncJobRepository } from './sync-job-repository.js';

/** The job log on the real PostgreSQL. */
let db: Database;
beforeAll(async () => {
  db = await openTestDatabase('sync_jobs');
  await migrate(db, MIGRATION_LOCK, INVENTORY_MIGRATIONS);
});
afterAll(() => db?.close());

describe('SyncJobRepository', () => {
  it('lists the newest jobs first by number, past job 9 too (ids are answered as text)', async () => {
    const jobs = new SyncJobRepository(db);
    for (let i = 0; i < 12; i++) {
      const begun = await jobs.begin({ mode: 'FULL', triggeredBy: 'test', timeoutMs: 60_000, graceMs: 60_000 });
      if (!('started' in begun)) throw new Error('a job was left running');
      await jobs.fail(begun.started.id, 'test', {}, 1);
    }
    const ids = (await jobs.list(5)).map((j) => Number(j.id));
    const newest = Math.max(...(await jobs.list(200)).map((j) => Number(j.id)));
    expect(newest).toBeGreaterThanOrEqual(12);
    expect(ids).toEqual([newest, newest - 1, newest - 2, newest - 3, newest - 4]);
  });
});
