import { describe, expect, it } from 'vitest';
import type { MagentoCatalog } from './magento-connector.js';
import { cachingCatalog } from './product-cache.js';
import type { Product } from './product.js';

const product = (sku: string) => ({ sku, name: `Name of ${sku}` }) as Product;

/** A catalog that knows SKUs A, B and C, recording each batch it is asked for, failing while `down`. */
function fakeCatalog() {
  const calls: string[][] = [];
  const state = { down: false };
  const catalog: MagentoCatalog = {
    productsBySku: async (skus) => {
      calls.push([...skus]);
      if (state.down) throw new Error('magento is down');
      return skus.filter((s) => ['a', 'b', 'c'].includes(s.toLowerCase())).map((s) => product(s.toUpperCase()));
    },
    searchProducts: async () => ({ products: [product('A'), product('C')], remaining: 2 }),
    categories: async () => new Map(),
  };
  return { catalog, calls, state };
}

describe('cachingCatalog', () => {
  it('asks Magento once for the misses of one turn, and not again while the products are fresh', async () => {
    const { catalog, calls } = fakeCatalog();
    const cached = cachingCatalog(catalog, { ttlMs: 60_000, maxEntries: 100 });
    const [first, second] = await Promise.all([cached.productsBySku(['A', 'B']), cached.productsBySku(['b', 'X'])]);
    expect(calls).toEqual([['a', 'b', 'x']]);
    expect(first.map((p) => p.sku)).toEqual(['A', 'B']);
    expect(second.map((p) => p.sku)).toEqual(['B']);
    // X is remembered as missing too.
    expect((await cached.productsBySku(['A', 'x'])).map((p) => p.sku)).toEqual(['A']);
    expect(calls).toHaveLength(1);
  });

  it('keeps the products a search page brought back', async () => {
    const { catalog, calls } = fakeCatalog();
    const cached = cachingCatalog(catalog, { ttlMs: 60_000, maxEntries: 100 });
    await cached.searchProducts({ afterId: 0, first: 2 });
    expect((await cached.productsBySku(['C'])).map((p) => p.sku)).toEqual(['C']);
    expect(calls).toEqual([]);
  });

  it('asks again once a product has expired, and serves the expired one while Magento fails', async () => {
    let clock = 1_000_000;
    const { catalog, calls, state } = fakeCatalog();
    const cached = cachingCatalog(catalog, { ttlMs: 1_000, maxEntries: 100, now: () => clock });
    await cached.productsBySku(['A']);
    clock += 1_001;
    await cached.productsBySku(['A']);
    expect(calls).toEqual([['a'], ['a']]);
    clock += 1_001;
    state.down = true;
    expect((await cached.productsBySku(['A'])).map((p) => p.sku)).toEqual(['A']);
    expect(calls).toHaveLength(3);
    // Never seen: nothing to fall back on, so Magento's failure shows.
    await expect(cached.productsBySku(['B'])).rejects.toThrow('magento is down');
  });
});
