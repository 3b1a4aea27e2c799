import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { freePort } from '../../test/support/free-port.js';
import { testLogger } from '../../test/support/logger.js';
import { cacheRedis, type CacheRedis } from './cache-redis.js';
import { redisCacheStore } from './redis-cache-store.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const open: CacheRedis[] = [];
const inspector = new Redis(REDIS_URL, { lazyConnect: true });
afterAll(async () => {
  await Promise.all(open.map((r) => r.close()));
  inspector.disconnect();
});

const connect = (url = REDIS_URL, logger = testLogger('cache-redis')) => {
  const redis = cacheRedis({ url, name: 'test cache', logger, timeoutMs: 200 });
  open.push(redis);
  return redis;
};

/** Values are `{ n: number }`; anything else read back is refused, as an entry of another version would be. */
const revive = (value: unknown) => (typeof value === 'object' && value !== null && typeof (value as { n?: unknown }).n === 'number' ? (value as { n: number }) : undefined);

describe('redisCacheStore', () => {
  it('is one store for every process on the Redis: JSON with the read time, under the prefix, expiring after `retainMs`', async () => {
    const keyPrefix = `test:cache:${randomBytes(4).toString('hex')}:`;
    const [one, two] = [connect(), connect()].map((redis) => redisCacheStore({ redis, keyPrefix, retainMs: 60_000, revive }));
    expect(await two!.getMany(['k'])).toEqual(new Map());
    await one!.setMany([
      ['k', { value: { n: 1 }, readAt: 1234 }],
      ['j', { value: { n: 2 }, readAt: 5678 }],
    ]);
    expect(await two!.getMany(['k', 'nothing', 'j'])).toEqual(
      new Map([
        ['k', { value: { n: 1 }, readAt: 1234 }],
        ['j', { value: { n: 2 }, readAt: 5678 }],
      ]),
    );
    expect(JSON.parse((await inspector.get(`${keyPrefix}k`))!)).toEqual({ readAt: 1234, value: { n: 1 } });
    const ttl = await inspector.pttl(`${keyPrefix}k`);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(60_000);
  });

  it('expires each entry after the span `retainMs` gives its value', async () => {
    const keyPrefix = `test:cache:${randomBytes(4).toString('hex')}:`;
    const store = redisCacheStore({ redis: connect(), keyPrefix, retainMs: (value) => (value.n === 0 ? 5_000 : 60_000), revive });
    await store.setMany([
      ['zero', { value: { n: 0 }, readAt: 1 }],
      ['one', { value: { n: 1 }, readAt: 1 }],
    ]);
    expect(await inspector.pttl(`${keyPrefix}zero`)).toBeLessThanOrEqual(5_000);
    expect(await inspector.pttl(`${keyPrefix}one`)).toBeGreaterThan(5_000);
  });

  it('takes an entry it cannot read back (not JSON, another shape) as not held', async () => {
    const keyPrefix = `test:cache:${randomBytes(4).toString('hex')}:`;
    const store = redisCacheStore({ redis: connect(), keyPrefix, retainMs: 60_000, revive });
    await inspector.set(`${keyPrefix}text`, 'not json', 'PX', 60_000);
    await inspector.set(`${keyPrefix}shape`, JSON.stringify({ readAt: 1, value: { n: 'one' } }), 'PX', 60_000);
    await inspector.set(`${keyPrefix}bare`, JSON.stringify({ n: 1 }), 'PX', 60_000);
    expect(await store.getMany(['text', 'shape', 'bare'])).toEqual(new Map());
  });

  it('holds and keeps nothing, never an error, while Redis cannot be reached, and logs that once', async () => {
    const logger = testLogger('cache-redis');
    const warn = vi.spyOn(logger, 'warn');
    const store = redisCacheStore({ redis: connect(`redis://127.0.0.1:${await freePort()}`, logger), keyPrefix: 'test:', retainMs: 60_000, revive });
    await expect(store.setMany([['k', { value: { n: 1 }, readAt: 1 }]])).resolves.toBeUndefined();
    expect(await store.getMany(['k'])).toEqual(new Map());
    expect(await store.getMany(['k'])).toEqual(new Map());
    expect(warn).toHaveBeenCalledTimes(1);
  });
});
