import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { testLogger } from '../../test/support/logger.js';
import { RedisServer } from '../../test/support/redis-server.js';
import { cacheRedis, type CacheRedis } from './cache-redis.js';

/** A Redis of this file's own, killed, stopped and started again under a connection. */
let server: RedisServer;
const open: CacheRedis[] = [];
const logger = testLogger('cache-redis');
const warn = vi.spyOn(logger, 'warn');
const info = vi.spyOn(logger, 'info');

beforeAll(async () => {
  server = await RedisServer.start();
});
afterAll(async () => {
  await Promise.all(open.map((r) => r.close()));
  await server?.kill();
});

const connect = (options: { breakerFailures?: number; halfOpenAfterMs?: number } = {}) => {
  const redis = cacheRedis({ url: server.url, name: 'test cache', logger, timeoutMs: 200, ...options });
  open.push(redis);
  return redis;
};

describe('cacheRedis', () => {
  it('answers undefined while Redis is down, logging when the outage starts and when it ends, once each', async () => {
    // A short half-open wait: the probes while ioredis reconnects fail, and the breaker opens in between.
    const redis = connect({ halfOpenAfterMs: 50 });
    const ping = () => redis.attempt((r) => r.ping());
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

  it('stops sending commands to a Redis that hangs once its breaker opens, and probes it again after the wait', async () => {
    // Date only: cockatiel measures the half-open wait on Date.now; the command deadlines stay real timers.
    vi.useFakeTimers({ toFake: ['Date'] });
    const redis = connect({ breakerFailures: 2, halfOpenAfterMs: 10_000 });
    let sent = 0;
    let client: Redis | undefined;
    const get = () =>
      redis.attempt((r) => {
        sent++;
        client = r;
        return r.get('cache-redis-test:k');
      });
    try {
      expect(await get()).toBeNull();
      server.pause();
      // Two commands reach the hung Redis, each given up at its deadline; then the breaker opens.
      expect(await get()).toBeUndefined();
      expect(await get()).toBeUndefined();
      expect(sent).toBe(3);
      const queued = client!.commandQueue.length;
      expect(queued).toBe(2);

      // Open: lookups are answered at once, no command is sent, ioredis queues nothing more.
      expect(await Promise.all(Array.from({ length: 50 }, get))).toEqual(Array.from({ length: 50 }, () => undefined));
      expect(sent).toBe(3);
      expect(client!.commandQueue.length).toBe(queued);

      server.resume();
      // Past the wait a probe goes through and closes the breaker (a probe that fails opens it again: moved past again).
      await vi.waitFor(
        async () => {
          vi.setSystemTime(Date.now() + 10_001);
          expect(await get()).toBeNull();
        },
        { timeout: 10_000, interval: 50 },
      );
      // Redis is used again: every lookup is a command.
      const probed = sent;
      await redis.attempt((r) => r.set('cache-redis-test:k', 'v'));
      expect(await get()).toBe('v');
      expect(sent).toBe(probed + 1);
    } finally {
      vi.useRealTimers();
      // Not left stopped for the next test, whatever failed.
      try {
        server.resume();
      } catch {}
    }
  });

  it('sends nothing once closed: a late caller is undefined, with nothing logged', async () => {
    const redis = connect();
    const before = warn.mock.calls.length;
    let sent = 0;
    expect(await redis.attempt(async (r) => (sent++, r.ping()))).toBe('PONG');
    await redis.close();
    expect(await redis.attempt(async (r) => (sent++, r.ping()))).toBeUndefined();
    expect(sent).toBe(1);
    expect(warn.mock.calls.length).toBe(before);
  });
});
