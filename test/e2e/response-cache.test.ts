import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startGatewayFrom } from '../../bin/start-gateway.js';
import type { RunningStack } from '../../bin/start-stack.js';
import { openStockEventBus } from '../../lib/events/open-stock-event-bus.js';
import { TokenSigner } from '../../lib/auth/keyring.js';
import type { LocationRecord, ProductRecord } from '../../simulators/data/dataset.js';
import { scrape } from '../support/metrics-scrape.js';
import { testLogger } from '../support/logger.js';
import { adminCall } from '../support/simulator-admin.js';
import { graphql, startTestStack, type GraphQLResponse } from '../support/stack.js';
import { startTestIdp, type TestIdp } from '../support/test-idp.js';

/**
 * The gateway's response cache, on as shipped: repeated queries answered from
 * it, stock answers dropped by the stock events of their SKUs (a sale at a
 * till) and by a mutation through the gateway, and no answer ever served to a
 * caller other than the one it was made for.
 */
let stack: RunningStack;
let idp: TestIdp;
let url: string;
let products: ProductRecord[];
let store: LocationRecord;

beforeAll(async () => {
  idp = await startTestIdp('https://idp.response-cache.test');
  stack = await startTestStack({ AUTH_EXTERNAL_ISSUERS: idp.trustedBy });
  url = stack.gateway.graphqlUrl;
  products = stack.dataset.products.slice(0, 6);
  store = stack.dataset.stores[0]!;
}, 120_000);
afterAll(async () => {
  await stack?.close();
  await idp?.close();
});

const bearer = (subject: string, scopes: readonly string[]) => ({
  authorization: `Bearer ${new TokenSigner({ keyring: idp.keyring, issuer: idp.issuer, audience: idp.audience }).sign({ subject, scopes }).token}`,
});
const cacheStatus = (response: GraphQLResponse) => response.headers.get('x-cache');
const stockQuery = (sku: string) => `{ product(sku: "${sku}") { sku name stock { available } } }`;
const availableIn = (response: GraphQLResponse) => response.body.data?.product.stock.available as number;
const sell = (product: ProductRecord, quantity: number) =>
  adminCall(stack.simulators.pos, stack.config.upstreams.pos.token, 'POST', '/admin/sell', { storeId: store.id, sku: product.sku, quantity });

