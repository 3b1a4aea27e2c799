import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningStack } from '../../bin/start-stack.js';
import type { LocationRecord, ProductRecord } from '../../simulators/data/dataset.js';
import { RedisServer } from '../support/redis-server.js';
import { ServiceProcesses } from '../support/service-process.js';
import { graphql, startTestStack } from '../support/stack.js';
import { asClient } from '../support/gateway-token.js';
import { subscribe, type Subscription } from '../support/subscription-client.js';

/**
 * Scaled out: the inventory subgraph publishes to Redis Streams, and two
 * gateways (this process's and one spawned from dist/) each follow it for their
 * own subscribers. The Redis is this file's own, so it can be killed.
 */
let redis: RedisServer;
let stack: RunningStack;
const services = new ServiceProcesses();
let secondGatewayWs: string;
let product: ProductRecord;
let warehouse: LocationRecord;

const CHANGE_QUERY = 'subscription($skus: [ID!], $after: ID) { stockChanged(skus: $skus, after: $after) { eventId sku delta product { name } } }';

beforeAll(async () => {
  redis = await RedisServer.start();
  const streamKey = `test:stock:${randomUUID()}`;
  stack = await startTestStack({ REDIS_URL: redis.url, STOCK_STREAM_KEY: streamKey, OUTBOX_POLL_MS: '200' });
  const url = await services.run('gateway', {
    // Development, so that it has the demo clients to log in as (production knows only AUTH_CLIENTS_FILE's).
    NODE_ENV: 'development',
    PORT: '0',
    REDIS_URL: redis.url,
    STOCK_STREAM_KEY: streamKey,
    ...Object.fromEntries(Object.entries(stack.config.gateway.subgraphs).map(([name, u]) => [`${name.toUpperCase()}_URL`, u])),
  });
  secondGatewayWs = `${url.replace(/^http/, 'ws')}/graphql`;
  product = stack.dataset.products[3] as ProductRecord;
  warehouse = stack.dataset.warehouses[0] as LocationRecord;
}, 120_000);

afterAll(async () => {
  await services.stopAll();
  await stack?.close();
  await redis?.kill();
});

async function adjust(delta: number): Promise<void> {
  const { body } = await graphql(stack.gateway.graphqlUrl, 'mutation($input: StockAdjustmentInput!) { adjustStock(input: $input) { available } }', {
    input: { sku: product.sku, locationId: warehouse.id, delta },
  }, await asClient(stack.gateway.graphqlUrl, 'pos-terminal-s001'));
  expect(body.errors).toBeUndefined();
}

async function subscribeBoth(): Promise<Array<Subscription<any>>> {
  const after = await stack.bus.lastEventId();
  // Each gateway signs its own tokens (a key of its own, as neither was given one).
  return Promise.all(
    [stack.gateway.websocketUrl, secondGatewayWs].map(async (url) =>
      subscribe(url, CHANGE_QUERY, { skus: [product.sku], after }, await asClient(url.replace(/^ws/, 'http'), 'pos-terminal-s001')),
    ),
  );
}

const summary = (results: Array<{ data?: any }>) => results.map((r) => ({ eventId: r.data.stockChanged.eventId, delta: r.data.stockChanged.delta }));

describe('stock events over Redis Streams', () => {
  it('reaches the subscribers of every gateway process', async () => {
    const subs = await subscribeBoth();
    for (const delta of [1, 2, 3]) await adjust(delta);
    const [first, second] = await Promise.all(subs.map((s) => s.take(3)));
    expect(summary(first!).map((c) => c.delta)).toEqual([1, 2, 3]);
    expect(summary(second!)).toEqual(summary(first!));
    expect(first![0]!.data!.stockChanged.product.name).toBe(product.name);
    await Promise.all(subs.map((s) => s.close()));
  });

  it('loses nothing and repeats nothing when redis-server is killed and started again mid-stream', async () => {
    const subs = await subscribeBoth();
    for (const delta of [1, 2, 3, 4]) await adjust(delta);
    await Promise.all(subs.map((s) => s.take(4)));
    await redis.kill();
    // Committed to the ledger while Redis is gone: the outbox publishes them once it is back.
    for (const delta of [5, 6, 7]) await adjust(delta);
    await redis.restart();
    for (const delta of [8, 9, 10]) await adjust(delta);
    const all = await Promise.all(subs.map((s) => s.take(10)));
    for (const results of all) {
      const changes = summary(results);
      expect(changes.map((c) => c.delta)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      const ids = changes.map((c) => BigInt(c.eventId));
      expect(ids.every((id, i) => i === 0 || id > ids[i - 1]!)).toBe(true);
    }
    expect(summary(all[1]!)).toEqual(summary(all[0]!));
    // Nothing extra was queued behind them: the next change is the next message.
    await adjust(11);
    for (const s of subs) expect(summary((await s.take(11)).slice(10)).map((c) => c.delta)).toEqual([11]);
    await Promise.all(subs.map((s) => s.close()));
  });
});
