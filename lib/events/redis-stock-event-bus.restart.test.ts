import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testLogger } from '../../test/support/logger.js';
import { RedisServer } from '../../test/support/redis-server.js';
import { createRedisStockEventBus } from './redis-stock-event-bus.js';
import type { BusFollower, StockEventBus } from './stock-event-bus.js';
import { compareEventIds, type StockEvent } from './stock-event.js';

/**
 * A Redis of this file's own, killed and started again: the bus must ride
 * through it. Nothing is kept on disk, as in production, so the restarted
 * Redis has lost the stream.
 */
let redis: RedisServer;

const stockEvent = (id: number): StockEvent => ({
  eventId: String(id),
  sku: `SKU-${id % 5}`,
  locationId: 'WH-1',
  previousAvailable: id,
  available: id - 1,
  delta: -1,
  reason: 'SALE',
  occurredAt: '2025-01-02T03:04:05.000Z',
});
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => stockEvent(from + i));
const ids = (from: number, to: number) => range(from, to).map((e) => e.eventId);

let bus: StockEventBus | undefined;
let follower: BusFollower | undefined;

beforeAll(async () => {
  redis = await RedisServer.start();
});

afterAll(async () => {
  try {
    await follower?.close();
    await bus?.close();
  } finally {
    await redis.kill();
  }
});

describe('Redis stock event bus across a Redis restart', () => {
  it('follows on from the last delivered id, calls reconnect listeners, and fails publishes fast while down', { timeout: 20_000 }, async () => {
    bus = createRedisStockEventBus({
      url: redis.url,
      streamKey: 'test:stock:restart',
      retention: 1_000,
      logger: testLogger('stock-event-bus-restart'),
      commandTimeoutMs: 500,
    });
    let reconnects = 0;
    let reconnected!: () => void;
    const reconnectedOnce = new Promise<void>((resolve) => (reconnected = resolve));
    bus.onReconnect(() => {
      reconnects++;
      reconnected();
    });
    let removedCalls = 0;
    const unsubscribe = bus.onReconnect(() => removedCalls++);
    unsubscribe();

    const seen: string[] = [];
    const waiters = new Map<string, () => void>();
    const sawUpTo = (id: string) =>
      compareEventIds(seen.at(-1) ?? '0', id) >= 0 ? Promise.resolve() : new Promise<void>((resolve) => waiters.set(id, resolve));

    // The follower is mid-stream when Redis dies: in its callback for 1..5,
    // with 6..10 in the stream, unread.
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    expect(await bus.publish(range(1, 5))).toBe(5);
    follower = bus.follow('0', async (batch) => {
      seen.push(...batch.map((e) => e.eventId));
      for (const [id, resolve] of waiters) if (compareEventIds(seen.at(-1) ?? '0', id) >= 0) resolve();
      await gate;
    });
    await sawUpTo('5');
    expect(await bus.publish(range(6, 10))).toBe(5);

    await redis.kill();
    release();
    // Fails (within the command timeout) rather than waiting for Redis to come back.
    await expect(bus.publish(range(11, 12))).rejects.toThrow();

    await redis.restart();
    await reconnectedOnce;
    // The data is gone; a publish that failed while Redis was down may still
    // have gone through once it was back (its XADDs were queued), which is harmless.
    expect(['0', '12']).toContain(await bus.lastEventId());

    // The relay republishes the ledger's tail (some of it delivered already) and goes on.
    expect(await bus.publish(range(3, 30))).toBeGreaterThanOrEqual(26);
    await sawUpTo('30');
    expect(await bus.lastEventId()).toBe('30');
    expect(seen).toEqual(ids(1, 30));
    expect(reconnects).toBeGreaterThanOrEqual(1);
    expect(removedCalls).toBe(0);

    await follower.close();
    await bus.close();
  });
});
