import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { testLogger } from '../../test/support/logger.js';
import { createMemoryStockEventBus } from './memory-stock-event-bus.js';
import { createRedisStockEventBus } from './redis-stock-event-bus.js';
import { CursorExpiredError, type StockEventBus } from './stock-event-bus.js';
import { compareEventIds, type StockEvent } from './stock-event.js';

/** The Redis every development and CI machine runs; tests use it for real, each on a stream of its own. */
const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const RETENTION = 1_000;

let admin: Redis;
beforeAll(() => {
  admin = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 2 });
});
afterAll(async () => {
  await admin.quit();
});

interface OpenedBus {
  bus: StockEventBus;
  dispose(): Promise<void>;
}

const engines: [string, (retention?: number) => OpenedBus][] = [
  [
    'memory',
    (retention = RETENTION) => {
      const bus = createMemoryStockEventBus({ retention });
      return { bus, dispose: () => bus.close() };
    },
  ],
  [
    'redis',
    (retention = RETENTION) => {
      const streamKey = `test:stock:${randomUUID()}`;
      const bus = createRedisStockEventBus({ url: TEST_REDIS_URL, streamKey, retention, logger: testLogger('stock-event-bus') });
      return {
        bus,
        dispose: async () => {
          await bus.close();
          await admin.del(streamKey);
        },
      };
    },
  ],
];

function stockEvent(eventId: string | number): StockEvent {
  const n = Number(eventId) % 1_000;
  return {
    eventId: String(eventId),
    sku: `SKU-${n % 7}`,
    locationId: `WH-${n % 3}`,
    previousAvailable: n,
    available: n + 1,
    delta: 1,
    reason: 'ADJUSTMENT',
    occurredAt: '2025-01-02T03:04:05.000Z',
  };
}

/** Events with ids `from`..`to`, ascending. */
function range(from: number, to: number): StockEvent[] {
  return Array.from({ length: to - from + 1 }, (_, i) => stockEvent(from + i));
}

function ids(from: number, to: number): string[] {
  return range(from, to).map((e) => e.eventId);
}

const idsOf = (events: readonly StockEvent[]) => events.map((e) => e.eventId);

/** What a `follow` callback saw, and a way to wait until it has seen an id. */
function collector(onBatch?: (batch: StockEvent[]) => Promise<void> | void) {
  const seen: StockEvent[] = [];
  const waiters: { id: string; resolve(): void }[] = [];
  let running = 0;
  let overlapped = false;
  const onEvents = async (batch: StockEvent[]) => {
    if (++running > 1) overlapped = true;
    try {
      seen.push(...batch);
      await onBatch?.(batch);
    } finally {
      running--;
    }
    const last = seen.at(-1)?.eventId ?? '0';
    for (const w of [...waiters]) {
      if (compareEventIds(last, w.id) >= 0) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
    }
  };
  return {
    onEvents,
    seen,
    get ids() {
      return idsOf(seen);
    },
    get overlapped() {
      return overlapped;
    },
    /** Resolves once an event with id `id` or above has been delivered and its callback returned. */
    sawUpTo(id: string): Promise<void> {
      if (compareEventIds(seen.at(-1)?.eventId ?? '0', id) >= 0 && running === 0) return Promise.resolve();
      return new Promise((resolve) => waiters.push({ id, resolve }));
    },
  };
}

async function expiredError(read: Promise<unknown>): Promise<CursorExpiredError> {
  const error = await read.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(CursorExpiredError);
  return error as CursorExpiredError;
}

