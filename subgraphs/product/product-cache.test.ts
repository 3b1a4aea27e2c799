import type { IncomingMessage } from 'node:http';
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { FULL_ACCESS } from '../../test/support/gateway-signing.js';
import { freePort } from '../../test/support/free-port.js';
import { testLogger } from '../../test/support/logger.js';
import type { MagentoCatalog, ProductQuery } from './magento-connector.js';
import { createProductCache, type ProductCache, type ProductCacheOptions } from './product-cache.js';
import { createProductContext } from './product-context.js';
import { Product } from './product.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const TTL = 1_000;
const STALE = 10_000;
const logger = testLogger('product-cache');

const product = (sku: string, version = 1): Product =>
  Object.assign(new Product(), {
    sku,
    name: `Name of ${sku} v${version}`,
    description: null,
    price: { amount: '9.99', currencyCode: 'USD' },
    images: [],
    entityId: sku.charCodeAt(0),
    categoryIds: [],
  });

/** A catalog that knows SKUs A, B and C, recording each batch and search it is asked for, failing while `down`. */
function fakeCatalog() {
  const calls: string[][] = [];
  const searches: ProductQuery[] = [];
  const state = { down: false, version: 1 };
  const catalog: MagentoCatalog = {
    productsBySku: async (skus) => {
      calls.push([...skus]);
      if (state.down) throw new Error('magento is down');
      return skus.filter((s) => ['a', 'b', 'c'].includes(s.toLowerCase())).map((s) => product(s.toUpperCase(), state.version));
    },
    searchProducts: async (query) => {
      searches.push(query);
      if (state.down) throw new Error('magento is down');
      return { products: [product('A', state.version), product('C', state.version)], remaining: 2 };
    },
    categories: async () => new Map(),
  };
  return { catalog, calls, searches, state };
}

const open: ProductCache[] = [];
afterAll(() => Promise.all(open.map((c) => c.close())));

function setup(options: Partial<ProductCacheOptions> = {}) {
  const clock = { now: 1_700_000_000_000 };
  const fake = fakeCatalog();
  const cache = createProductCache(fake.catalog, { ttlMs: TTL, staleMs: STALE, maxEntries: 100, now: () => clock.now, ...options }, logger);
  open.push(cache);
  return { clock, ...fake, cache };
}

const skus = async (cache: ProductCache, asked: string[]) =>
  (await cache.lookupProducts(asked)).map((s) => (s instanceof Error ? s.message : s.value?.sku ?? null));

const newContext = (cache: ProductCache) => createProductContext({ requestId: 'test', req: {} as IncomingMessage, principal: FULL_ACCESS, stale: [] }, cache);

