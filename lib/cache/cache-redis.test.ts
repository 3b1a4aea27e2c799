import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { testLogger } from '../../test/support/logger.js';
import { RedisServer } from '../../test/support/redis-server.js';
import { cacheRedis, type CacheRedis } from './cache-redis.js';

/** A Redis of this file's own, killed and started again under a connection. */
let server: RedisServer;
let redis: CacheRedis;
const logger = testLogger('cache-redis');
const warn = vi.spyOn(logger, 'warn');
const info = vi.spyOn(logger, 'info');

beforeAll(async () => {
  server = await RedisServer.start();
  redis = cacheRedis({ url: server.url, name: 'test cache', logger, timeoutMs: 200 });
});
afterAll(async () => {
  await redis?.close();
  await server?.kill();
});

const ping = () => redis.attempt((r) => r.ping());

describe('cacheRedis', () => {
  it('answers undefined while Redis is down, logging when the outage starts and when it ends, once each', async () => {
    expect(await ping()).toBe('PONG');
    await server.kill();
    expect(await ping()).toBeUndefined();
    expect(await ping()).toBeUndefined();
    expect(warn).toHaveBeenCalledTimes(1);
    await server.restart();
    // ioredis reconnects on its own schedule: wait for it.
    await vi.waitFor(async () => expect(await ping()).toBe('PONG'), { timeout: 10_000, interval: 50 });
    expect(await ping()).toBe('PONG');
    expect(warn).toHaveBeenCalledTimes(1);
    expect(info).toHaveBeenCalledTimes(1);
  });
});
