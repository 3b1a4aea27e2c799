import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startGatewayFrom } from '../../bin/start-gateway.js';
import type { RunningStack } from '../../bin/start-stack.js';
import type { RunningGateway } from '../../gateway/gateway-server.js';
import { openStockEventBus } from '../../lib/events/open-stock-event-bus.js';
import type { StockEventBus } from '../../lib/events/stock-event-bus.js';
import { asClient } from '../support/gateway-token.js';
import { testLogger } from '../support/logger.js';
import { RedisServer } from '../support/redis-server.js';
import { graphql, startTestStack } from '../support/stack.js';
import { subscribe } from '../support/subscription-client.js';

/**
 * A gateway (re)started while Redis is down, as an orchestrator does during an
 * outage: it starts and serves queries, refuses a resume it cannot place yet,
 * and once Redis answers it follows the stream, so an open subscription gets
 * what is published from then on.
 */
let redis: RedisServer;
let stack: RunningStack;
let bus: StockEventBus;
let gateway: RunningGateway;
beforeAll(async () => {
  stack = await startTestStack();
  redis = await RedisServer.start();
  await redis.kill();
  bus = openStockEventBus({ redisUrl: redis.url, streamKey: `test:stock:${randomUUID()}`, retention: 1_000 }, testLogger('bus-without-redis'));
  gateway = await startGatewayFrom({ ...stack.config, gateway: { ...stack.config.gateway, port: 0 } }, testLogger('gateway-without-redis'), bus);
}, 120_000);
afterAll(async () => {
  await gateway?.close();
  await bus?.close();
  await stack?.close();
  await redis?.kill().catch(() => undefined);
});

const eventBusState = async () => ((await (await fetch(new URL('/readyz', gateway.graphqlUrl))).json()) as { subscriptions: { eventBus: string } }).subscriptions.eventBus;
const CHANGES = 'subscription($after: ID) { stockChanged(after: $after) { eventId sku delta } }';

describe('a gateway started while Redis is down', () => {
  it('serves queries, then follows the stream once Redis is back', async () => {
    const sku = stack.dataset.products[0]!.sku;
    const { body } = await graphql(gateway.graphqlUrl, '{ product(sku: "' + sku + '") { name stock { available } } }');
    expect(body.errors).toBeUndefined();
    expect(body.data?.product?.name).toBe(stack.dataset.productBySku.get(sku)!.name);
    expect(await eventBusState()).toBe('unreachable');

    const terminal = await asClient(gateway.graphqlUrl, 'pos-terminal-s001');
    const wsUrl = gateway.websocketUrl;
    // Where `after` stands cannot be known yet: refused, to be retried.
    await expect(subscribe(wsUrl, CHANGES, { after: '0' }, terminal).ended).rejects.toEqual([expect.objectContaining({ extensions: expect.objectContaining({ code: 'EVENT_BUS_UNAVAILABLE' }) })]);
    const live = subscribe<{ stockChanged: { eventId: string; sku: string; delta: number } }>(wsUrl, CHANGES, {}, terminal);
    await live.connected;

    await redis.restart();
    await vi.waitFor(async () => expect(await eventBusState()).toBe('following'), { timeout: 30_000, interval: 100 });
    const location = stack.dataset.stores[0]!.id;
    await bus.publish([{ eventId: '7', sku, locationId: location, previousAvailable: 5, available: 4, delta: -1, reason: 'SALE', occurredAt: new Date().toISOString() }]);
    const [first] = await live.take(1);
    expect(first!.data?.stockChanged).toEqual({ eventId: '7', sku, delta: -1 });
    await live.close();
  });
});
