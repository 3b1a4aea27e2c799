import type { IncomingMessage } from 'node:http';
import { execute, parse, type ExecutionResult, type GraphQLSchema } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUpstreamClient, type UpstreamClient } from '../../lib/http/upstream-client.js';
import type { RunningSimulator } from '../../simulators/common/simulator-server.js';
import { generateDataset, type ProductRecord } from '../../simulators/data/dataset.js';
import { startMagentoSimulator } from '../../simulators/magento/magento-simulator.js';
import { FULL_ACCESS, TEST_GATEWAY_SECRET } from '../../test/support/gateway-signing.js';
import { subgraphGraphql } from '../../test/support/graphql-client.js';
import { testLogger } from '../../test/support/logger.js';
import { resetUpstreamCalls, setFaults, upstreamCalls } from '../../test/support/simulator-admin.js';
import { createMagentoCatalog, createProductContext, createProductSchema, startProductSubgraph, type MagentoCatalog, type ProductContext } from './index.js';

/** The product subgraph against the real Magento simulator: no mocks. */
const TOKEN = 'magento-test-token';
const logger = testLogger('product-subgraph-test');
const dataset = generateDataset(5, { skus: 230, warehouses: 2, stores: 1, customers: 5 });

let magento: RunningSimulator;
let client: UpstreamClient;
let catalog: MagentoCatalog;
let schema: GraphQLSchema;

beforeAll(async () => {
  magento = await startMagentoSimulator({ dataset, port: 0, token: TOKEN, faults: { latencyMs: 0, errorRate: 0, outage: false }, logger });
  // No retries: a fault is seen at once, and counted calls are the calls made.
  client = createUpstreamClient('magento', { url: magento.url, token: TOKEN, timeoutMs: 5_000, retries: 0 });
  catalog = createMagentoCatalog(client);
  schema = await createProductSchema();
});
afterAll(async () => {
  client?.close();
  await magento?.close();
});

const newContext = (): ProductContext => createProductContext({ requestId: 'test', req: {} as IncomingMessage, principal: FULL_ACCESS }, catalog);

async function run(query: string, variables?: Record<string, unknown>, context: ProductContext = newContext()): Promise<ExecutionResult<any>> {
  return (await execute({ schema, document: parse(query), variableValues: variables, contextValue: context })) as ExecutionResult<any>;
}

const resetCalls = () => resetUpstreamCalls(magento, TOKEN);
const productSearches = async (): Promise<number> => (await upstreamCalls(magento, TOKEN)).byRoute['GET /rest/V1/products'] ?? 0;

/** Runs with a fault switched on, always switching it off again. */
async function withFaults<T>(faults: Record<string, unknown>, body: () => Promise<T>): Promise<T> {
  await setFaults(magento, TOKEN, faults);
  try {
    return await body();
  } finally {
    await setFaults(magento, TOKEN, { outage: false, garbageRate: 0, errorRate: 0 });
  }
}

const salable = (p: ProductRecord) => dataset.warehouses.reduce((sum, w) => sum + dataset.baselineQty(p, w), 0);
const categoryName = (id: number) => dataset.categories.find((c) => c.id === id)!.name;

const PAGE = /* GraphQL */ `
  query Page($first: Int, $after: String, $search: String, $categoryId: ID, $inStockOnly: Boolean) {
    products(first: $first, after: $after, search: $search, categoryId: $categoryId, inStockOnly: $inStockOnly) {
      totalCount
      edges { cursor node { sku } }
      pageInfo { hasNextPage endCursor }
    }
  }
`;

/** Walks every page of a products query; checks that each page agrees on totalCount. */
async function walk(variables: Record<string, unknown>): Promise<{ skus: string[]; totalCount: number; pages: number }> {
  const skus: string[] = [];
  let after: string | null = null;
  let totalCount: number | undefined;
  for (let pages = 1; pages < 100; pages++) {
    const result = await run(PAGE, { ...variables, after });
    expect(result.errors).toBeUndefined();
    const connection = result.data.products;
    totalCount ??= connection.totalCount;
    expect(connection.totalCount).toBe(totalCount);
    skus.push(...connection.edges.map((e: { node: { sku: string } }) => e.node.sku));
    if (!connection.pageInfo.hasNextPage) return { skus, totalCount: totalCount!, pages };
    after = connection.pageInfo.endCursor;
  }
  throw new Error('paging did not end');
}

