import type { IncomingMessage } from 'node:http';
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { FULL_ACCESS } from '../../test/support/gateway-signing.js';
import { freePort } from '../../test/support/free-port.js';
import { testLogger } from '../../test/support/logger.js';
import { sha256Hex } from '../../lib/http/hmac.js';
import { category } from './category.js';
import type { MagentoCatalog, ProductQuery } from './magento-connector.js';
import { createProductCache, type ProductCache, type ProductCacheOptions } from './product-cache.js';
import { MAX_CACHED_SEARCH_CHARS } from './product-search-key.js';
import { createProductContext } from './product-context.js';
import { Product } from './product.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const TTL = 1_000;
const STALE = 10_000;
const CATEGORY_TTL = 5_000;
const RETRY = 500;
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

const CATEGORIES = new Map([['1', category('1', 'Linen')]]);

/**
 * A catalog that knows SKUs A, B and C and one category, recording each batch,
 * search and category read it is asked for, failing while `down`; `hold()`
 * keeps its answers waiting until `release()`.
 */
function fakeCatalog() {
  const calls: string[][] = [];
  const searches: ProductQuery[] = [];
  const categoryReads = { count: 0 };
  const state = { down: false, version: 1 };
  let gate: Promise<void> | undefined;
  let open: (() => void) | undefined;
  const answer = async () => {
    await gate;
    if (state.down) throw new Error('magento is down');
  };
  const catalog: MagentoCatalog = {
    productsBySku: async (skus) => {
      calls.push([...skus]);
      const version = state.version;
      await answer();
      return skus.filter((s) => ['a', 'b', 'c'].includes(s.toLowerCase())).map((s) => product(s.toUpperCase(), version));
    },
    searchProducts: async (query) => {
      searches.push(query);
      await answer();
      return { products: [product('A', state.version), product('C', state.version)], remaining: 2 };
    },
    categories: async () => {
      categoryReads.count++;
      await answer();
      return CATEGORIES;
    },
  };
  const hold = () => {
    gate = new Promise((resolve) => (open = resolve));
  };
  const release = () => {
    gate = undefined;
    open?.();
  };
  return { catalog, calls, searches, categoryReads, state, hold, release };
}

const open: ProductCache[] = [];
afterAll(() => Promise.all(open.map((c) => c.close())));

function setup(options: Partial<ProductCacheOptions> = {}) {
  const clock = { now: 1_700_000_000_000 };
  const fake = fakeCatalog();
  const cache = createProductCache(fake.catalog, { ttlMs: TTL, staleMs: STALE, categoryTtlMs: CATEGORY_TTL, retryAfterMs: RETRY, maxEntries: 100, now: () => clock.now, ...options }, logger);
  open.push(cache);
  return { clock, ...fake, cache };
}

const skus = async (cache: ProductCache, asked: string[]) =>
  (await cache.lookupProducts(asked)).map((s) => (s instanceof Error ? s.message : s.value?.sku ?? null));

const newContext = (cache: ProductCache) => createProductContext({ requestId: 'test', req: {} as IncomingMessage, principal: FULL_ACCESS, stale: [] }, cache);

