import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../lib/db/database.js';
import { migrate } from '../../lib/db/migrate.js';
import { record } from '../../test/support/customer-records.js';
import { openTestDatabase } from '../../test/support/database.js';
import { CustomerRepository } from './customer-repository.js';
import { matchCustomers } from './matching/match-customers.js';
import { CUSTOMER_MIGRATION_LOCK, CUSTOMER_MIGRATIONS } from './migrations.js';

const golden = matchCustomers([
  record({ system: 'CRM', externalId: '003A', firstName: 'Ann', lastName: 'Lee', email: 'ann.lee@gmail.com', raw: { Id: '003A', Email: 'ann.lee@gmail.com' } }),
  record({ system: 'POS', externalId: 'L7', firstName: 'Annie', lastName: 'LEE', email: 'AnnLee+store@gmail.com', loyaltyId: 'L7', raw: { loyaltyId: 'L7' } }),
  record({ system: 'MAGENTO', externalId: '12', firstName: 'Ann', lastName: 'Lee', email: 'annlee@gmail.com', raw: { id: 12 } }),
  record({ system: 'MAGENTO', externalId: '9', firstName: 'Bo', lastName: 'Kim', email: 'bo@example.org', raw: { id: 9 } }),
]);
const [ann, bo] = golden as [(typeof golden)[0], (typeof golden)[0]];

const opened: Database[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((db) => db.close()));
});

describe.each([
  ['PostgreSQL', () => openTestDatabase('customer_repo')],
  ['PGlite', () => openDatabase({})],
])('CustomerRepository on %s', (_kind, open) => {
  const repository = async () => {
    const db = await open();
    opened.push(db);
    await migrate(db, CUSTOMER_MIGRATION_LOCK, CUSTOMER_MIGRATIONS);
    return { db, repository: new CustomerRepository(db) };
  };

  it('stores the first ingestion once, with every source record and its raw copy', async () => {
    const { db, repository: repo } = await repository();
    expect(await repo.isEmpty()).toBe(true);
    expect(await repo.storeInitial(golden)).toBe(true);
    expect(await repo.isEmpty()).toBe(false);
    expect(await repo.storeInitial(golden)).toBe(false);
    const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM customer_source_records');
    expect(rows[0]!.n).toBe(4);
    const raw = await db.query<{ raw: unknown }>("SELECT raw FROM customer_source_records WHERE system = 'MAGENTO' AND external_id = '12'");
    expect(raw.rows[0]!.raw).toEqual({ id: 12 });
  });

  it('finds customers by id and by source record, with their source records in a stable order', async () => {
    const { repository: repo } = await repository();
    await repo.storeInitial(golden);
    const byId = await repo.findByIds([ann.id, 'cus_unknown', bo.id]);
    expect([...byId.keys()].sort()).toEqual([ann.id, bo.id].sort());
    expect(byId.get(ann.id)).toEqual({
      id: ann.id,
      name: 'Ann Lee',
      email: 'ann.lee@gmail.com',
      phone: null,
      loyaltyId: 'L7',
      sourceRecords: [
        { system: 'CRM', externalId: '003A' },
        { system: 'MAGENTO', externalId: '12' },
        { system: 'POS', externalId: 'L7' },
      ],
    });
    const bySource = await repo.findBySourceRecords([
      { system: 'POS', externalId: 'L7' },
      { system: 'MAGENTO', externalId: '9' },
      { system: 'MAGENTO', externalId: '404' },
    ]);
    expect([...bySource.keys()].sort()).toEqual(['MAGENTO:9', 'POS:L7']);
    expect(bySource.get('POS:L7')!.id).toBe(ann.id);
    expect(bySource.get('MAGENTO:9')).toMatchObject({ id: bo.id, sourceRecords: [{ system: 'MAGENTO', externalId: '9' }] });
    expect((await repo.findByIds([])).size).toBe(0);
  });
});
