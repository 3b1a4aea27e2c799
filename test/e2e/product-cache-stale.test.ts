import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { RunningStack } from '../../bin/start-stack.js';
import { sha256Hex } from '../../lib/http/hmac.js';
import { subgraphGraphql } from '../support/graphql-client.js';
import { RedisServer } from '../support/redis-server.js';
import { graphql, setFaults, startTestStack, type GraphQLResponse } from '../support/stack.js';

/**
 * Magento slow, through the gateway: products and a listing read before are
 * served from the product cache (in Redis, this file's own) once past their
 * TTL, flagged in `extensions.stale` (as refreshing, then as Magento having
 * failed), while a product never read fails with Magento's timeout; with
 * Magento back, the cache catches up. Then Redis hung (SIGSTOP) and killed:
 * queries keep working, the cache bypassed. Nothing is timed: what the TTL
 * passing or a refresh makes true is waited for.
 */
const TTL_MS = 1_000;
let redis: RedisServer;
let stack: RunningStack;
let inspector: Redis;
/** The first answer, from Magento itself: what every later one must equal. */
let before: GraphQLResponse;
const keyPrefix = `test:product:${randomUUID()}:`;

beforeAll(async () => {
  redis = await RedisServer.start();
  inspector = new Redis(redis.url, { lazyConnect: true, maxRetriesPerRequest: 0 });
  stack = await startTestStack({
    REDIS_URL: redis.url,
    STOCK_STREAM_KEY: `test:stock:${randomUUID()}`,
    PRODUCT_CACHE_REDIS_KEY_PREFIX: keyPrefix,
    PRODUCT_CACHE_TTL_MS: String(TTL_MS),
    MAGENTO_TIMEOUT_MS: '300',
    // Timeouts, not an open circuit, are what this file is about.
    UPSTREAM_BREAKER_FAILURES: '1000',
  });
}, 120_000);

afterAll(async () => {
  await stack?.close();
  inspector?.disconnect();
  await redis?.kill();
});

const magento = () => stack.simulators.magento;
const magentoToken = () => stack.config.upstreams.magento.token;
const skuAt = (i: number) => stack.dataset.products[i]!.sku;

/** Two products by SKU and the first page of the listing. */
const PAGE_QUERY = `query($a: ID!, $b: ID!) {
  a: product(sku: $a) { sku name price { amount currencyCode } }
  b: product(sku: $b) { sku name }
  products(first: 3) { totalCount edges { node { sku name } } }
}`;
const LISTING_KEY = 'products?afterId=0&first=3';
const pageVariables = () => ({ a: skuAt(5), b: skuAt(40) });

const read = () => graphql(stack.gateway.graphqlUrl, PAGE_QUERY, pageVariables());
const readFromSubgraph = () => subgraphGraphql(`${stack.subgraphs.product.url}/graphql`, PAGE_QUERY, pageVariables());
interface Notice {
  reason: string;
  keys: string[];
}
const staleOf = (res: GraphQLResponse) => (res.body as { extensions?: { stale?: Notice[] } }).extensions?.stale;
/** Every key a response's notices name, whatever the reason. */
const staleKeys = (res: GraphQLResponse) => (staleOf(res) ?? []).flatMap((n) => n.keys);

/**
 * Reads until the answer is served stale for every one of `keys` (each key's TTL has passed: they were kept a
 * moment apart, so on a busy machine one may still be fresh), checking each answer is whole.
 */
async function readStale(how: () => Promise<GraphQLResponse>, expected: unknown, keys: readonly string[]): Promise<GraphQLResponse> {
  return vi.waitFor(
    async () => {
      const res = await how();
      expect(res.body.errors).toBeUndefined();
      expect(res.body.data).toEqual(expected);
      if (!keys.every((key) => staleKeys(res).includes(key))) throw new Error('not stale yet');
      return res;
    },
    { timeout: 15_000, interval: 100 },
  );
}

