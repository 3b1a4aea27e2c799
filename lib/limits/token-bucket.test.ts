import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../../test/support/free-port.js';
import { testLogger } from '../../test/support/logger.js';
import { memoryTokenBuckets, redisTokenBuckets, type TokenBuckets } from './token-bucket.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const open: TokenBuckets[] = [];
afterAll(async () => {
  await Promise.all(open.map((b) => b.close()));
});

describe('memoryTokenBuckets', () => {
  it('lets a burst of `capacity` through, refuses the next with the wait for one token, and refills with time', async () => {
    let clock = 1_000_000;
    const buckets = memoryTokenBuckets({ now: () => clock });
    const rule = { capacity: 3, perMinute: 60 };
    for (let i = 0; i < 3; i++) expect(await buckets.take('a', rule)).toEqual({ allowed: true });
    expect(await buckets.take('a', rule)).toEqual({ allowed: false, retryAfterMs: 1_000 });
    // Another key has its own bucket.
    expect(await buckets.take('b', rule)).toEqual({ allowed: true });
    clock += 1_000;
    expect(await buckets.take('a', rule)).toEqual({ allowed: true });
    expect((await buckets.take('a', rule)).allowed).toBe(false);
  });
});

describe('redisTokenBuckets', () => {
  it('is one bucket for every process that shares the Redis: the limit holds across them', async () => {
    const keyPrefix = `test:rate:${randomBytes(4).toString('hex')}:`;
    const [one, two] = [0, 1].map(() => redisTokenBuckets({ url: REDIS_URL, keyPrefix, logger: testLogger('rate') }));
    open.push(one!, two!);
    const rule = { capacity: 4, perMinute: 1 };
    const results = await Promise.all([one!, two!, one!, two!, one!, two!].map((b) => b.take('client:x', rule)));
    expect(results.filter((r) => r.allowed)).toHaveLength(4);
    const refused = results.find((r) => !r.allowed) as { retryAfterMs: number };
    // One token a minute: the next is about a minute away.
    expect(refused.retryAfterMs).toBeGreaterThan(50_000);
    expect(refused.retryAfterMs).toBeLessThanOrEqual(60_000);
  });

  it('rejects while Redis cannot be reached, so the caller can fail open or closed', async () => {
    const buckets = redisTokenBuckets({ url: `redis://127.0.0.1:${await freePort()}`, keyPrefix: 'test:', logger: testLogger('rate') });
    open.push(buckets);
    await expect(buckets.take('k', { capacity: 1, perMinute: 1 })).rejects.toThrow();
  });
});
