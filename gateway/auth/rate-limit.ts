import type { IncomingMessage } from 'node:http';
import type { Principal } from '../../lib/auth/claims.js';
import type { BucketRule, TakeResult, TokenBuckets } from '../../lib/limits/token-bucket.js';
import type { Logger } from '../../lib/logger.js';

export interface RateLimitSettings {
  /** Each OAuth client's bucket (its own entry in `perClient` aside). */
  clients: BucketRule;
  /** Each IP address's bucket, for callers without a token. */
  anonymous: BucketRule;
  /** Buckets of named clients (`sub` of our own tokens). */
  perClient: Record<string, BucketRule>;
  /** With the bucket store unreachable: let requests through (true) or refuse them (false). */
  failOpen: boolean;
}

/** Who is asking: a verified token's issuer and subject, else the connection's address. */
export interface RateLimitedCaller {
  issuer?: string;
  subject?: string;
  ip: string;
}

/** The bucket owner of a request: its verified client, else its connection's address. */
export function rateLimitedCaller(req: IncomingMessage, principal: Principal): RateLimitedCaller {
  const ip = req.socket.remoteAddress ?? 'unknown';
  return principal.subject !== undefined ? { ip, subject: principal.subject, ...(principal.issuer !== undefined ? { issuer: principal.issuer } : {}) } : { ip };
}

/** Whole seconds until a refused caller's next token (Retry-After, and the WebSocket error's `retryAfterSeconds`). */
export function retryAfterSeconds(refused: { retryAfterMs: number }): number {
  return Math.ceil(refused.retryAfterMs / 1000);
}

/** One token per request from the caller's bucket: per client (its own rule, if it has one), per IP for anonymous callers. */
export function rateLimiter(buckets: TokenBuckets, settings: RateLimitSettings, logger: Logger): (caller: RateLimitedCaller) => Promise<TakeResult> {
  let storeDown = false;
  return async (caller) => {
    const named = caller.subject !== undefined;
    const key = named ? `client:${caller.issuer ?? ''}:${caller.subject}` : `ip:${caller.ip}`;
    const rule = named ? (settings.perClient[caller.subject as string] ?? settings.clients) : settings.anonymous;
    try {
      const result = await buckets.take(key, rule);
      if (storeDown) logger.info('rate limit store reachable again');
      storeDown = false;
      return result;
    } catch (err) {
      if (!storeDown) logger.warn({ err, failOpen: settings.failOpen }, `rate limit store unreachable: requests ${settings.failOpen ? 'let through' : 'refused'} until it is back`);
      storeDown = true;
      return settings.failOpen ? { allowed: true } : { allowed: false, retryAfterMs: 1_000 };
    }
  };
}
