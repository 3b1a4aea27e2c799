import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Database } from '../../../lib/db/database.js';
import { migrate } from '../../../lib/db/migrate.js';
import { createMemoryStockEventBus } from '../../../lib/events/memory-stock-event-bus.js';
import { CursorExpiredError, type StockEventBus } from '../../../lib/events/stock-event-bus.js';
import type { StockEvent } from '../../../lib/events/stock-event.js';
import { openTestDatabase } from '../../../test/support/database.js';
import { testLogger } from '../../../test/support/logger.js';
import { insertLocations } from '../ledger/ledger-bulk-writer.js';
import { LedgerRepository } from '../ledger/ledger-repository.js';
import { LedgerWriter, type LedgerChange } from '../ledger/ledger-writer.js';
import { INVENTORY_MIGRATIONS, MIGRATION_LOCK } from '../ledger/migrations.js';
import { createOutboxRelay, type OutboxRelay, type OutboxRelayOptions } from './outbox-relay.js';

const logger = testLogger('outbox-relay-test');
let db: Database;
let ledger: LedgerRepository;
const open: Array<{ close(): Promise<void> }> = [];

beforeAll(async () => {
  db = await openTestDatabase('outbox_relay');
  await migrate(db, MIGRATION_LOCK, INVENTORY_MIGRATIONS);
  await insertLocations(db, [{ id: 'S001', name: 'Store 1', type: 'STORE', source: 'pos' }]);
  ledger = new LedgerRepository(db);
});
beforeEach(() => db.query('TRUNCATE stock_events, stock_levels'));
afterEach(async () => {
  for (const o of open.splice(0).reverse()) await o.close();
});
afterAll(() => db?.close());

let seq = 0;
const sales = (n: number): LedgerChange[] =>
  Array.from({ length: n }, () => ({ sku: `SKU-${seq % 7}`, locationId: 'S001', delta: -1, reason: 'SALE', occurredAt: new Date(), sourceEventId: `t:${++seq}` }));

const relayOn = (bus: StockEventBus, extra: Partial<OutboxRelayOptions> = {}): OutboxRelay => {
  const relay = createOutboxRelay({ ledger, bus, logger, pollMs: 60_000, ...extra });
  open.push(relay);
  return relay;
};
const memoryBus = (retention?: number): StockEventBus => {
  const bus = createMemoryStockEventBus({ retention });
  open.push(bus);
  return bus;
};
const ledgerEvents = () => ledger.stockEventsAfter('0', 100_000);

/** Every event `follow` delivers from the start, until `count` arrived. */
async function followed(bus: StockEventBus, count: number): Promise<StockEvent[]> {
  const seen: StockEvent[] = [];
  let done!: () => void;
  const all = new Promise<void>((resolve) => (done = resolve));
  const follower = bus.follow('0', (events) => {
    seen.push(...events);
    if (seen.length >= count) done();
  });
  await Promise.race([all, sleep(2_000)]);
  await follower.close();
  return seen;
}