describe('gateway response cache', () => {
  it('answers a repeated anonymous catalog query from the cache, byte for byte', async () => {
    const query = '{ products(first: 5) { totalCount edges { node { sku name price { amount currencyCode } } } } }';
    const first = await graphql(url, query);
    expect(first.body.errors).toBeUndefined();
    expect(cacheStatus(first)).toBe('MISS');
    const before = (await scrape(`${stack.gateway.url}/metrics`)).counter('cache_requests_total', { cache: 'gateway-response', result: 'hit' });
    const second = await graphql(url, query);
    expect(cacheStatus(second)).toBe('HIT');
    expect(second.body).toEqual(first.body);
    // Its own request id, as every response has.
    expect(second.headers.get('x-request-id')).not.toBe(first.headers.get('x-request-id'));
    expect((await scrape(`${stack.gateway.url}/metrics`)).counter('cache_requests_total', { cache: 'gateway-response', result: 'hit' })).toBe(before + 1);
  });

  it("drops a kept stock answer when a sale at a till changes that SKU's stock, and only that SKU's", async () => {
    const [sold, other] = products as [ProductRecord, ProductRecord];
    const kept = await graphql(url, stockQuery(sold.sku));
    await graphql(url, stockQuery(other.sku));
    expect(cacheStatus(await graphql(url, stockQuery(sold.sku)))).toBe('HIT');
    expect(cacheStatus(await graphql(url, stockQuery(other.sku)))).toBe('HIT');

    const sale = await sell(sold, 2);
    expect(sale.delivery.status).toBe('delivered');
    // The event reaches the gateway through the bus, after the till has its answer.
    await vi.waitFor(async () => expect(availableIn(await graphql(url, stockQuery(sold.sku)))).toBe(availableIn(kept) - 2));
    expect(cacheStatus(await graphql(url, stockQuery(other.sku)))).toBe('HIT');
  });

  it('lets a caller read its own write through the gateway at once, before its event arrives', async () => {
    // A second gateway on a bus of its own that nothing publishes to: the write's event never reaches it,
    // so only the mutation itself can drop what it holds (on the stack's bus, the event often wins the race).
    const bus = openStockEventBus({ ...stack.config.events, redisUrl: undefined }, testLogger('quiet-bus'));
    const lagging = await startGatewayFrom({ ...stack.config, gateway: { ...stack.config.gateway, port: 0 } }, testLogger('gateway-2'), bus);
    try {
      const product = products[2]!;
      const writer = bearer('ops-1', ['inventory:read', 'inventory:write']);
      const read = () => graphql(lagging.graphqlUrl, stockQuery(product.sku), undefined, writer);
      const before = availableIn(await read());
      expect(cacheStatus(await read())).toBe('HIT');
      const adjusted = await graphql(lagging.graphqlUrl, 'mutation($input: StockAdjustmentInput!) { adjustStock(input: $input) { available } }', { input: { sku: product.sku, locationId: store.id, delta: 5 } }, writer);
      expect(adjusted.body.errors).toBeUndefined();
      expect(availableIn(await read())).toBe(before + 5);
    } finally {
      await lagging.close();
      await bus.close();
    }
  });

  it('never serves one caller an answer made for another', async () => {
    const query = `{ product(sku: "${products[3]!.sku}") { name stockByLocation { available location { id } } } }`;
    const reader = bearer('partner-a', ['inventory:read']);
    const first = await graphql(url, query, undefined, reader);
    expect(first.body.errors).toBeUndefined();
    expect(first.body.data?.product.stockByLocation.length).toBeGreaterThan(0);
    expect(cacheStatus(await graphql(url, query, undefined, reader))).toBe('HIT');

    // Without the scope: refused at that field, whatever is kept for the scoped caller; a refusal is never kept.
    for (let i = 0; i < 2; i += 1) {
      const anonymous = await graphql(url, query);
      // stockByLocation is non-null: its refusal nulls the product that holds it.
      expect(anonymous.body.data?.product).toBeNull();
      expect(anonymous.body.errors).toContainEqual(expect.objectContaining({ path: ['product', 'stockByLocation'], extensions: expect.objectContaining({ code: 'FORBIDDEN' }) }));
      expect(cacheStatus(anonymous)).toBeNull();
    }
    // The same scopes for another client, or more scopes for the same one: answers of their own.
    expect(cacheStatus(await graphql(url, query, undefined, bearer('partner-b', ['inventory:read'])))).toBe('MISS');
    expect(cacheStatus(await graphql(url, query, undefined, bearer('partner-a', ['inventory:read', 'orders:read'])))).toBe('MISS');
    expect(cacheStatus(await graphql(url, query, undefined, bearer('partner-a', ['inventory:read'])))).toBe('HIT');
  });

  it('never keeps what may not be cached: customers, mutations', async () => {
    const query = '{ locations { id } customer(id: "nobody") { id } }';
    const reader = bearer('partner-c', ['customers:read']);
    for (let i = 0; i < 2; i += 1) expect(cacheStatus(await graphql(url, query, undefined, reader))).toBeNull();
    const adjust = `mutation { adjustStock(input: { sku: "${products[4]!.sku}", locationId: "${store.id}", delta: 1 }) { available } }`;
    const writer = bearer('partner-c', ['inventory:write']);
    for (let i = 0; i < 2; i += 1) {
      const adjusted = await graphql(url, adjust, undefined, writer);
      expect(adjusted.body.errors).toBeUndefined();
      expect(cacheStatus(adjusted)).toBeNull();
    }
  });
});
