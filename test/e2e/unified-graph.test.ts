import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Dataset, ProductRecord } from '../../simulators/data/dataset.js';
import { busyCustomerId } from '../support/busy-customer.js';
import { asClient } from '../support/gateway-token.js';
import { graphql, setFaults, startTestStack } from '../support/stack.js';
import type { RunningStack } from '../../bin/start-stack.js';

let stack: RunningStack;
let url: string;

beforeAll(async () => {
  stack = await startTestStack();
  url = stack.gateway.graphqlUrl;
});
afterAll(() => stack?.close());

const totalStock = (d: Dataset, p: ProductRecord) => [...d.warehouses, ...d.stores].reduce((sum, l) => sum + d.baselineQty(p, l), 0);

const STOREFRONT = /* GraphQL */ `
  query Storefront($first: Int, $after: String) {
    products(first: $first, after: $after) {
      totalCount
      edges { cursor node { sku name price { amount currencyCode } stock { available inStock } } }
      pageInfo { hasNextPage endCursor }
    }
  }
`;

describe('the unified graph through the gateway', () => {
  it('serves the storefront product list with live stock from two subgraphs', async () => {
    const { status, body } = await graphql(url, STOREFRONT, { first: 20 });
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    const connection = body.data!.products;
    expect(connection.totalCount).toBe(300);
    expect(connection.edges).toHaveLength(20);
    for (const { node } of connection.edges) {
      const product = stack.dataset.productBySku.get(node.sku)!;
      const available = totalStock(stack.dataset, product);
      expect(node).toEqual({
        sku: product.sku,
        name: product.name,
        price: { amount: product.price.toFixed(2), currencyCode: 'USD' },
        stock: { available, inStock: available > 0 },
      });
    }
  });

  it('serves a product page', async () => {
    const product = stack.dataset.products[41]!;
    const { body } = await graphql(
      url,
      `query Page($sku: ID!) { product(sku: $sku) { sku name description images { url } categories { id name } stock { inStock } } }`,
      { sku: product.sku },
    );
    expect(body.errors).toBeUndefined();
    const page = body.data!.product;
    expect(page.name).toBe(product.name);
    expect(page.description).toBe(product.description);
    expect(page.images).toHaveLength(product.imageCount);
    expect(page.images[0].url).toMatch(/^http:\/\/.+\.jpg$/);
    const names = product.categoryIds.map((id) => stack.dataset.categories.find((c) => c.id === id)!.name);
    expect(page.categories.map((c: { name: string }) => c.name)).toEqual(names);
  });

  it('answers null, not an error, for an unknown SKU', async () => {
    const { status, body } = await graphql(url, `{ product(sku: "NO-SUCH-SKU") { name stock { available } } }`);
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    expect(body.data).toEqual({ product: null });
  });

  it('serves stock by location', async () => {
    const product = stack.dataset.products[7]!;
    const [warehouse, store] = [stack.dataset.warehouses[0]!, stack.dataset.stores[0]!];
    const { body } = await graphql(
      url,
      `query Stock($sku: ID!, $ids: [ID!]) { product(sku: $sku) { stockByLocation(locationIds: $ids) { location { id type } onHand reserved available } } }`,
      { sku: product.sku, ids: [warehouse.id, store.id] },
      await asClient(url, 'partner-acme'),
    );
    expect(body.errors).toBeUndefined();
    const levels = body.data!.product.stockByLocation;
    expect(levels).toHaveLength(2);
    for (const location of [warehouse, store]) {
      const onHand = stack.dataset.baselineQty(product, location);
      expect(levels).toContainEqual({ location: { id: location.id, type: location.type }, onHand, reserved: 0, available: onHand });
    }
  });

  it('serves a customer with online and in-store orders and the products on them (four subgraphs)', async () => {
    const { body } = await graphql(
      url,
      `query Customer($id: ID!) {
         customer(id: $id) {
           id name sourceRecords { system externalId }
           orders(first: 50) { edges { node { id channel placedAt total { amount } lines { sku quantity product { name } } } } pageInfo { hasNextPage } }
         }
       }`,
      { id: busyCustomerId(stack.dataset) },
      await asClient(url, 'partner-acme'),
    );
    expect(body.errors).toBeUndefined();
    const customer = body.data!.customer;
    expect(customer.sourceRecords.map((r: { system: string }) => r.system).sort()).toEqual(['CRM', 'MAGENTO', 'POS']);
    const orders = customer.orders.edges.map((e: { node: any }) => e.node);
    expect(orders).toHaveLength(22);
    expect(orders.filter((o: { channel: string }) => o.channel === 'ONLINE')).toHaveLength(14);
    const placed = orders.map((o: { placedAt: string }) => o.placedAt);
    expect(placed).toEqual([...placed].sort().reverse());
    for (const order of orders) {
      for (const line of order.lines) expect(line.product.name).toBe(stack.dataset.productBySku.get(line.sku)!.name);
    }
  });

  it('pages through the whole catalog without gaps or duplicates', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 10; page++) {
      const { body }: { body: any } = await graphql(url, STOREFRONT, { first: 100, after });
      expect(body.errors).toBeUndefined();
      seen.push(...body.data.products.edges.map((e: { node: { sku: string } }) => e.node.sku));
      if (!body.data.products.pageInfo.hasNextPage) break;
      after = body.data.products.pageInfo.endCursor;
    }
    expect(seen).toEqual(stack.dataset.products.map((p) => p.sku));
  });
});