describe('outbox relay', () => {
  it('publishes its own commits as written when they follow the stream, and reads the ledger when something lies between', async () => {
    const bus = memoryBus();
    const relay = relayOn(bus);
    const writer = new LedgerWriter(db, (committed) => relay.wake(committed));
    // Another replica: it commits without telling this relay.
    const other = new LedgerWriter(db);
    relay.start();
    await writer.apply(sales(2));
    await relay.sync();
    const reads = vi.spyOn(ledger, 'stockEventsAfter');

    await Promise.all([writer.apply(sales(3)), writer.apply(sales(1))]);
    await writer.apply(sales(4));
    // Waits for the wake-ups' publishing itself: an explicit sync would read the ledger for others' commits.
    expect(await followed(bus, 10)).toHaveLength(10);
    expect(reads).not.toHaveBeenCalled();
    expect(await bus.readAfter('0', 1_000)).toEqual(await ledgerEvents());

    await other.apply(sales(2));
    await writer.apply(sales(1));
    await relay.sync();
    expect(reads).toHaveBeenCalled();
    const committed = await ledgerEvents();
    expect(committed).toHaveLength(13);
    expect(await bus.readAfter('0', 1_000)).toEqual(committed);
    reads.mockRestore();
  });

  it('publishes what the ledger commits, in order, exactly once', async () => {
    const bus = memoryBus();
    const relay = relayOn(bus);
    const writer = new LedgerWriter(db, () => relay.wake());
    relay.start();
    await Promise.all([writer.apply(sales(5)), writer.apply(sales(1)), writer.apply(sales(20))]);
    await writer.apply(sales(3));
    await relay.sync();

    const committed = await ledgerEvents();
    expect(committed).toHaveLength(29);
    expect(await bus.readAfter('0', 1_000)).toEqual(committed);
    expect(await bus.lastEventId()).toBe(committed.at(-1)!.eventId);
    const delivered = await followed(bus, 29);
    expect(delivered.map((e) => e.eventId)).toEqual(committed.map((e) => e.eventId));
  });

  it('pages through a backlog, and a second relay on the same ledger and bus publishes nothing twice', async () => {
    const bus = memoryBus();
    const publish = vi.spyOn(bus, 'publish');
    const [a, b] = [relayOn(bus, { pageSize: 7 }), relayOn(bus, { pageSize: 5 })];
    const writer = new LedgerWriter(db);
    for (let i = 0; i < 6; i++) {
      await writer.apply(sales(4 + i));
      await Promise.all([a.sync(), b.sync(), i % 2 ? a.sync() : b.sync()]);
    }
    const committed = await ledgerEvents();
    expect(committed).toHaveLength(39);
    const delivered = await followed(bus, 39);
    expect(delivered).toEqual(committed);
    // Both relays offered some events twice; the bus appended each once.
    const appended = await Promise.all(publish.mock.results.map((r) => r.value as Promise<number>));
    expect(appended.reduce((n, x) => n + x, 0)).toBe(39);
  });

  it('republishes only the tail onto a stream that lost everything, and refuses resumes from before it', async () => {
    const writer = new LedgerWriter(db);
    const first = memoryBus(5);
    await writer.apply(sales(12));
    await relayOn(first, { retention: 5, pageSize: 2 }).sync();
    const committed = await ledgerEvents();
    expect((await first.readAfter(committed[6]!.eventId, 100)).map((e) => e.eventId)).toEqual(committed.slice(7).map((e) => e.eventId));

    // Redis restarted empty (here: a new bus); the next relay fills it from the ledger's tail.
    const second = memoryBus(5);
    const relay = relayOn(second, { retention: 5, pageSize: 2 });
    relay.start();
    await relay.sync();
    const tail = committed.slice(-5);
    expect(await second.readAfter(committed[6]!.eventId, 100)).toEqual(tail);
    await expect(second.readAfter('0', 100)).rejects.toBeInstanceOf(CursorExpiredError);
    await expect(second.readAfter(committed[5]!.eventId, 100)).rejects.toBeInstanceOf(CursorExpiredError);

    // A stream that is behind by less than it keeps gets the rest, with no gap declared.
    await writer.apply(sales(2));
    await relay.sync();
    expect((await second.readAfter(committed[8]!.eventId, 100)).map((e) => e.eventId)).toEqual((await ledgerEvents()).slice(9).map((e) => e.eventId));
  });

  it('publishes a backlog larger than the stream keeps in full onto a stream that holds its top: a live follower misses nothing', async () => {
    const writer = new LedgerWriter(db);
    const bus = memoryBus(5);
    const relay = relayOn(bus, { retention: 5, pageSize: 2 });
    await writer.apply(sales(1));
    await relay.sync();
    const before = (await ledgerEvents()).length;
    // A follower from the stream's top, then a burst (an ERP sync) of more than the stream keeps.
    const live: StockEvent[] = [];
    const follower = bus.follow(await bus.lastEventId(), (events) => void live.push(...events));
    await writer.apply(sales(12));
    await relay.sync();
    const burst = (await ledgerEvents()).slice(before);
    await vi.waitFor(() => expect(live.map((e) => e.eventId)).toEqual(burst.map((e) => e.eventId)));
    await follower.close();
  });

  it('retries after the bus failed, on the poll and when the bus reconnects; logs the failure once', async () => {
    const inner = memoryBus();
    let down = true;
    const reconnect = new Set<() => void>();
    const bus: StockEventBus = {
      ...inner,
      publish: async (events) => {
        if (down) throw new Error('connect ECONNREFUSED 127.0.0.1:6379');
        return inner.publish(events);
      },
      onReconnect: (listener) => {
        reconnect.add(listener);
        return () => reconnect.delete(listener);
      },
    };
    const warnings = vi.fn();
    const relay = relayOn(bus, { logger: Object.assign(testLogger('relay'), { warn: warnings }) as never, pollMs: 30 });
    await new LedgerWriter(db).apply(sales(3));
    relay.start();
    await sleep(200);
    expect(await inner.lastEventId()).toBe('0');
    expect(warnings).toHaveBeenCalledTimes(1);

    down = false;
    for (const listener of reconnect) listener();
    await relay.sync();
    expect(await inner.readAfter('0', 10)).toEqual(await ledgerEvents());

    // Commits by another replica (no wake here) are found by the poll.
    await new LedgerWriter(db).apply(sales(2));
    await vi.waitFor(async () => expect(await inner.readAfter('0', 10)).toHaveLength(5), { timeout: 1_000, interval: 20 });

    await relay.close();
    expect(reconnect.size).toBe(0);
    await new LedgerWriter(db).apply(sales(1));
    relay.wake();
    await sleep(100);
    expect(await inner.readAfter('0', 10)).toHaveLength(5);
  });

  it('does nothing on wake before start', async () => {
    const bus = memoryBus();
    const relay = relayOn(bus);
    await new LedgerWriter(db, () => relay.wake()).apply(sales(1));
    await sleep(50);
    expect(await bus.lastEventId()).toBe('0');
    relay.start();
    await relay.sync();
    expect(await bus.readAfter('0', 10)).toHaveLength(1);
  });
});