describe.each(engines)('stock event bus contract: %s engine', (engine, open) => {
  let opened: OpenedBus[] = [];
  const openBus = (retention?: number) => {
    const o = open(retention);
    opened.push(o);
    return o.bus;
  };
  afterEach(async () => {
    await Promise.all(opened.map((o) => o.dispose()));
    opened = [];
  });

  it('names its engine', () => {
    expect(openBus().engine).toBe(engine);
  });

  it('publishes and tells the last event id', async () => {
    const bus = openBus();
    expect(await bus.lastEventId()).toBe('0');
    expect(await bus.publish([])).toBe(0);
    expect(await bus.lastEventId()).toBe('0');
    expect(await bus.publish(range(1, 3))).toBe(3);
    expect(await bus.lastEventId()).toBe('3');
    expect(await bus.publish(range(4, 4))).toBe(1);
    expect(await bus.lastEventId()).toBe('4');
    expect(await bus.readAfter('0', 10)).toEqual(range(1, 4));
  });

  it('keeps ids beyond 2^53 exact', async () => {
    const bus = openBus();
    const big = ['9007199254740993', '9007199254740995', '12345678901234567890'].map(stockEvent);
    expect(await bus.publish(big)).toBe(3);
    expect(await bus.lastEventId()).toBe('12345678901234567890');
    expect(idsOf(await bus.readAfter('9007199254740993', 10))).toEqual(['9007199254740995', '12345678901234567890']);
    expect(idsOf(await bus.readAfter('9007199254740994', 10, '9007199254740995'))).toEqual(['9007199254740995']);
  });

  it('skips events not above the last id, so republishing is harmless', async () => {
    const bus = openBus();
    expect(await bus.publish(range(1, 5))).toBe(5);
    expect(await bus.publish(range(1, 5))).toBe(0);
    expect(await bus.publish(range(3, 7))).toBe(2);
    expect(await bus.publish([stockEvent(2)])).toBe(0);
    expect(await bus.lastEventId()).toBe('7');
    expect(idsOf(await bus.readAfter('0', 100))).toEqual(ids(1, 7));
  });

  it('reads pages after a cursor, ascending, up to `until`', async () => {
    const bus = openBus();
    await bus.publish(range(1, 10));
    expect(await bus.readAfter('0', 4)).toEqual(range(1, 4));
    expect(await bus.readAfter('4', 4)).toEqual(range(5, 8));
    expect(await bus.readAfter('8', 4)).toEqual(range(9, 10));
    expect(await bus.readAfter('10', 4)).toEqual([]);
    expect(await bus.readAfter('99', 4)).toEqual([]);
    expect(idsOf(await bus.readAfter('2', 100, '5'))).toEqual(['3', '4', '5']);
    expect(idsOf(await bus.readAfter('0', 2, '5'))).toEqual(['1', '2']);
    expect(await bus.readAfter('5', 100, '5')).toEqual([]);
    expect(await bus.readAfter('3', 0)).toEqual([]);
  });

  it('reads across holes in the ids', async () => {
    const bus = openBus();
    await bus.publish(['2', '5', '9', '10', '100'].map(stockEvent));
    expect(idsOf(await bus.readAfter('3', 100))).toEqual(['5', '9', '10', '100']);
    expect(idsOf(await bus.readAfter('0', 100, '9'))).toEqual(['2', '5', '9']);
    expect(idsOf(await bus.readAfter('10', 100))).toEqual(['100']);
  });

  it('reads nothing, and refuses nothing, before anything is published', async () => {
    const bus = openBus();
    expect(await bus.readAfter('0', 10)).toEqual([]);
    expect(await bus.readAfter('42', 10)).toEqual([]);
  });

  it('trims past retention and refuses cursors before the trimmed events', async () => {
    const bus = openBus();
    expect(await bus.publish(range(1, 5_000))).toBe(5_000);
    expect(await bus.lastEventId()).toBe('5000');

    const expired = await expiredError(bus.readAfter('0', 10));
    expect(expired.after).toBe('0');
    // Something was trimmed, and at least `retention` events were kept (Redis trims approximately).
    const lastTrimmed = Number(expired.oldestResumable);
    expect(lastTrimmed).toBeGreaterThan(0);
    expect(5_000 - lastTrimmed).toBeGreaterThanOrEqual(RETENTION);

    // At the last trimmed id: nothing after it is missing.
    expect(idsOf(await bus.readAfter(String(lastTrimmed), 3))).toEqual(ids(lastTrimmed + 1, lastTrimmed + 3));
    // Before it: the last trimmed event would be skipped.
    const before = await expiredError(bus.readAfter(String(lastTrimmed - 1), 3));
    expect(before).toMatchObject({ after: String(lastTrimmed - 1), oldestResumable: String(lastTrimmed) });
    expect(idsOf(await bus.readAfter('4990', 100))).toEqual(ids(4991, 5_000));
  });

  it('refuses cursors before a range declared trimmed, and never lowers the mark', async () => {
    const bus = openBus();
    // A relay republishing only the ledger's tail (100..200) onto an empty stream.
    await bus.publish(range(100, 200));
    expect(idsOf(await bus.readAfter('0', 1))).toEqual(['100']);
    await bus.markTrimmedUpTo('99');
    expect(await expiredError(bus.readAfter('0', 1))).toMatchObject({ after: '0', oldestResumable: '99' });
    await expiredError(bus.readAfter('98', 1));
    expect(idsOf(await bus.readAfter('99', 2))).toEqual(['100', '101']);

    await bus.markTrimmedUpTo('50');
    expect(await expiredError(bus.readAfter('60', 1))).toMatchObject({ oldestResumable: '99' });
    await bus.markTrimmedUpTo('150');
    expect(await expiredError(bus.readAfter('120', 1))).toMatchObject({ oldestResumable: '150' });
    expect(idsOf(await bus.readAfter('150', 1))).toEqual(['151']);
  });

  it('refuses resumes from before a mark set on an empty or lost stream, then takes what is published above it', async () => {
    // The relay's order after Redis lost the stream: mark first, then republish the ledger's tail.
    const bus = openBus(1_000);
    await bus.markTrimmedUpTo('100');
    expect(await bus.lastEventId()).toBe('100');
    expect(await bus.publish(range(50, 103))).toBe(3);
    expect(await expiredError(bus.readAfter('5', 10))).toMatchObject({ after: '5', oldestResumable: '100' });
    expect(idsOf(await bus.readAfter('100', 10))).toEqual(['101', '102', '103']);
    // A stream that ends below a later mark is moved up to it.
    await bus.markTrimmedUpTo('200');
    expect(await bus.lastEventId()).toBe('200');
    await expiredError(bus.readAfter('150', 1));
    expect(await bus.publish(range(201, 202))).toBe(2);
    expect(idsOf(await bus.readAfter('200', 10))).toEqual(['201', '202']);
  });

  it('follows from 0: every event in order, once, one batch at a time, including those published during a callback', async () => {
    // Retention above what is published: a follower lagging past retention misses the trimmed events.
    const bus = openBus(10_000);
    let publishedDuringCallback = false;
    const c = collector(async (batch) => {
      if (!publishedDuringCallback && idsOf(batch).includes('3')) {
        publishedDuringCallback = true;
        // The next batch is published while this callback still runs.
        await bus.publish(range(6, 10));
      }
    });
    await bus.publish(range(1, 5));
    const follower = bus.follow('0', c.onEvents);
    await c.sawUpTo('10');
    await bus.publish(range(8, 20)); // a republish overlapping what was delivered
    await bus.publish(range(21, 1_500)); // more than one batch
    await c.sawUpTo('1500');
    await follower.close();
    expect(publishedDuringCallback).toBe(true);
    expect(c.ids).toEqual(ids(1, 1_500));
    expect(c.seen.slice(0, 20)).toEqual(range(1, 20));
    expect(c.overlapped).toBe(false);
  });

  it('follows from the middle', async () => {
    const bus = openBus();
    await bus.publish(range(1, 10));
    const c = collector();
    const follower = bus.follow('4', c.onEvents);
    await c.sawUpTo('10');
    await bus.publish(range(11, 12));
    await c.sawUpTo('12');
    await follower.close();
    expect(c.ids).toEqual(ids(5, 12));
  });

  it('follows from beyond the last id: only what comes above the cursor', async () => {
    const bus = openBus();
    await bus.publish(range(1, 10));
    const c = collector();
    const follower = bus.follow('15', c.onEvents);
    await bus.publish(range(11, 20));
    await c.sawUpTo('20');
    await follower.close();
    expect(c.ids).toEqual(ids(16, 20));
  });

  it('gives every event to each of two followers', async () => {
    const bus = openBus();
    const a = collector();
    const b = collector();
    const followers = [bus.follow('0', a.onEvents), bus.follow('0', b.onEvents)];
    for (let from = 1; from <= 50; from += 10) await bus.publish(range(from, from + 9));
    await Promise.all([a.sawUpTo('50'), b.sawUpTo('50')]);
    await Promise.all(followers.map((f) => f.close()));
    expect(a.ids).toEqual(ids(1, 50));
    expect(b.ids).toEqual(ids(1, 50));
  });

  it('stops delivering once a follower is closed; closing twice is fine', async () => {
    const bus = openBus();
    const closedOne = collector();
    const follower = bus.follow('0', closedOne.onEvents);
    await bus.publish(range(1, 3));
    await closedOne.sawUpTo('3');
    await Promise.all([follower.close(), follower.close()]);
    await follower.close();

    const witness = collector();
    const other = bus.follow('3', witness.onEvents);
    await bus.publish(range(4, 6));
    await witness.sawUpTo('6');
    await other.close();
    expect(closedOne.ids).toEqual(ids(1, 3));
    expect(witness.ids).toEqual(ids(4, 6));
  });

  it('resolves close only once the running callback has returned', async () => {
    const bus = openBus();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let entered!: () => void;
    const inCallback = new Promise<void>((resolve) => (entered = resolve));
    let returned = false;
    const follower = bus.follow('0', async () => {
      entered();
      await gate;
      returned = true;
    });
    await bus.publish(range(1, 1));
    await inCallback;
    let closed = false;
    const closing = follower.close().then(() => (closed = true));
    for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
    expect(closed).toBe(false);
    release();
    await closing;
    expect(returned).toBe(true);
  });

  it('ends its followers on close; closing twice is fine', async () => {
    const bus = openBus();
    const c = collector();
    const follower = bus.follow('0', c.onEvents);
    await bus.publish(range(1, 2));
    await c.sawUpTo('2');
    await Promise.all([bus.close(), bus.close()]);
    await bus.close();
    await follower.close();
    expect(c.ids).toEqual(ids(1, 2));
  });

  it('removes a reconnect listener when asked', () => {
    const bus = openBus();
    const unsubscribe = bus.onReconnect(() => undefined);
    expect(unsubscribe()).toBeUndefined();
    expect(unsubscribe()).toBeUndefined();
  });
});
