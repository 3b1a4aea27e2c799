import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { Redis } from 'ioredis';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testLogger } from '../../test/support/logger.js';
import { freePort } from '../../test/support/free-port.js';
import { openStockEventBus } from './open-stock-event-bus.js';
import { createRedisStockEventBus } from './redis-stock-event-bus.js';
import { StreamMissingError } from './stock-event-bus.js';
import { oldestResumable } from './redis-stream-codec.js';
import type { StockEvent } from './stock-event.js';

const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

let admin: Redis;
beforeAll(() => {
  admin = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 2 });
});
afterAll(async () => {
  await admin.quit();
});

const stockEvent = (id: number): StockEvent => ({
  eventId: String(id),
  sku: 'SKU-1',
  locationId: 'WH-1',
  previousAvailable: 1,
  available: 2,
  delta: 1,
  reason: 'RETURN',
  occurredAt: '2025-01-02T03:04:05.000Z',
});

/** A logger whose lines the test can read. */
function capturingLogger() {
  const lines: { level: number; msg: string }[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      lines.push(JSON.parse(String(chunk)) as { level: number; msg: string });
      done();
    },
  });
  return { logger: pino({ level: 'debug' }, sink), lines };
}

describe('Redis stock event bus', () => {
  it('logs a failing callback and goes on without delivering its batch again', async () => {
    const streamKey = `test:stock:${randomUUID()}`;
    const { logger, lines } = capturingLogger();
    const bus = createRedisStockEventBus({ url: TEST_REDIS_URL, streamKey, retention: 1_000, logger });
    try {
      const seen: string[] = [];
      let sawFour!: () => void;
      const four = new Promise<void>((resolve) => (sawFour = resolve));
      await bus.publish([1, 2].map(stockEvent));
      const follower = bus.follow('0', (batch) => {
        seen.push(...batch.map((e) => e.eventId));
        if (seen.includes('4')) sawFour();
        if (batch.some((e) => e.eventId === '2')) throw new Error('subscriber broke');
      });
      await bus.publish([3, 4].map(stockEvent));
      await four;
      await follower.close();
      expect(seen).toEqual(['1', '2', '3', '4']);
      expect(lines.some((l) => l.level === 50 && /callback failed/.test(l.msg))).toBe(true);
    } finally {
      await bus.close();
      await admin.del(streamKey);
    }
  });

  it('fails fast and closes promptly while Redis is unreachable', async () => {
    const port = await freePort();

    const bus = createRedisStockEventBus({
      url: `redis://127.0.0.1:${port}`,
      streamKey: 'test:stock:nowhere',
      retention: 1_000,
      logger: testLogger('stock-event-bus'),
      commandTimeoutMs: 300,
    });
    const follower = bus.follow('0', () => undefined);
    await expect(bus.publish([stockEvent(1)])).rejects.toThrow();
    await expect(bus.lastEventId()).rejects.toThrow();
    await expect(bus.readAfter('0', 10)).rejects.toThrow();
    await bus.close();
    await follower.close();
  });

  it('does not recreate a lost stream when asked not to: the publisher must start over', async () => {
    const streamKey = `test:stock:${randomUUID()}`;
    const bus = createRedisStockEventBus({ url: TEST_REDIS_URL, streamKey, retention: 1_000, logger: testLogger('stock-event-bus') });
    try {
      await expect(bus.publish([stockEvent(7)], { createStream: false })).rejects.toBeInstanceOf(StreamMissingError);
      expect(await admin.exists(streamKey)).toBe(0);
      expect(await bus.publish([stockEvent(7)])).toBe(1);
      expect(await bus.publish([stockEvent(8)], { createStream: false })).toBe(1);
    } finally {
      await bus.close();
      await admin.del(streamKey);
    }
  });

  it('picks the engine from the configuration', async () => {
    const memory = openStockEventBus({ streamKey: 'unused', retention: 1_000 }, testLogger('stock-event-bus'));
    const redis = openStockEventBus({ redisUrl: TEST_REDIS_URL, streamKey: `test:stock:${randomUUID()}`, retention: 1_000 }, testLogger('stock-event-bus'));
    expect([memory.engine, redis.engine]).toEqual(['memory', 'redis']);
    await Promise.all([memory.close(), redis.close()]);
  });
});

describe('oldestResumable', () => {
  const info = { length: 0, lastId: '0', maxDeletedId: '0', entriesAdded: 0, firstId: '0' };

  it('is 0 for a stream never trimmed', () => {
    expect(oldestResumable({ ...info, length: 3, entriesAdded: 3, lastId: '12', firstId: '10' })).toBe('0');
  });

  it('is the id before the first retained one once entries were trimmed', () => {
    expect(oldestResumable({ ...info, length: 1_000, entriesAdded: 5_000, lastId: '5000', firstId: '4001' })).toBe('4000');
    expect(oldestResumable({ ...info, length: 1, entriesAdded: 2, lastId: '18446744073709551615', firstId: '18446744073709551615' })).toBe(
      '18446744073709551614',
    );
  });

  it('takes the max-deleted id when it is later (a range declared trimmed)', () => {
    expect(oldestResumable({ ...info, length: 100, entriesAdded: 100, lastId: '200', firstId: '101', maxDeletedId: '99' })).toBe('99');
    expect(oldestResumable({ ...info, length: 100, entriesAdded: 150, lastId: '200', firstId: '101', maxDeletedId: '150' })).toBe('150');
  });
});
