import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startGatewayFrom } from '../../bin/start-gateway.js';
import type { RunningStack } from '../../bin/start-stack.js';
import type { RunningGateway } from '../../gateway/gateway-server.js';
import { loadConfig } from '../../lib/config.js';
import { sha256Hex } from '../../lib/http/hmac.js';
import type { LocationRecord, ProductRecord } from '../../simulators/data/dataset.js';
import { asClient, demoToken } from '../support/gateway-token.js';
import { postGraphql } from '../support/graphql-client.js';
import { testLogger } from '../support/logger.js';
import { RedisServer } from '../support/redis-server.js';
import { adminCall } from '../support/simulator-admin.js';
import { graphql, startTestStack } from '../support/stack.js';
import { subscribe, type Subscription } from '../support/subscription-client.js';

/**
 * Redis killed and started again under the whole stack (its Redis is this
 * file's own): queries keep working without it (the persisted query store
 * misses, the rate limiter fails open, or closed where configured so), and an
 * open `stockChanged` subscription carries on once it is back, nothing twice.
 * Nothing here is timed: every request is awaited for its answer (each Redis
 * call on a request's path has a deadline, so none can hang), and what Redis
 * coming back makes true is waited for.
 */
let redis: RedisServer;
let stack: RunningStack;
/** A second gateway on the same Redis, subgraphs and bus, with `RATE_LIMIT_FAIL_OPEN=false`. */
let failClosed: RunningGateway;
let url: string;
let product: ProductRecord;
let store: LocationRecord;
let terminal: { authorization: string };
let failClosedTerminal: { authorization: string };
/** Open from before the outage to after it. */
let changes: Subscription<any>;
let changesEnded = false;

const PRODUCT_QUERY = 'query($sku: ID!) { product(sku: $sku) { sku name stock { available inStock } } }';
/** Per-location levels: the terminal's inventory:read scope, through the inventory subgraph. */
const LEVELS_QUERY = 'query($sku: ID!, $store: ID!) { product(sku: $sku) { sku name stockByLocation(locationIds: [$store]) { available } } }';
const CHANGES = 'subscription($skus: [ID!], $after: ID) { stockChanged(skus: $skus, after: $after) { eventId sku delta reason product { name } } }';
/** A query only this file registers as a persisted query. */
const PERSISTED = 'query RedisOutagePersisted { locations { id name } }';
const apq = (query: string) => ({ persistedQuery: { version: 1, sha256Hash: sha256Hex(query) } });

beforeAll(async () => {
  redis = await RedisServer.start();
  stack = await startTestStack({ REDIS_URL: redis.url, STOCK_STREAM_KEY: `test:stock:${randomUUID()}`, OUTBOX_POLL_MS: '200' });
  url = stack.gateway.graphqlUrl;
  const gateway = stack.config.gateway;
  // The setting as an operator gives it; the rest (the huge test buckets included) is the stack's.
  const { failOpen } = loadConfig({ NODE_ENV: 'test', RATE_LIMIT_FAIL_OPEN: 'false' }).gateway.rateLimits;
  expect(failOpen).toBe(false);
  failClosed = await startGatewayFrom(
    { ...stack.config, gateway: { ...gateway, port: 0, rateLimits: { ...gateway.rateLimits, failOpen } } },
    testLogger('gateway-fail-closed'),
    stack.bus,
  );
  product = stack.dataset.products[5] as ProductRecord;
  store = stack.dataset.stores[0] as LocationRecord;
  // Issued while Redis is up: a fail-closed gateway refuses its token route too while it is down.
  terminal = await asClient(url, 'pos-terminal-s001');
  failClosedTerminal = await asClient(failClosed.graphqlUrl, 'pos-terminal-s001');
  changes = subscribe(stack.gateway.websocketUrl, CHANGES, { skus: [product.sku], after: await stack.bus.lastEventId() }, terminal);
  changes.ended.then(
    () => (changesEnded = true),
    () => (changesEnded = true),
  );
  await changes.connected;
}, 120_000);

afterAll(async () => {
  await changes?.close();
  await failClosed?.close();
  await stack?.close();
  await redis?.kill();
});

async function adjust(delta: number): Promise<void> {
  const { status, body } = await graphql(url, 'mutation($input: StockAdjustmentInput!) { adjustStock(input: $input) { available } }', {
    input: { sku: product.sku, locationId: store.id, delta },
  }, terminal);
  expect(status).toBe(200);
  expect(body.errors).toBeUndefined();
}

const sell = (quantity: number) =>
  adminCall(stack.simulators.pos, stack.config.upstreams.pos.token, 'POST', '/admin/sell', { storeId: store.id, sku: product.sku, quantity });

const summary = (results: Array<{ data?: any; errors?: unknown }>) =>
  results.map((r) => ({ delta: r.data?.stockChanged.delta, reason: r.data?.stockChanged.reason, errors: r.errors }));

/** Product and stock for anyone, and per-location stock for the terminal: 200, every field answered. */
async function expectQueriesAnswered(): Promise<void> {
  const anonymous = await graphql(url, PRODUCT_QUERY, { sku: product.sku });
  expect(anonymous.status).toBe(200);
  expect(anonymous.body.errors).toBeUndefined();
  expect(anonymous.body.data!.product).toMatchObject({ sku: product.sku, name: product.name, stock: { available: expect.any(Number) } });

  const asTerminal = await graphql(url, LEVELS_QUERY, { sku: product.sku, store: store.id }, terminal);
  expect(asTerminal.status).toBe(200);
  expect(asTerminal.body.errors).toBeUndefined();
  expect(asTerminal.body.data!.product).toMatchObject({ name: product.name, stockByLocation: [{ available: expect.any(Number) }] });
}

