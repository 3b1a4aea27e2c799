import { failFastRedis } from '../fail-fast-redis.js';
import { LRUCache } from 'lru-cache';
import type { Logger } from '../logger.js';

/** A bucket's size and refill: `capacity` requests at once, refilled at `perMinute` a minute. */
export interface BucketRule {
  capacity: number;
  perMinute: number;
}

/** What taking one token from a bucket came to. */
export type TakeResult = { allowed: true } | { allowed: false; retryAfterMs: number };

export interface TokenBuckets {
  /** Takes one token from `key`'s bucket (created full). */
  take(key: string, rule: BucketRule): Promise<TakeResult>;
  close(): Promise<void>;
}

/**
 * One atomic step of a token bucket in Redis, on Redis's own clock (so
 * processes with skewed clocks share one bucket): refill for the time passed,
 * take a token if there is one, and say how long until the next otherwise.
 * The key expires once the bucket would be full again.
 */
const TAKE = `
local capacity = tonumber(ARGV[1])
local per_ms = tonumber(ARGV[2])
local t = redis.call('TIME')
local now = t[1] * 1000 + math.floor(t[2] / 1000)
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(state[1]) or capacity
local at = tonumber(state[2]) or now
tokens = math.min(capacity, tokens + math.max(0, now - at) * per_ms)
local wait = 0
if tokens >= 1 then tokens = tokens - 1 else wait = math.ceil((1 - tokens) / per_ms) end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', now)
redis.call('PEXPIRE', KEYS[1], math.ceil((capacity - tokens) / per_ms) + 1000)
return wait`;

/** Buckets in Redis, shared by every gateway process: the limit holds however many there are. */
export function redisTokenBuckets(options: { url: string; keyPrefix: string; timeoutMs?: number; logger: Logger }): TokenBuckets {
  // Fails fast while Redis is down: the caller decides open or closed.
  const redis = failFastRedis(options.url, options.timeoutMs ?? 500);
  redis.defineCommand('takeToken', { numberOfKeys: 1, lua: TAKE });
  const connected = redis.connect().catch((err: unknown) => options.logger.warn({ err }, 'rate limit store unreachable; retrying'));
  return {
    async take(key, rule) {
      await connected;
      const wait = Number(await (redis as unknown as { takeToken(k: string, c: number, r: number): Promise<number> }).takeToken(`${options.keyPrefix}${key}`, rule.capacity, rule.perMinute / 60_000));
      return wait > 0 ? { allowed: false, retryAfterMs: wait } : { allowed: true };
    },
    async close() {
      redis.disconnect();
    },
  };
}

/** The same buckets in this process (no Redis): one gateway's limit. */
export function memoryTokenBuckets(options: { maxKeys?: number; now?: () => number } = {}): TokenBuckets {
  const now = options.now ?? Date.now;
  // The least recently seen callers go first: a flood of new keys cannot grow memory.
  const buckets = new LRUCache<string, { tokens: number; at: number }>({ max: options.maxKeys ?? 100_000 });
  return {
    async take(key, rule) {
      const perMs = rule.perMinute / 60_000;
      const t = now();
      const bucket = buckets.get(key) ?? { tokens: rule.capacity, at: t };
      bucket.tokens = Math.min(rule.capacity, bucket.tokens + Math.max(0, t - bucket.at) * perMs);
      bucket.at = t;
      buckets.set(key, bucket);
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
        return { allowed: true };
      }
      return { allowed: false, retryAfterMs: Math.ceil((1 - bucket.tokens) / perMs) };
    },
    async close() {},
  };
}