describe('createProductCache in process', () => {
  it('asks Magento once for the misses of one turn, and not again while the products are fresh', async () => {
    const { cache, calls } = setup();
    const [first, second] = await Promise.all([skus(cache, ['A', 'B']), skus(cache, ['b', 'X'])]);
    expect(calls).toEqual([['a', 'b', 'x']]);
    expect(first).toEqual(['A', 'B']);
    expect(second).toEqual(['B', null]);
    // X is remembered as missing too.
    expect(await skus(cache, ['A', 'x'])).toEqual(['A', null]);
    expect(calls).toHaveLength(1);
  });

  it('serves a product past its TTL at once, stale, and refreshes it in the background', async () => {
    const { cache, calls, clock, state } = setup();
    await cache.lookupProducts(['A']);
    clock.now += TTL + 500;
    state.version = 2;
    const [stale] = await cache.lookupProducts(['A']);
    expect(stale).toMatchObject({ value: { name: 'Name of A v1' }, stale: true, ageMs: TTL + 500 });
    await vi.waitFor(async () => {
      const [fresh] = await cache.lookupProducts(['A']);
      expect(fresh).toMatchObject({ value: { name: 'Name of A v2' }, stale: false });
    });
    expect(calls).toEqual([['a'], ['a']]);
  });

  it('serves a cached product, stale, while Magento fails; one never read fails with the error', async () => {
    const { cache, calls, clock, state } = setup();
    await cache.lookupProducts(['A']);
    clock.now += TTL + STALE + 1;
    state.down = true;
    const [a, b] = await cache.lookupProducts(['A', 'B']);
    expect(a).toMatchObject({ value: { sku: 'A' }, stale: true, ageMs: TTL + STALE + 1 });
    expect(b).toEqual(new Error('magento is down'));
    expect(calls).toEqual([['a'], ['a', 'b']]);
  });

  it('keeps search pages by their normalised query, and their products as products', async () => {
    const { cache, calls, searches, clock, state } = setup();
    const first = await cache.lookupPage({ afterId: 0, first: 2, search: ' Linen ', inStockOnly: false });
    expect(first).toMatchObject({ stale: false, value: { remaining: 2 } });
    // The same page spelt otherwise: one entry.
    await cache.lookupPage({ afterId: 0, first: 2, search: 'linen' });
    expect(searches).toEqual([{ afterId: 0, first: 2, search: 'linen', categoryId: undefined, inStockOnly: false }]);
    expect(await skus(cache, ['C'])).toEqual(['C']);
    expect(calls).toEqual([]);
    // Another page is another search.
    await cache.lookupPage({ afterId: 0, first: 2, search: 'linen', inStockOnly: true });
    expect(searches).toHaveLength(2);
    clock.now += TTL + 1;
    state.down = true;
    expect(await cache.lookupPage({ afterId: 0, first: 2, search: 'linen' })).toMatchObject({ stale: true, ageMs: TTL + 1, value: { remaining: 2 } });
    await expect(cache.lookupPage({ afterId: 0, first: 5 })).rejects.toThrow('magento is down');
  });

  it("reports what a request was served stale in its context's notice: SKUs, searches, the oldest age", async () => {
    const { cache, clock, state } = setup();
    await cache.lookupProducts(['A', 'B']);
    await cache.lookupPage({ afterId: 0, first: 2 });
    clock.now += 5_000;
    await cache.lookupProducts(['B']);
    clock.now += 3_000;
    state.down = true;

    const context = newContext(cache);
    const [a, b, x] = await Promise.all(['a', 'B', 'X'].map((sku) => context.loaders.productBySku.load(sku).catch((e: Error) => e)));
    expect([a, b]).toMatchObject([{ sku: 'A' }, { sku: 'B' }]);
    expect(x).toEqual(new Error('magento is down'));
    await context.catalog.searchProducts({ afterId: 0, first: 2 });
    expect(context.stale).toEqual([{ service: 'product', system: 'magento', keys: ['A', 'B', 'products?afterId=0&first=2'], ageSeconds: 8 }]);

    // A request served nothing stale carries no notice.
    clock.now -= 8_000;
    const fresh = newContext(cache);
    await fresh.loaders.productBySku.load('A');
    expect(fresh.stale).toEqual([]);
  });
});

describe('createProductCache in Redis', () => {
  const redisOptions = () => ({ redisUrl: REDIS_URL, redisKeyPrefix: `test:product:${randomBytes(4).toString('hex')}:` });

  it('is one cache for every process on the Redis, serving products as the classes Magento answers are mapped to', async () => {
    const options = redisOptions();
    const one = setup(options);
    const two = setup(options);
    await one.cache.lookupProducts(['A', 'X']);
    await one.cache.lookupPage({ afterId: 0, first: 2 });
    await vi.waitFor(async () => expect(await skus(two.cache, ['a', 'x', 'c'])).toEqual(['A', null, 'C']));
    const [a] = await two.cache.lookupProducts(['A']);
    expect(a).toMatchObject({ stale: false, value: { sku: 'A', name: 'Name of A v1' } });
    expect((a as { value: Product }).value).toBeInstanceOf(Product);
    expect(await two.cache.lookupPage({ afterId: 0, first: 2 })).toMatchObject({ value: { remaining: 2, products: [{ sku: 'A' }, { sku: 'C' }] } });
    expect(two.calls).toEqual([]);
    expect(two.searches).toEqual([]);
  });

  it('serves stale from Redis while Magento fails', async () => {
    const { cache, clock, state } = setup(redisOptions());
    await cache.lookupProducts(['B']);
    clock.now += TTL + 1;
    state.down = true;
    // The write went out in the background: wait for it to be what the cache reads.
    await vi.waitFor(async () => expect((await cache.lookupProducts(['B']))[0]).toMatchObject({ value: { sku: 'B' }, stale: true }));
  });

  it('is bypassed while Redis cannot be reached: every read goes to Magento, none fails', async () => {
    const { cache, calls } = setup({ redisUrl: `redis://127.0.0.1:${await freePort()}`, redisTimeoutMs: 100 });
    expect(await skus(cache, ['A', 'X'])).toEqual(['A', null]);
    expect(await skus(cache, ['B'])).toEqual(['B']);
    expect((await cache.lookupPage({ afterId: 0, first: 2 })).value.remaining).toBe(2);
    expect(calls).toEqual([['a', 'x'], ['b']]);
  });
});
