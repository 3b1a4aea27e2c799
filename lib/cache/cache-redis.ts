import type { Redis } from 'ioredis';
import { failFastRedis } from '../fail-fast-redis.js';
import type { Logger } from '../logger.js';

/** A Redis connection for a cache on a request's path, where Redis failing must never fail the request. */
export interface CacheRedis {
  /** Runs `command`; a failure (Redis down, or slower than the deadline) is undefined, never an error. */
  attempt<T>(command: (redis: Redis) => Promise<T>): Promise<T | undefined>;
  close(): Promise<void>;
}

export interface CacheRedisOptions {
  url: string;
  /** Deadline of each command (and of connecting); past it the command counts as failed. @default 200 */
  timeoutMs?: number;
  /** What the logs call the cache: `product cache`. */
  name: string;
  logger: Logger;
}

/**
 * One fail-fast connection (lib/fail-fast-redis.ts) for a cache: while Redis
 * is down commands fail at once and a slow one gives up at its deadline, so
 * callers go to the source instead of waiting. An outage is logged when it
 * starts and when it ends, not once per failed command.
 */
export function cacheRedis(options: CacheRedisOptions): CacheRedis {
  const redis = failFastRedis(options.url, options.timeoutMs ?? 200);
  // The first commands wait for the first connection instead of failing for want of one.
  const connected = redis.connect().catch(() => undefined);
  let failing = false;
  return {
    async attempt(command) {
      try {
        await connected;
        const result = await command(redis);
        if (failing) options.logger.info(`${options.name}: Redis reachable again, cache in use`);
        failing = false;
        return result;
      } catch (err) {
        if (!failing) options.logger.warn({ err }, `${options.name}: Redis unreachable, cache bypassed (reads go to the source) until it answers`);
        failing = true;
        return undefined;
      }
    },
    async close() {
      redis.disconnect();
    },
  };
}