describe('bad input gets a clear error with a stable code', () => {
  const post = (body: string, contentType = 'application/json') =>
    fetch(url, { method: 'POST', headers: { 'content-type': contentType, accept: 'application/graphql-response+json' }, body });

  it('malformed JSON: 400', async () => {
    const res = await post('{"query": "{ products { totalCount } ');
    expect(res.status).toBe(400);
    const body = (await res.json()) as { errors: Array<{ message: string }> };
    expect(body.errors[0]!.message).not.toMatch(/at .+\.(js|ts):\d+/);
  });

  it('a syntax error: 400 GRAPHQL_PARSE_FAILED', async () => {
    const { status, body } = await graphql(url, '{ products { ');
    expect(status).toBe(400);
    expect(body.errors![0]!.extensions).toMatchObject({ code: 'GRAPHQL_PARSE_FAILED', requestId: expect.any(String) });
  });

  it('an unknown field: 400 GRAPHQL_VALIDATION_FAILED', async () => {
    const { status, body } = await graphql(url, '{ products { totalCount shoeSize } }');
    expect(status).toBe(400);
    expect(body.errors![0]!.extensions!.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(body.errors![0]!.message).toContain('shoeSize');
  });

  it('a variable of the wrong type: BAD_USER_INPUT', async () => {
    const { status, body } = await graphql(url, STOREFRONT, { first: 'twenty' });
    expect(status).toBe(400);
    expect(body.errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
  });

  it('an out-of-range argument: BAD_USER_INPUT', async () => {
    const { body } = await graphql(url, STOREFRONT, { first: 0 });
    expect(body.errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
  });

  it('Magento answering garbage: UPSTREAM_BAD_RESPONSE naming the system, while other fields still resolve', async () => {
    const { magento } = stack.simulators;
    await setFaults(magento, stack.config.upstreams.magento.token, { garbageRate: 1 });
    try {
      // A SKU nobody asked for yet: the product cache would answer a known one (served stale while Magento fails).
      const { status, body } = await graphql(url, `{ product(sku: "NEVER-READ-1") { name } locations { id } }`);
      expect(status).toBe(200);
      expect(body.data?.locations?.length).toBe(stack.dataset.warehouses.length + stack.dataset.stores.length);
      expect(body.errors![0]!.extensions).toMatchObject({ code: 'UPSTREAM_BAD_RESPONSE', service: 'magento' });
      expect(JSON.stringify(body)).not.toMatch(/\.ts:\d+|node_modules/);
    } finally {
      await setFaults(magento, stack.config.upstreams.magento.token, { garbageRate: 0 });
    }
  });

  it('Magento answering an HTML error page: UPSTREAM_UNAVAILABLE naming the system', async () => {
    const { magento } = stack.simulators;
    await setFaults(magento, stack.config.upstreams.magento.token, { errorRate: 1 });
    try {
      const { body } = await graphql(url, `{ product(sku: "NEVER-READ-2") { name } }`);
      expect(body.errors![0]!.extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', service: 'magento' });
      expect(body.errors![0]!.message).not.toContain('<html');
    } finally {
      await setFaults(magento, stack.config.upstreams.magento.token, { errorRate: 0 });
    }
  });

  it('returns the request id in a header', async () => {
    const { headers } = await graphql(url, '{ locations { id } }', undefined, { 'x-request-id': 'req-e2e-1' });
    expect(headers.get('x-request-id')).toBe('req-e2e-1');
  });
});

describe('GraphiQL in development', () => {
  it('serves a page and its assets from the gateway itself, no CDN', async () => {
    const page = await fetch(url, { headers: { accept: 'text/html' } });
    expect(page.headers.get('content-type')).toContain('text/html');
    const html = await page.text();
    const assets = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
    expect(assets.length).toBe(4);
    for (const asset of assets) {
      expect(asset.startsWith('/')).toBe(true);
      const res = await fetch(new URL(asset, url));
      expect(res.status, asset).toBe(200);
      expect((await res.arrayBuffer()).byteLength).toBeGreaterThan(1000);
    }
  });
});
