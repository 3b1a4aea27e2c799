import { BrokenCircuitError, CircuitState, ConsecutiveBreaker, circuitBreaker, handleAll } from 'cockatiel';
import type { Redis } from 'ioredis';
import { failFastRedis } from '../fail-fast-redis.js';
import { reportCircuit } from '../http/circuit-status.js';
import type { Logger } from '../logger.js';

/** A Redis connection for a cache on a request's path, where Redis failing must never fail the request. */
export interface CacheRedis {
  /**
   * Runs `command`; a failure (Redis down, or slower than the deadline) is
   * undefined, never an error, and so is a call skipped while the breaker is
   * open or after `close()` (then `command` is not run at all).
   */
  attempt<T>(command: (redis: Redis) => Promise<T>): Promise<T | undefined>;
  close(): Promise<void>;
}

export interface CacheRedisOptions {
  url: string;
  /** Deadline of each command (and of connecting); past it the command counts as failed. @default 200 */
  timeoutMs?: number;
  /** What the logs call the cache: `product cache`. */
  name: string;
  /** What callers do while Redis fails, for the log: `cache bypassed (reads go to the source)`. @default 'cache bypassed (reads go to the source)' */
  whileDown?: string;
  logger: Logger;
  /** Failed commands in a row after which Redis is not called at all (the breaker opens). @default 3 */
  breakerFailures?: number;
  /** How long the breaker stays open before one command probes Redis again, in ms. @default 5000 */
  halfOpenAfterMs?: number;
}

/**
 * One fail-fast connection (lib/fail-fast-redis.ts) for a cache: while Redis
 * is down commands fail at once and a slow one gives up at its deadline, so
 * callers go to the source instead of waiting. An outage is logged when it
 * starts and when it ends, not once per failed command.
 *
 * A circuit breaker (cockatiel) sits in front: a Redis that hangs (stopped,
 * partitioned: no reset, just no answers) would otherwise cost every lookup
 * the full deadline, and ioredis keeps each timed-out command queued until an
 * answer or a reconnect. After `breakerFailures` failures in a row no command
 * is sent for `halfOpenAfterMs`; then one probes, and the others skip Redis
 * until it has answered.
 */
export function cacheRedis(options: CacheRedisOptions): CacheRedis {
  const redis = failFastRedis(options.url, options.timeoutMs ?? 200);
  // The first commands wait for the first connection instead of failing for want of one.
  const connected = redis.connect().catch(() => undefined);
  const breaker = circuitBreaker(handleAll, { halfOpenAfter: options.halfOpenAfterMs ?? 5_000, breaker: new ConsecutiveBreaker(options.breakerFailures ?? 3) });
  const whileDown = options.whileDown ?? 'cache bypassed (reads go to the source)';
  let failing = false;
  let closed = false;
  const unobserve = reportCircuit('redis', options.name, breaker);
  return {
    async attempt(command) {
      // Closed: a late caller (a background refresh) must neither reconnect nor log an outage after shutdown.
      if (closed) return undefined;
      try {
        // Half-open, cockatiel makes every caller wait on the probe; these skip Redis instead.
        if (breaker.state === CircuitState.HalfOpen) return undefined;
        const result = await breaker.execute(async () => {
          await connected;
          return command(redis);
        });
        if (failing) options.logger.info(`${options.name}: Redis reachable again`);
        failing = false;
        return result;
      } catch (err) {
        if (err instanceof BrokenCircuitError || closed) return undefined;
        if (!failing) options.logger.warn({ err }, `${options.name}: Redis unreachable, ${whileDown} until it answers`);
        failing = true;
        return undefined;
      }
    },
    async close() {
      closed = true;
      unobserve();
      redis.disconnect();
    },
  };
}