describe('product subgraph', () => {
  it('answers a product by SKU with price, images and categories from Magento', async () => {
    const p = dataset.products[41]!;
    const result = await run(`query($sku: ID!) { product(sku: $sku) { sku name description price { amount currencyCode } images { url alt } categories { id name } } }`, { sku: p.sku });
    expect(result.errors).toBeUndefined();
    const product = result.data.product;
    expect(product).toMatchObject({ sku: p.sku, name: p.name, description: p.description, price: { amount: p.price.toFixed(2), currencyCode: 'USD' } });
    expect(product.images).toHaveLength(p.imageCount);
    expect(product.images[0]).toEqual({ url: `${magento.url}/media/catalog/product/c/g/${p.sku.toLowerCase()}-1.jpg`, alt: p.name });
    expect(product.categories).toEqual(p.categoryIds.map((id) => ({ id: String(id), name: categoryName(id) })));
  });

  it('answers null, not an error, for an unknown SKU', async () => {
    const result = await run('{ product(sku: "NO-SUCH-SKU") { sku name } }');
    expect(result).toEqual({ data: { product: null } });
  });

  it('pages through the whole catalog with a steady totalCount, no gaps and no duplicates', async () => {
    const { skus, totalCount, pages } = await walk({ first: 50 });
    expect(totalCount).toBe(230);
    expect(pages).toBe(5);
    expect(skus).toEqual(dataset.products.map((p) => p.sku));
  });

  it('uses 20 as the default page size', async () => {
    const result = await run('{ products { totalCount edges { node { sku } } pageInfo { hasNextPage } } }');
    expect(result.data.products.edges).toHaveLength(20);
    expect(result.data.products).toMatchObject({ totalCount: 230, pageInfo: { hasNextPage: true } });
  });

  it('searches names and SKUs, case-insensitively, taking wildcards literally', async () => {
    const word = dataset.products[0]!.name.split(' ')[2]!.toLowerCase();
    const expected = dataset.products.filter((p) => p.name.toLowerCase().includes(word) || p.sku.toLowerCase().includes(word)).map((p) => p.sku);
    const found = await walk({ first: 7, search: word.toUpperCase() });
    expect(found.skus).toEqual(expected);
    expect(found.totalCount).toBe(expected.length);

    expect((await walk({ search: 'cg-00001' })).skus).toEqual(dataset.products.filter((p) => p.sku.startsWith('CG-00001')).map((p) => p.sku));
    expect((await walk({ search: '%' })).totalCount).toBe(0);
    expect((await walk({ search: '_' })).totalCount).toBe(0);
    expect((await run(PAGE, { search: '  ' })).data.products.totalCount).toBe(230);
  });

  it('filters by category and by stock', async () => {
    const leaf = dataset.products[3]!.categoryIds[1]!;
    const inCategory = await walk({ first: 10, categoryId: String(leaf) });
    expect(inCategory.skus).toEqual(dataset.products.filter((p) => p.categoryIds.includes(leaf)).map((p) => p.sku));
    expect(inCategory.totalCount).toBe(inCategory.skus.length);
    expect((await run(PAGE, { categoryId: 'shoes' })).data.products).toMatchObject({ totalCount: 0, edges: [] });

    const inStock = await walk({ first: 100, inStockOnly: true });
    const expected = dataset.products.filter((p) => salable(p) > 0).map((p) => p.sku);
    expect(expected.length).toBeLessThan(dataset.products.length);
    expect(inStock.skus).toEqual(expected);
    expect((await walk({ first: 100, inStockOnly: false })).totalCount).toBe(230);
  });

  it('batches 50 entity references and product lookups into one Magento search', async () => {
    await run('{ product(sku: "CG-000001") { name categories { name } } }'); // warms the store config and categories
    const skus = dataset.products.slice(100, 148).map((p) => p.sku);
    const representations = [...skus, 'NO-SUCH-SKU', 'ALSO-MISSING'].map((sku) => ({ __typename: 'Product', sku }));
    await resetCalls();
    const result = await run(
      `query($r: [_Any!]!) { _entities(representations: $r) { ... on Product { sku name price { amount } } } a: product(sku: "CG-000003") { sku } }`,
      { r: representations },
    );
    expect(result.errors).toBeUndefined();
    expect(result.data._entities.map((e: { sku: string } | null) => e?.sku ?? null)).toEqual([...skus, null, null]);
    expect(result.data.a).toEqual({ sku: 'CG-000003' });
    expect(await productSearches()).toBe(1);
    expect((await upstreamCalls(magento, TOKEN)).requests).toBe(1);
  });

  it('splits more than 100 SKUs into searches of at most 100', async () => {
    const representations = dataset.products.slice(0, 150).map((p) => ({ __typename: 'Product', sku: p.sku }));
    await resetCalls();
    const result = await run(`query($r: [_Any!]!) { _entities(representations: $r) { ... on Product { sku } } }`, { r: representations });
    expect(result.data._entities).toHaveLength(150);
    expect(result.data._entities.every((e: unknown) => e !== null)).toBe(true);
    expect(await productSearches()).toBe(2);
  });

  it('primes the loader with listed products, so looking one up again costs no call', async () => {
    const context = newContext();
    await run('{ products(first: 5) { edges { node { sku } } } }', {}, context);
    await resetCalls();
    const again = await run('{ product(sku: "CG-000004") { name } }', {}, context);
    expect(again.data.product).toEqual({ name: dataset.products[3]!.name });
    expect(await productSearches()).toBe(0);
  });

  it('resolves Category references from the cached list', async () => {
    const result = await run(`{ _entities(representations: [{__typename: "Category", id: "3"}, {__typename: "Category", id: "999"}]) { ... on Category { id name } } }`);
    expect(result.data._entities).toEqual([{ id: '3', name: categoryName(3) }, null]);
  });

  it('refuses a bad first or after with BAD_USER_INPUT, before calling Magento', async () => {
    await resetCalls();
    for (const variables of [{ first: 0 }, { first: 101 }, { first: -5 }, { after: 'not-a-cursor' }]) {
      const result = await run(PAGE, variables);
      expect(result.data).toBeNull();
      expect(result.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
    }
    expect(await productSearches()).toBe(0);
  });

  it('reports a Magento outage as UPSTREAM_UNAVAILABLE naming magento', async () => {
    const result = await withFaults({ outage: true }, () => run('{ product(sku: "CG-000002") { name } }'));
    expect(result.data).toEqual({ product: null });
    expect(result.errors![0]!.extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', service: 'magento', status: 503 });
    // Once Magento is back, so is the product.
    expect((await run('{ product(sku: "CG-000002") { name } }')).data.product).toEqual({ name: dataset.products[1]!.name });
  });

  it('reports Magento garbage as UPSTREAM_BAD_RESPONSE naming magento', async () => {
    const result = await withFaults({ garbageRate: 1 }, () => run(PAGE, { first: 5 }));
    expect(result.data).toBeNull();
    expect(result.errors![0]!.extensions).toMatchObject({ code: 'UPSTREAM_BAD_RESPONSE', service: 'magento' });
  });
});

describe('product subgraph over HTTP', () => {
  it('serves /graphql, keeps error codes through masking, and closes', async () => {
    const server = await startProductSubgraph({ port: 0, magento: { url: magento.url, token: TOKEN, timeoutMs: 5_000, retries: 0 }, logger, gatewaySigningSecret: TEST_GATEWAY_SECRET });
    const post = (query: string, variables?: Record<string, unknown>) => subgraphGraphql(`${server.url}/graphql`, query, variables);
    try {
      const p = dataset.products[9]!;
      const ok = await post('query($sku: ID!) { product(sku: $sku) { sku price { amount currencyCode } } products(first: 2) { totalCount edges { node { sku } } } }', { sku: p.sku });
      expect(ok.status).toBe(200);
      expect(ok.body).toEqual({
        data: {
          product: { sku: p.sku, price: { amount: p.price.toFixed(2), currencyCode: 'USD' } },
          products: { totalCount: 230, edges: dataset.products.slice(0, 2).map((x) => ({ node: { sku: x.sku } })) },
        },
      });

      const bad = await post('{ products(first: 1000) { totalCount } }');
      expect(bad.body.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', requestId: expect.any(String) });

      const down = await withFaults({ outage: true }, () => post('{ product(sku: "CG-000001") { name } }'));
      expect(down.body.errors![0]!.extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', service: 'magento' });
    } finally {
      await server.close();
    }
  });
});
