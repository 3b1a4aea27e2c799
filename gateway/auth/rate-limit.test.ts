import { describe, expect, it } from 'vitest';
import { memoryTokenBuckets, type TokenBuckets } from '../../lib/limits/token-bucket.js';
import { testLogger } from '../../test/support/logger.js';
import { rateLimiter } from './rate-limit.js';

const settings = {
  clients: { capacity: 2, perMinute: 60 },
  anonymous: { capacity: 1, perMinute: 60 },
  perClient: { 'partner-acme': { capacity: 3, perMinute: 60 } },
  failOpen: true,
};
const down: TokenBuckets = { take: async () => Promise.reject(new Error('redis down')), close: async () => undefined };

describe('rateLimiter', () => {
  it('keeps a bucket per client (its own rule if it has one) and per IP for anonymous callers', async () => {
    const limit = rateLimiter(memoryTokenBuckets({ now: () => 0 }), settings, testLogger('rate'));
    const allowedOf = async (caller: Parameters<typeof limit>[0], n: number) => (await Promise.all(Array.from({ length: n }, () => limit(caller)))).filter((r) => r.allowed).length;
    expect(await allowedOf({ ip: '10.0.0.1', issuer: 'cg', subject: 'partner-acme' }, 5)).toBe(3);
    expect(await allowedOf({ ip: '10.0.0.1', issuer: 'cg', subject: 'pos-terminal-s001' }, 5)).toBe(2);
    expect(await allowedOf({ ip: '10.0.0.1' }, 5)).toBe(1);
    expect(await allowedOf({ ip: '10.0.0.2' }, 5)).toBe(1);
  });

  it('lets requests through while the store is down when failing open, and refuses them when failing closed', async () => {
    expect(await rateLimiter(down, settings, testLogger('rate'))({ ip: '10.0.0.1' })).toEqual({ allowed: true });
    expect(await rateLimiter(down, { ...settings, failOpen: false }, testLogger('rate'))({ ip: '10.0.0.1' })).toEqual({ allowed: false, retryAfterMs: 1_000 });
  });
});