describe('product reads while Magento is slow', () => {
  it('reads products and a listing from Magento, kept in Redis', async () => {
    before = await read();
    expect(before.body.errors).toBeUndefined();
    expect(staleOf(before)).toBeUndefined();
    expect(before.body.data!.a).toMatchObject({ sku: skuAt(5), name: stack.dataset.productBySku.get(skuAt(5))!.name });
    expect(before.body.data!.products.edges).toHaveLength(3);
    // A page is kept under the SHA-256 of its normalised query.
    await vi.waitFor(async () => expect(await inspector.exists(`${keyPrefix}sku:${skuAt(5).toLowerCase()}`, `${keyPrefix}search:${sha256Hex('afterId=0&first=3')}`)).toBe(2));
  });

  it('serves them from the cache, flagged stale, and fails a product never read with the Magento timeout', async () => {
    await setFaults(magento(), magentoToken(), { latencyMs: 2_000 });
    try {
      const keys = [skuAt(5), skuAt(40), LISTING_KEY];
      const notice = (reason: unknown, named: unknown) => ({ service: 'product', system: 'magento', reason, keys: named, ageSeconds: expect.any(Number) });
      // The subgraph's own answer, then the gateway's, which passes its subgraphs' notices on. Each key is refreshing
      // until its refresh has failed, then Magento has failed: either, one notice per reason.
      const fromSubgraph = await readStale(readFromSubgraph, before.body.data, keys);
      expect(staleOf(fromSubgraph)).toEqual(staleOf(fromSubgraph)!.map(() => notice(expect.stringMatching(/^(refreshing|source-failed)$/), expect.any(Array))));
      expect(staleKeys(fromSubgraph)).toEqual(expect.arrayContaining(keys));
      const fromGateway = await readStale(read, before.body.data, keys);
      expect(staleKeys(fromGateway)).toEqual(expect.arrayContaining(keys));
      // Once their refreshes have failed, all of them are reported so, in one notice.
      await vi.waitFor(
        async () => {
          const res = await read();
          expect(res.body.data).toEqual(before.body.data);
          expect(staleOf(res)).toEqual([notice('source-failed', expect.arrayContaining(keys))]);
        },
        { timeout: 15_000, interval: 100 },
      );

      // A cached product beside one never read: the first served stale, the second an error naming Magento.
      const never = skuAt(120);
      const mixed = await graphql(stack.gateway.graphqlUrl, 'query($a: ID!, $n: ID!) { a: product(sku: $a) { name } n: product(sku: $n) { name } }', { a: skuAt(5), n: never });
      expect(mixed.body.data).toEqual({ a: { name: before.body.data!.a.name }, n: null });
      expect(mixed.body.errors).toHaveLength(1);
      expect(mixed.body.errors![0]).toMatchObject({ path: ['n'], extensions: { code: 'UPSTREAM_TIMEOUT', service: 'magento' } });
      expect(staleOf(mixed)).toEqual([notice('source-failed', [skuAt(5)])]);
    } finally {
      await setFaults(magento(), magentoToken(), { latencyMs: 0 });
    }
  });

  it('catches up once Magento answers again: the background refresh makes the products current', async () => {
    const current = await vi.waitFor(
      async () => {
        const res = await read();
        expect(res.body.errors).toBeUndefined();
        if (staleOf(res)) throw new Error('still stale');
        return res;
      },
      { timeout: 15_000, interval: 50 },
    );
    expect(current.body.data).toEqual(before.body.data);
  });
});

describe('product reads with Redis hung', () => {
  it('keep working while it answers nothing, and use the cache again once it does', async () => {
    redis.pause();
    try {
      // The first Redis calls give up at their deadline, then the breaker skips Redis: every answer is whole.
      for (let i = 0; i < 5; i++) {
        const res = await readFromSubgraph();
        expect(res.body.errors).toBeUndefined();
        expect(res.body.data).toEqual(before.body.data);
      }
    } finally {
      redis.resume();
    }
    // A product not read before is kept in Redis again once the breaker lets a call through.
    const sku = skuAt(150);
    await vi.waitFor(
      async () => {
        const res = await subgraphGraphql(`${stack.subgraphs.product.url}/graphql`, 'query($s: ID!) { product(sku: $s) { sku } }', { s: sku });
        expect(res.body.data).toEqual({ product: { sku } });
        expect(await inspector.exists(`${keyPrefix}sku:${sku.toLowerCase()}`)).toBe(1);
      },
      { timeout: 20_000, interval: 200 },
    );
  });
});

describe('product reads with Redis down', () => {
  beforeAll(async () => {
    inspector.disconnect();
    await redis.kill();
  });

  it('keep working: the cache is bypassed and Magento asked', async () => {
    for (let i = 0; i < 3; i++) {
      const res = await read();
      expect(res.status).toBe(200);
      expect(res.body.errors).toBeUndefined();
      expect(res.body.data).toEqual(before.body.data);
    }
    const fresh = await graphql(stack.gateway.graphqlUrl, 'query($s: ID!) { product(sku: $s) { sku } }', { s: skuAt(77) });
    expect(fresh.body).toEqual({ data: { product: { sku: skuAt(77) } } });
  });
});
