import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createMemoryStockEventBus } from '../../lib/events/memory-stock-event-bus.js';
import type { StockEvent } from '../../lib/events/stock-event.js';
import { supergraphPath } from '../../lib/project-root.js';
import { testLogger } from '../../test/support/logger.js';
import { demoBearer } from '../../test/support/gateway-token.js';
import { subscribe } from '../../test/support/subscription-client.js';
import { startGateway, type RunningGateway } from '../gateway-server.js';

/**
 * The gateway's WebSocket side on its own: a selection of the event's own
 * fields needs no subgraph, so none runs here (their URLs lead nowhere).
 */
const bus = createMemoryStockEventBus();
let gateway: RunningGateway;
let terminal: { authorization: string };
let nextId = 1;
const QUEUE_LIMIT = 20;

const events = (count: number): StockEvent[] =>
  Array.from({ length: count }, () => ({
    eventId: String(nextId++),
    sku: 'CG-000001',
    locationId: 'S001',
    previousAvailable: 10,
    available: 9,
    delta: -1,
    reason: 'SALE' as const,
    occurredAt: '2026-11-23T10:00:00.000Z',
  }));

const nowhere = 'http://127.0.0.1:9/graphql';

beforeAll(async () => {
  gateway = await startGateway({
    port: 0,
    supergraph: { path: supergraphPath() },
    subgraphUrls: { product: nowhere, inventory: nowhere, customer: nowhere, order: nowhere },
    bus,
    subscriptionQueueLimit: QUEUE_LIMIT,
    graphiql: false,
    subgraphSigningSecret: 'websocket-test-secret-of-32-characters-or-more',
    logger: testLogger('gateway'),
  });
  // stockChanged needs inventory:read: subscribe as a POS terminal (a demo client of this development gateway).
  terminal = { authorization: await demoBearer(gateway.graphqlUrl, 'pos-terminal-s001') };
});

afterAll(async () => {
  await gateway?.close();
  await bus.close();
});

/** Until the hub has this many subscribers: the subscribe message is processed after the connection ack. */
async function subscribers(count: number): Promise<void> {
  while (gateway.subscriptions.subscriberCount !== count) await new Promise((resolve) => setTimeout(resolve, 5));
}

const LOCAL = 'subscription { stockChanged { eventId sku delta reason occurredAt previousAvailable available __typename } }';

describe('graphql-ws on the gateway', () => {
  it('serves event-only selections from the bus without calling a subgraph', async () => {
    const sub = subscribe(gateway.websocketUrl, LOCAL, {}, terminal);
    await subscribers(1);
    await bus.publish(events(3));
    const results = await sub.take(3);
    expect(results.map((r) => r.errors)).toEqual([undefined, undefined, undefined]);
    expect(results[0]!.data!.stockChanged).toMatchObject({ sku: 'CG-000001', delta: -1, reason: 'SALE', __typename: 'StockChange' });
    await sub.close();
    await subscribers(0);
  });

  it('closes a connection that stops reading with 4413 once its queue passes the limit', async () => {
    const ws = new WebSocket(gateway.websocketUrl, 'graphql-transport-ws');
    await once(ws, 'open');
    const acked = once(ws, 'message');
    ws.send(JSON.stringify({ type: 'connection_init', payload: terminal }));
    expect(JSON.parse(String((await acked)[0]))).toEqual({ type: 'connection_ack' });
    ws.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: LOCAL } }));
    await subscribers(1);
    // Stop reading: the kernel's buffers fill, then sends stall, then the gateway's queue grows.
    const socket = (ws as unknown as { _socket: import('node:net').Socket })._socket;
    socket.pause();
    const closed = once(ws, 'close');
    for (let batch = 0; gateway.subscriptions.subscriberCount > 0 && batch < 2_000; batch++) {
      await bus.publish(events(500));
      await new Promise((resolve) => setImmediate(resolve));
    }
    // Cut off: its subscription ended at once, not when the client gets round to the close frame.
    expect(gateway.subscriptions.subscriberCount).toBe(0);
    socket.resume();
    const [code, reason] = await closed;
    expect(code).toBe(4413);
    expect(String(reason)).toMatch(/after/);
  });

  it('reports its subscriptions on /readyz', async () => {
    const sub = subscribe(gateway.websocketUrl, LOCAL, {}, terminal);
    await subscribers(1);
    const ready = (await (await fetch(`${gateway.url}/readyz`)).json()) as { subscriptions: unknown };
    expect(ready.subscriptions).toEqual({ connections: 1, subscribers: 1, lastEventId: String(nextId - 1), eventBus: 'following' });
    await sub.close();
  });

  it('refuses WebSocket upgrades on any other path', async () => {
    const ws = new WebSocket(`${gateway.url.replace(/^http/, 'ws')}/elsewhere`, 'graphql-transport-ws');
    const [err] = await once(ws, 'error');
    expect(String(err)).toMatch(/404/);
  });
});
