import fc from 'fast-check';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../../lib/db/database.js';
import { migrate } from '../../../lib/db/migrate.js';
import { openTestDatabase } from '../../../test/support/database.js';
import { insertLocations } from './ledger-bulk-writer.js';
import { INVENTORY_MIGRATIONS, MIGRATION_LOCK } from './migrations.js';
import { LedgerWriter, writeLedgerChanges, type LedgerChange } from './ledger-writer.js';

const SKUS = ['A', 'B', 'C'];
const LOCATIONS = ['S001', 'S002', 'WH-01'];
const T0 = new Date('2026-11-01T00:00:00.000Z');

interface EventRow {
  event_id: string;
  sku: string;
  location_id: string;
  previous_available: number;
  available: number;
  delta: number;
  reason: string;
  source_event_id: string | null;
  oversold: number;
  note: string | null;
}

async function ledgerWithLocations(db: Database): Promise<void> {
  await migrate(db, MIGRATION_LOCK, INVENTORY_MIGRATIONS);
  await insertLocations(db, [
    { id: 'WH-01', name: 'Warehouse', type: 'WAREHOUSE', source: 'erp' },
    { id: 'S001', name: 'Store 1', type: 'STORE', source: 'pos' },
    { id: 'S002', name: 'Store 2', type: 'STORE', source: 'pos' },
  ]);
}

async function reset(db: Database, levels: Array<{ sku: string; locationId: string; onHand: number; reserved?: number }>): Promise<void> {
  await db.query('TRUNCATE stock_events, stock_levels');
  if (levels.length === 0) return;
  await db.query(
    `INSERT INTO stock_levels (sku, location_id, on_hand, reserved, updated_at)
     SELECT * FROM unnest($1::text[], $2::text[], $3::int[], $4::int[], $5::timestamptz[])`,
    [levels.map((l) => l.sku), levels.map((l) => l.locationId), levels.map((l) => l.onHand), levels.map((l) => l.reserved ?? 0), levels.map(() => T0)],
  );
}

const eventRows = async (db: Database) =>
  (await db.query<EventRow>('SELECT event_id::text AS event_id, sku, location_id, previous_available, available, delta, reason, source_event_id, oversold, note FROM stock_events e ORDER BY e.event_id')).rows;
const levelRows = async (db: Database) =>
  new Map(
    (await db.query<{ sku: string; location_id: string; on_hand: number; updated_at: Date }>('SELECT sku, location_id, on_hand, updated_at FROM stock_levels')).rows.map((r) => [
      `${r.sku}@${r.location_id}`,
      r,
    ]),
  );

const sale = (sku: string, locationId: string, quantity: number, id?: string, at = T0): LedgerChange => ({
  sku,
  locationId,
  delta: -quantity,
  reason: 'SALE',
  occurredAt: at,
  ...(id ? { sourceEventId: id } : {}),
});

/** A POS event as the property test generates it: a unique id, and how many times it is delivered. */
const posEvent = fc.record({
  sku: fc.constantFrom(...SKUS),
  // Now and then a location the ledger does not know: rejected on every delivery.
  locationId: fc.oneof({ weight: 12, arbitrary: fc.constantFrom(...LOCATIONS) }, { weight: 1, arbitrary: fc.constant('S404') }),
  type: fc.constantFrom('SALE', 'RETURN', 'ADJUSTMENT'),
  quantity: fc.integer({ min: 1, max: 6 }),
  sign: fc.boolean(),
  minutes: fc.integer({ min: 0, max: 24 * 60 }),
  deliveries: fc.integer({ min: 1, max: 3 }),
});
const scenario = fc.record({
  initial: fc.array(fc.record({ sku: fc.constantFrom(...SKUS), locationId: fc.constantFrom(...LOCATIONS), onHand: fc.integer({ min: -2, max: 8 }) }), { maxLength: 9 }),
  events: fc.array(posEvent, { minLength: 1, maxLength: 40 }),
  // The order deliveries arrive in, and how they are cut into batches.
  order: fc.array(fc.nat(), { minLength: 120, maxLength: 120 }),
  batches: fc.array(fc.integer({ min: 1, max: 12 }), { minLength: 120, maxLength: 120 }),
});