describe('before the outage', () => {
  it('serves queries, registers a persisted query, and delivers a stock change to the open subscription', async () => {
    await expectQueriesAnswered();
    const registered = await postGraphql(url, { query: PERSISTED, extensions: apq(PERSISTED) });
    expect(registered.body.errors).toBeUndefined();
    const byHash = await postGraphql(url, { extensions: apq(PERSISTED) });
    expect(byHash.status).toBe(200);
    expect(byHash.body.data!.locations.length).toBeGreaterThan(0);

    await adjust(1);
    expect(summary(await changes.take(1))).toEqual([{ delta: 1, reason: 'ADJUSTMENT', errors: undefined }]);
    expect(changes.results[0]!.data!.stockChanged.product.name).toBe(product.name);
  });
});

describe('with Redis killed', () => {
  beforeAll(async () => {
    await redis.kill();
  });

  it('answers anonymous and token-bearing queries of product and stock with 200 and data', async () => {
    await expectQueriesAnswered();
    // Several at once: none waits behind another's failed Redis call.
    const answers = await Promise.all(Array.from({ length: 8 }, () => graphql(url, PRODUCT_QUERY, { sku: product.sku })));
    expect(answers.map((a) => [a.status, a.body.data?.product?.name])).toEqual(answers.map(() => [200, product.name]));
  });

  it('issues tokens (its rate limit fails open) that are then accepted', async () => {
    // Not issued before: this /oauth/token call is made while Redis is down.
    const ops = await demoToken(url, 'ops-console', 'inventory:read');
    const answer = await graphql(url, LEVELS_QUERY, { sku: product.sku, store: store.id }, { authorization: `Bearer ${ops}` });
    expect(answer.status).toBe(200);
    expect(answer.body.data!.product.stockByLocation).toHaveLength(1);
  });

  it('misses a persisted query by hash (PERSISTED_QUERY_NOT_FOUND), then runs it sent in full', async () => {
    // The very request answered before Redis went: its answer, kept in the gateway's process, is still served.
    const kept = await postGraphql(url, { extensions: apq(PERSISTED) });
    expect(kept.headers.get('x-cache')).toBe('HIT');
    expect(kept.body.data!.locations.length).toBeGreaterThan(0);
    // One it has not answered (the operation named) needs the document, which was kept in Redis.
    const miss = await postGraphql(url, { extensions: apq(PERSISTED), operationName: 'RedisOutagePersisted' });
    expect(miss.status).toBe(200);
    expect(miss.body.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    const full = await postGraphql(url, { query: PERSISTED, extensions: apq(PERSISTED) });
    expect(full.status).toBe(200);
    expect(full.body.errors).toBeUndefined();
    expect(full.body.data!.locations.length).toBeGreaterThan(0);
  });

  it('refuses requests with 429 RATE_LIMITED where the rate limiter fails closed', async () => {
    for (const headers of [{}, failClosedTerminal]) {
      const refused = await graphql(failClosed.graphqlUrl, PRODUCT_QUERY, { sku: product.sku }, headers);
      expect(refused.status).toBe(429);
      expect(refused.body.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    }
  });

  it('keeps the subscription open', () => {
    expect(changesEnded).toBe(false);
    expect(changes.results).toHaveLength(1);
  });
});

describe('once Redis is back', () => {
  beforeAll(async () => {
    await redis.restart();
  });

  it('serves the fail-closed gateway\'s callers again', async () => {
    await vi.waitFor(
      async () => {
        const answer = await graphql(failClosed.graphqlUrl, PRODUCT_QUERY, { sku: product.sku }, failClosedTerminal);
        expect(answer.status).toBe(200);
      },
      { timeout: 15_000, interval: 100 },
    );
    const anonymous = await graphql(failClosed.graphqlUrl, PRODUCT_QUERY, { sku: product.sku });
    expect(anonymous.status).toBe(200);
    expect(anonymous.body.data!.product.name).toBe(product.name);
  });

  it('keeps persisted queries in Redis again (the restart lost them: registered anew, then a hit)', async () => {
    await vi.waitFor(
      async () => {
        await postGraphql(url, { query: PERSISTED, extensions: apq(PERSISTED) });
        const byHash = await postGraphql(url, { extensions: apq(PERSISTED) });
        expect(byHash.body.errors).toBeUndefined();
        expect(byHash.body.data!.locations.length).toBeGreaterThan(0);
      },
      { timeout: 15_000, interval: 100 },
    );
    await expectQueriesAnswered();
  });

  it('delivers a POS sale made after the restart to the subscription opened before the outage, once', async () => {
    const sale = await sell(2);
    expect(sale.delivery.status).toBe('delivered');
    // The marker: the next thing the subscriber sees, so nothing was queued between (no duplicate, no replay of the first change).
    await adjust(3);
    const results = await changes.take(3);
    expect(summary(results)).toEqual([
      { delta: 1, reason: 'ADJUSTMENT', errors: undefined },
      { delta: -2, reason: 'SALE', errors: undefined },
      { delta: 3, reason: 'ADJUSTMENT', errors: undefined },
    ]);
    const ids = results.map((r) => BigInt(r.data!.stockChanged.eventId as string));
    expect(ids.every((id, i) => i === 0 || id > ids[i - 1]!)).toBe(true);
    expect(results[1]!.data!.stockChanged.product.name).toBe(product.name);
  });
});
