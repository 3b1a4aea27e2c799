import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { freePort } from '../../test/support/free-port.js';
import { testLogger } from '../../test/support/logger.js';
import { RedisServer } from '../../test/support/redis-server.js';
import { memoryPersistedQueryStore, redisPersistedQueryStore, type PersistedQueryStore } from './persisted-query-store.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const open: PersistedQueryStore[] = [];
const inspector = new Redis(REDIS_URL, { lazyConnect: true });
afterAll(async () => {
  await Promise.all(open.map((s) => s.close()));
  inspector.disconnect();
});

describe('memoryPersistedQueryStore', () => {
  it('keeps queries by hash, least recently used going first', async () => {
    const store = memoryPersistedQueryStore({ maxEntries: 2 });
    await store.set('a', '{ a }');
    await store.set('b', '{ b }');
    expect(await store.get('a')).toBe('{ a }');
    await store.set('c', '{ c }');
    expect(await store.get('b')).toBeUndefined();
    expect(await store.get('a')).toBe('{ a }');
  });
});

describe('redisPersistedQueryStore', () => {
  it('is one store for every gateway on the Redis, each key under the prefix with the TTL', async () => {
    const keyPrefix = `test:apq:${randomBytes(4).toString('hex')}:`;
    const [one, two] = [0, 1].map(() => redisPersistedQueryStore({ url: REDIS_URL, keyPrefix, ttlMs: 60_000, logger: testLogger('apq') }));
    open.push(one!, two!);
    expect(await two!.get('h1')).toBeUndefined();
    await one!.set('h1', '{ __typename }');
    expect(await two!.get('h1')).toBe('{ __typename }');
    const ttl = await inspector.pttl(`${keyPrefix}h1`);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(60_000);
  });

  it('answers a miss, never an error, while Redis cannot be reached, and logs that once', async () => {
    const logger = testLogger('persisted-queries');
    const warn = vi.spyOn(logger, 'warn');
    const store = redisPersistedQueryStore({ url: `redis://127.0.0.1:${await freePort()}`, logger, timeoutMs: 200 });
    open.push(store);
    await expect(store.set('h', '{ a }')).resolves.toBeUndefined();
    expect(await store.get('h')).toBeUndefined();
    expect(await store.get('h')).toBeUndefined();
    expect(warn).toHaveBeenCalledTimes(1);
  });

  it('stops asking a Redis that hangs once its breaker opens: misses at once, nothing more sent to it', async () => {
    // Date only: cockatiel measures the half-open wait on Date.now; the command deadlines stay real timers.
    vi.useFakeTimers({ toFake: ['Date'] });
    const server = await RedisServer.start();
    const counter = new Redis(server.url, { lazyConnect: true });
    const store = redisPersistedQueryStore({ url: server.url, logger: testLogger('apq'), timeoutMs: 100 });
    open.push(store);
    try {
      await store.set('h', '{ a }');
      expect(await store.get('h')).toBe('{ a }');
      server.pause();
      // The first failures wait for their deadline, then the breaker opens and the rest are misses at once.
      const misses = [];
      for (let i = 0; i < 3; i++) misses.push(await store.get('h'));
      misses.push(...(await Promise.all(Array.from({ length: 20 }, () => store.get('h')))));
      expect(misses).toEqual(misses.map(() => undefined));
      server.resume();
      // What reached Redis, counted by Redis itself once it runs again: the first GET and the three that timed out.
      const gets = async () => Number(/cmdstat_get:calls=(\d+)/.exec(await counter.info('commandstats'))?.[1]);
      await vi.waitFor(async () => expect(await gets()).toBe(4), { timeout: 10_000, interval: 50 });
    } finally {
      vi.useRealTimers();
      counter.disconnect();
      await server.kill();
    }
  });
});