function forEachEngine(run: (engine: { db: () => Database; runs: number }) => void): void {
  describe.each([
    ['PostgreSQL', 50],
    ['PGlite', 15],
  ] as const)('ledger writer on %s', (engine, runs) => {
    let db: Database;
    beforeAll(async () => {
      db = engine === 'PostgreSQL' ? await openTestDatabase('ledger_writer') : await openDatabase({});
      await ledgerWithLocations(db);
    });
    afterAll(() => db?.close());
    run({ db: () => db, runs });
  });
}

forEachEngine(({ db, runs }) => {
  beforeEach(() => reset(db(), []));

  it('applies any delivery of unique events, repeated and reordered, exactly once: levels are the sum of unique deltas', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async ({ initial, events, order, batches }) => {
        const initialLevels = new Map<string, number>();
        for (const l of initial) if (!initialLevels.has(`${l.sku}@${l.locationId}`)) initialLevels.set(`${l.sku}@${l.locationId}`, l.onHand);
        await reset(
          db(),
          [...initialLevels].map(([key, onHand]) => ({ sku: key.split('@')[0]!, locationId: key.split('@')[1]!, onHand })),
        );
        const changes = events.map((e, i): LedgerChange => {
          const quantity = e.type === 'ADJUSTMENT' && e.sign ? -e.quantity : e.quantity;
          return {
            sku: e.sku,
            locationId: e.locationId,
            delta: e.type === 'SALE' ? -quantity : quantity,
            reason: e.type,
            occurredAt: new Date(T0.getTime() + e.minutes * 60_000),
            sourceEventId: `pos-main:pos-main-${i}`,
            locationType: 'STORE',
          };
        });
        const deliveries = changes.flatMap((c, i) => Array.from({ length: events[i]!.deliveries }, () => c));
        const shuffled = deliveries.map((c, i) => ({ c, k: order[i % order.length]! * 1000 + i })).sort((a, b) => a.k - b.k).map((x) => x.c);

        let applied = 0;
        let duplicates = 0;
        let rejected = 0;
        for (let i = 0, b = 0; i < shuffled.length; b++) {
          const size = batches[b % batches.length]!;
          const result = await writeLedgerChanges(db(), shuffled.slice(i, i + size));
          applied += result.applied.length;
          duplicates += result.duplicates.length;
          rejected += result.outcomes.filter((o) => o.status === 'rejected').length;
          i += size;
        }

        // Only stores take POS events; a warehouse or an unknown location rejects every delivery.
        const accepted = changes.filter((c) => c.locationId.startsWith('S0') && c.locationId !== 'S404');
        expect(applied).toBe(accepted.length);
        expect(rejected).toBe(deliveries.filter((c) => !accepted.includes(c)).length);
        expect(duplicates).toBe(deliveries.length - applied - rejected);

        const rows = await eventRows(db());
        expect(rows).toHaveLength(accepted.length);
        expect(new Set(rows.map((r) => r.source_event_id)).size).toBe(accepted.length);

        const levels = await levelRows(db());
        const expectedOnHand = new Map(initialLevels);
        const lastAt = new Map<string, number>();
        for (const c of accepted) {
          const key = `${c.sku}@${c.locationId}`;
          expectedOnHand.set(key, (expectedOnHand.get(key) ?? 0) + c.delta);
          lastAt.set(key, Math.max(lastAt.get(key) ?? 0, c.occurredAt.getTime()));
        }
        for (const [key, onHand] of expectedOnHand) {
          expect(levels.get(key)?.on_hand, key).toBe(onHand);
          // updated_at never moves back for an event that arrives late.
          expect(levels.get(key)!.updated_at.getTime()).toBe(Math.max(initialLevels.has(key) ? T0.getTime() : 0, lastAt.get(key) ?? 0));
        }
        expect(levels.size).toBe(expectedOnHand.size);

        // Each event, in id order, takes the level on from where the previous one left it.
        const running = new Map(initialLevels);
        for (const r of rows) {
          const key = `${r.sku}@${r.location_id}`;
          const before = running.get(key) ?? 0;
          running.set(key, before + r.delta);
          expect(r.previous_available).toBe(Math.max(0, before));
          expect(r.available).toBe(Math.max(0, before + r.delta));
          expect(r.available).toBeGreaterThanOrEqual(0);
          // An oversell is recorded: the units taken beyond what was available.
          expect(r.oversold).toBe(r.delta < 0 ? Math.max(0, -r.delta - r.previous_available) : 0);
        }
      }),
      { numRuns: runs },
    );
  });

  it('records an oversell: on_hand goes below 0, available stays at 0, the event says by how much', async () => {
    await reset(db(), [{ sku: 'A', locationId: 'S001', onHand: 1 }]);
    const oversell = await writeLedgerChanges(db(), [sale('A', 'S001', 3, 'p:1')]);
    expect(oversell.outcomes).toEqual([{ status: 'applied', oversold: 2, event: expect.objectContaining({ previousAvailable: 1, available: 0, delta: -3 }) }]);
    const back = await writeLedgerChanges(db(), [{ sku: 'A', locationId: 'S001', delta: 1, reason: 'RETURN', occurredAt: T0 }]);
    expect(back.applied[0]).toMatchObject({ previousAvailable: 0, available: 0, delta: 1 });
    await writeLedgerChanges(db(), [{ sku: 'A', locationId: 'S001', delta: 5, reason: 'ADJUSTMENT', occurredAt: T0, note: 'recount' }]);
    expect((await levelRows(db())).get('A@S001')!.on_hand).toBe(4);
    expect((await eventRows(db())).map((r) => [r.oversold, r.available, r.note])).toEqual([
      [2, 0, null],
      [0, 0, null],
      [0, 4, 'recount'],
    ]);
  });

  it('counts reserved units as not available: selling them is an oversell too', async () => {
    await reset(db(), [{ sku: 'A', locationId: 'S001', onHand: 5, reserved: 3 }]);
    const { outcomes } = await writeLedgerChanges(db(), [sale('A', 'S001', 4)]);
    expect(outcomes[0]).toMatchObject({ oversold: 2, event: { previousAvailable: 2, available: 0 } });
    expect((await levelRows(db())).get('A@S001')!.on_hand).toBe(1);
  });

  it('answers each change: applied, duplicate (already recorded, or earlier in the call) or rejected; unknown SKUs start at 0', async () => {
    const first = await writeLedgerChanges(db(), [sale('A', 'S001', 1, 'p:1')]);
    const result = await writeLedgerChanges(db(), [
      sale('A', 'S001', 1, 'p:1'),
      sale('NEW-SKU', 'S002', 2, 'p:2'),
      sale('A', 'NOWHERE', 1, 'p:3'),
      { ...sale('A', 'WH-01', 1, 'p:4'), locationType: 'STORE' },
      sale('NEW-SKU', 'S002', 2, 'p:2'),
      sale('A', 'WH-01', 1),
    ]);
    expect(result.outcomes.map((o) => o.status)).toEqual(['duplicate', 'applied', 'rejected', 'rejected', 'duplicate', 'applied']);
    expect(result.outcomes[2]).toEqual({ status: 'rejected', field: 'locationId', message: 'Unknown location NOWHERE.' });
    expect(result.outcomes[3]).toEqual({ status: 'rejected', field: 'locationId', message: 'WH-01 is not a store.' });
    expect(result.duplicates).toEqual(['p:1', 'p:2']);
    expect(result.applied).toEqual([
      { eventId: expect.stringMatching(/^\d+$/), sku: 'NEW-SKU', locationId: 'S002', previousAvailable: 0, available: 0, delta: -2, reason: 'SALE', occurredAt: T0.toISOString() },
      expect.objectContaining({ sku: 'A', locationId: 'WH-01' }),
    ]);
    const ids = [...first.applied, ...result.applied].map((e) => BigInt(e.eventId));
    expect(ids).toEqual([...ids].sort((a, b) => (a < b ? -1 : 1)));
    expect((await levelRows(db())).get('NEW-SKU@S002')!.on_hand).toBe(-2);
    // A rejected change may come again (its location added since): it was not recorded.
    expect((await writeLedgerChanges(db(), [sale('A', 'NOWHERE', 1, 'p:3')])).outcomes[0]!.status).toBe('rejected');
  });

  it('serialises concurrent writers: every event continues the one before it', async () => {
    await reset(db(), [{ sku: 'B', locationId: 'S001', onHand: 10 }]);
    await Promise.all(Array.from({ length: 16 }, (_, i) => writeLedgerChanges(db(), [sale('B', 'S001', 1, `c:${i}`)])));
    const rows = await eventRows(db());
    expect(rows.map((r) => r.previous_available)).toEqual([10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 0, 0, 0, 0, 0]);
    expect(rows.filter((r) => r.oversold === 1)).toHaveLength(6);
    expect((await levelRows(db())).get('B@S001')!.on_hand).toBe(-6);
  });

  it('LedgerWriter commits the calls that queue up together, each with its own outcomes', async () => {
    await reset(db(), [{ sku: 'D', locationId: 'S001', onHand: 100 }]);
    let writes = 0;
    const counting: Database = { ...db(), query: (sql, params, options) => ((writes += Number(sql.includes('inventory_write_changes'))), db().query(sql, params, options)) };
    const writer = new LedgerWriter(counting);
    const results = await Promise.all(Array.from({ length: 30 }, (_, i) => writer.apply([sale('D', 'S001', 1, `g:${i % 25}`)])));
    expect(writes).toBeGreaterThan(0);
    expect(writes).toBeLessThan(5);
    expect(results.map((r) => r.outcomes.map((o) => o.status))).toEqual(Array.from({ length: 30 }, (_, i) => [i < 25 ? 'applied' : 'duplicate']));
    expect(results[3]!.applied[0]).toMatchObject({ previousAvailable: 97, available: 96 });
    expect((await levelRows(db())).get('D@S001')!.on_hand).toBe(75);
  });

  it('LedgerWriter fails only the caller whose change the database refuses', async () => {
    await reset(db(), [{ sku: 'E', locationId: 'S001', onHand: 10 }]);
    const writer = new LedgerWriter(db());
    const [first, tooBig, last] = await Promise.allSettled([
      writer.apply([sale('E', 'S001', 1)]),
      // A safe integer, but not an INTEGER: PostgreSQL refuses the whole statement.
      writer.apply([sale('E', 'S001', 2 ** 31 + 5)]),
      writer.apply([sale('E', 'S001', 2)]),
    ]);
    expect(first.status).toBe('fulfilled');
    expect(tooBig.status).toBe('rejected');
    expect(last.status).toBe('fulfilled');
    expect((await levelRows(db())).get('E@S001')!.on_hand).toBe(7);
  });

  it('says the ledger top each write followed: consecutive writes chain, event after event', async () => {
    await reset(db(), [{ sku: 'F', locationId: 'S001', onHand: 5 }]);
    const first = await writeLedgerChanges(db(), [sale('F', 'S001', 1, 't:1'), sale('F', 'S001', 1, 't:2')]);
    const second = await writeLedgerChanges(db(), [sale('F', 'S001', 1, 't:1'), sale('F', 'S001', 1, 't:3')]);
    const rows = await eventRows(db());
    expect(first.ledgerTopBefore).toBe('0');
    expect(first.applied.map((e) => e.eventId)).toEqual([rows[0]!.event_id, rows[1]!.event_id]);
    expect(second.ledgerTopBefore).toBe(rows[1]!.event_id);
    expect(second.applied.map((e) => e.eventId)).toEqual([rows[2]!.event_id]);
  });

  it('LedgerWriter queues writes and calls afterCommit only when something was recorded', async () => {
    let commits = 0;
    const writer = new LedgerWriter(db(), () => commits++);
    await Promise.all([writer.apply([sale('C', 'S001', 1, 'q:1')]), writer.apply([sale('C', 'S001', 1, 'q:1')]), writer.apply([])]);
    expect(commits).toBe(1);
    await expect(writer.apply([{ ...sale('C', 'S001', 1), delta: 0.5 }])).rejects.toThrow(TypeError);
    await writer.apply([sale('C', 'S002', 1)]);
    expect(commits).toBe(2);
  });
});