/** With A read: lets it go stale, holds its background refresh, and closes: close() waits for the refresh, then resolves once it is released. */
async function closeWhileRefreshing({ cache, clock, state, hold, release, calls }: ReturnType<typeof setup>): Promise<void> {
  clock.now += TTL + 1;
  state.version = 2;
  hold();
  await cache.lookupProducts(['A']);
  await vi.waitFor(() => expect(calls).toHaveLength(2));
  let closed = false;
  const closing = cache.close().then(() => (closed = true));
  // Turns of the event loop, not time: the refresh is held, so close() cannot have finished.
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
  expect(closed).toBe(false);
  release();
  await closing;
  expect(closed).toBe(true);
}

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
    clock.now += TTL + STALE;
    state.down = true;
    const [a, b] = await cache.lookupProducts(['A', 'B']);
    expect(a).toMatchObject({ value: { sku: 'A' }, stale: true, ageMs: TTL + STALE });
    expect(b).toEqual(new Error('magento is down'));
    expect(calls).toEqual([['a'], ['a', 'b']]);
  });

  it('keeps an entry in process only as long as Redis would: past TTL + stale window it is gone, and "no such SKU" goes sooner', async () => {
    const { cache, calls, clock, state } = setup({ staleMs: 600_000, unknownSkuStaleMs: 2_000 });
    expect(await skus(cache, ['A', 'X'])).toEqual(['A', null]);
    clock.now += TTL + 2_001;
    state.down = true;
    // X is no longer held: Magento is asked, and its error is the answer.
    const [a, x] = await cache.lookupProducts(['A', 'X']);
    expect(a).toMatchObject({ value: { sku: 'A' }, stale: true });
    expect(x).toEqual(new Error('magento is down'));
    clock.now += 600_000;
    expect(await skus(cache, ['A'])).toEqual(['magento is down']);
    expect(calls.at(-1)).toEqual(['a']);
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
    await vi.waitFor(async () => expect(await cache.lookupProducts(['B'])).toMatchObject([{ stale: false }]));
    clock.now += 3_000;
    state.down = true;

    const context = newContext(cache);
    const [a, b, x] = await Promise.all(['a', 'B', 'X'].map((sku) => context.loaders.productBySku.load(sku).catch((e: Error) => e)));
    expect([a, b]).toMatchObject([{ sku: 'A' }, { sku: 'B' }]);
    expect(x).toEqual(new Error('magento is down'));
    await context.catalog.searchProducts({ afterId: 0, first: 2 });
    expect(context.stale).toEqual([{ service: 'product', system: 'magento', reason: 'refreshing', keys: ['A', 'B', 'products?afterId=0&first=2'], ageSeconds: 8 }]);

    // A request served nothing stale carries no notice.
    clock.now -= 8_000;
    const fresh = newContext(cache);
    await fresh.loaders.productBySku.load('A');
    expect(fresh.stale).toEqual([]);
  });

  it('tells a refresh (Magento fine) from a failure (Magento failed) in its notices: one notice per reason', async () => {
    const { cache, clock, state } = setup();
    await cache.lookupProducts(['A', 'B']);
    clock.now += TTL + 1;
    // Magento is fine: the first read past the TTL is served while it is read again, as usual.
    const refreshing = newContext(cache);
    await refreshing.loaders.productBySku.load('A');
    expect(refreshing.stale).toEqual([{ service: 'product', system: 'magento', reason: 'refreshing', keys: ['A'], ageSeconds: 1 }]);
    await vi.waitFor(async () => expect(await cache.lookupProducts(['A'])).toMatchObject([{ stale: false }]));

    // B's refresh fails: from then on B is served because Magento failed, beside A, refreshed as usual.
    state.down = true;
    await cache.lookupProducts(['B']);
    await vi.waitFor(async () => expect(await cache.lookupProducts(['B'])).toMatchObject([{ reason: 'source-failed' }]));
    clock.now += TTL + 1;
    const both = newContext(cache);
    await Promise.all([both.loaders.productBySku.load('A'), both.loaders.productBySku.load('B')]);
    expect(both.stale).toEqual([
      { service: 'product', system: 'magento', reason: 'refreshing', keys: ['A'], ageSeconds: 1 },
      { service: 'product', system: 'magento', reason: 'source-failed', keys: ['B'], ageSeconds: 2 },
    ]);
  });

  it('keeps the category list: past its TTL served while Magento fails (reported), Magento asked again once per retryAfterMs', async () => {
    const { cache, clock, state, categoryReads } = setup();
    expect(await newContext(cache).catalog.categories()).toEqual(CATEGORIES);
    expect(await newContext(cache).catalog.categories()).toEqual(CATEGORIES);
    expect(categoryReads.count).toBe(1);
    clock.now += CATEGORY_TTL + 1;
    state.down = true;
    const first = newContext(cache);
    expect(await first.catalog.categories()).toEqual(CATEGORIES);
    expect(first.stale).toEqual([{ service: 'product', system: 'magento', reason: 'refreshing', keys: ['categories'], ageSeconds: 5 }]);
    await vi.waitFor(async () => expect(await cache.lookupCategories()).toMatchObject({ reason: 'source-failed' }));
    // Known to fail: served at once, not read again by every request.
    const requests = Array.from({ length: 5 }, () => newContext(cache));
    for (const request of requests) expect(await request.catalog.categories()).toEqual(CATEGORIES);
    expect(requests[0]!.stale).toEqual([{ service: 'product', system: 'magento', reason: 'source-failed', keys: ['categories'], ageSeconds: 5 }]);
    expect(categoryReads.count).toBe(2);
    clock.now += RETRY;
    state.down = false;
    await newContext(cache).catalog.categories();
    await vi.waitFor(async () => expect(await cache.lookupCategories()).toMatchObject({ stale: false }));
    expect(categoryReads.count).toBe(3);
  });

  it('does not cache a search whose text is longer than MAX_CACHED_SEARCH_CHARS', async () => {
    const { cache, searches } = setup();
    const long = { afterId: 0, first: 2, search: 'x'.repeat(MAX_CACHED_SEARCH_CHARS + 1) };
    await cache.lookupPage(long);
    expect(await cache.lookupPage(long)).toMatchObject({ stale: false, value: { remaining: 2 } });
    expect(searches).toHaveLength(2);
    const atTheBound = { afterId: 0, first: 2, search: 'x'.repeat(MAX_CACHED_SEARCH_CHARS) };
    await cache.lookupPage(atTheBound);
    await cache.lookupPage(atTheBound);
    expect(searches).toHaveLength(3);
  });

  it('close() waits for a refresh still running, and keeps nothing it answers', async () => {
    const cached = setup();
    await cached.cache.lookupProducts(['A']);
    await closeWhileRefreshing(cached);
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

  it('keeps search pages under the SHA-256 of their query, and "no such SKU" only a short while past the TTL', async () => {
    const options = redisOptions();
    const inspector = new Redis(REDIS_URL, { lazyConnect: true });
    try {
      const { cache } = setup({ ...options, staleMs: 86_400_000 });
      await cache.lookupProducts(['A', 'X']);
      await cache.lookupPage({ afterId: 0, first: 2, search: 'Linen' });
      const pageKey = `${options.redisKeyPrefix}search:${sha256Hex('afterId=0&first=2&search=linen')}`;
      await vi.waitFor(async () => expect(await inspector.exists(pageKey, `${options.redisKeyPrefix}sku:a`, `${options.redisKeyPrefix}sku:x`)).toBe(3));
      expect(await inspector.keys(`${options.redisKeyPrefix}search:*`)).toEqual([pageKey]);
      expect(await inspector.pttl(`${options.redisKeyPrefix}sku:a`)).toBeGreaterThan(TTL + 60_000);
      expect(await inspector.pttl(`${options.redisKeyPrefix}sku:x`)).toBeLessThanOrEqual(TTL + 60_000);
      // A key longer than any SKU is kept under its digest.
      const long = 'Z'.repeat(65);
      await cache.lookupProducts([long]);
      await vi.waitFor(async () => expect(await inspector.exists(`${options.redisKeyPrefix}sku:#${sha256Hex(long.toLowerCase())}`)).toBe(1));
    } finally {
      inspector.disconnect();
    }
  });

  it('close() waits for a refresh still running, writes nothing it answers, and logs no Redis failure after it', async () => {
    const options = redisOptions();
    const inspector = new Redis(REDIS_URL, { lazyConnect: true });
    const warn = vi.spyOn(logger, 'warn');
    try {
      const cached = setup(options);
      await cached.cache.lookupProducts(['A']);
      await vi.waitFor(async () => expect(await inspector.exists(`${options.redisKeyPrefix}sku:a`)).toBe(1));
      await closeWhileRefreshing(cached);
      expect(JSON.parse((await inspector.get(`${options.redisKeyPrefix}sku:a`))!).value.name).toBe('Name of A v1');
      expect(warn).not.toHaveBeenCalled();
    } finally {
      warn.mockRestore();
      inspector.disconnect();
    }
  });

  it('is bypassed while Redis cannot be reached: every read goes to Magento, none fails', async () => {
    const { cache, calls } = setup({ redisUrl: `redis://127.0.0.1:${await freePort()}`, redisTimeoutMs: 100 });
    expect(await skus(cache, ['A', 'X'])).toEqual(['A', null]);
    expect(await skus(cache, ['B'])).toEqual(['B']);
    expect((await cache.lookupPage({ afterId: 0, first: 2 })).value.remaining).toBe(2);
    expect(calls).toEqual([['a', 'x'], ['b']]);
  });
});
