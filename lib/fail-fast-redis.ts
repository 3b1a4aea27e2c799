import { Redis } from 'ioredis';

/**
 * A Redis client for calls on a request's path (rate limits, persisted
 * queries): each command has a deadline, and while Redis is down commands
 * fail at once (no retries, no offline queue) so a request never waits on an
 * outage; the caller decides what a failure means. It reconnects on its own;
 * connection errors surface as failed commands, so they are not also emitted.
 * Call `connect()` once (lazy, so construction never throws).
 */
export function failFastRedis(url: string, timeoutMs: number): Redis {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, enableOfflineQueue: false, commandTimeout: timeoutMs, connectTimeout: timeoutMs });
  redis.on('error', () => undefined);
  return redis;
}
