import type { IncomingHttpHeaders } from 'node:http';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { listen, readBody, type RunningServer } from '../../lib/http/http-server.js';
import { testLogger } from '../../test/support/logger.js';
import type { RunningSimulator } from '../common/simulator-server.js';
import { generateDataset, type PosOrder } from '../data/dataset.js';
import { startPosSimulator } from './pos-simulator.js';
import { verifyWebhookSignature as verdict } from '../../lib/pos/webhook-signature.js';

const TOKEN = 'pos-test-token';
const SECRET = 'pos-test-webhook-secret-0001';
const logger = testLogger('pos-simulator-test');
const realSetInterval = globalThis.setInterval;
const realClearInterval = globalThis.clearInterval;
/** True when the delivery is signed with `secret` and fresh. */
const verifyWebhookSignature = (...args: Parameters<typeof verdict>) => verdict(...args) === 'ok';
const dataset = generateDataset(11, { skus: 250, warehouses: 2, stores: 4, customers: 300 });

function startPos(webhook: { url?: string; eventRate?: number } = {}) {
  return startPosSimulator({
    dataset,
    port: 0,
    token: TOKEN,
    faults: { latencyMs: 0, errorRate: 0, outage: false },
    logger,
    webhook: { url: webhook.url, secret: SECRET, eventRate: webhook.eventRate ?? 0 },
  });
}

async function call<T = any>(sim: RunningSimulator, path: string, init: RequestInit = {}, token = TOKEN): Promise<{ status: number; body: T }> {
  const res = await fetch(`${sim.url}${path}`, { ...init, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...init.headers } });
  const text = await res.text();
  return { status: res.status, body: (res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text) as T };
}

const post = (sim: RunningSimulator, path: string, body: unknown, method = 'POST') => call(sim, path, { method, body: JSON.stringify(body) });

/** Follows nextCursor to the end, returning every page. */
async function allPages<T>(sim: RunningSimulator, path: string, key: string): Promise<T[][]> {
  const pages: T[][] = [];
  let cursor: string | null = null;
  do {
    const sep = path.includes('?') ? '&' : '?';
    const { status, body }: { status: number; body: any } = await call(sim, cursor ? `${path}${sep}cursor=${encodeURIComponent(cursor)}` : path);
    expect(status).toBe(200);
    pages.push(body[key]);
    cursor = body.nextCursor;
  } while (cursor);
  return pages;
}

const newestFirst = (orders: PosOrder[]) =>
  [...orders].sort((a, b) => (a.placedAt === b.placedAt ? b.orderId.localeCompare(a.orderId) : b.placedAt.localeCompare(a.placedAt)));

/** `pos-main-` and 16 digits: microseconds since 1970 at start, plus one per event. */
const EVENT_ID = /^pos-main-\d{16}$/;
/** The event id after `eventId`. */
const next = (eventId: string) => `pos-main-${String(Number(eventId.slice('pos-main-'.length)) + 1).padStart(16, '0')}`;

interface Delivery {
  headers: IncomingHttpHeaders;
  rawBody: Buffer;
  events: Array<{ eventId: string; type: string; storeId: string; sku: string; quantity: number; occurredAt: string }>;
}

/** A webhook receiver on port 0 that records every delivery and answers what `answer` says. */
async function startReceiver(answer: (n: number) => number = () => 200) {
  const deliveries: Delivery[] = [];
  const waiters: Array<{ count: number; resolve: () => void }> = [];
  const server: RunningServer = await listen(async (req, res) => {
    const rawBody = await readBody(req);
    deliveries.push({ headers: req.headers, rawBody, events: JSON.parse(rawBody.toString('utf8')).events });
    res.writeHead(answer(deliveries.length)).end();
    const events = deliveries.reduce((n, d) => n + d.events.length, 0);
    for (const w of waiters.filter((w) => events >= w.count)) w.resolve();
  }, 0);
  return {
    url: `${server.url}/webhooks/pos`,
    deliveries,
    /** Resolves once at least `count` events arrived. */
    eventsReceived: (count: number) =>
      new Promise<void>((resolve) => {
        if (deliveries.reduce((n, d) => n + d.events.length, 0) >= count) resolve();
        else waiters.push({ count, resolve });
      }),
    close: () => {
      server.server.closeAllConnections();
      return server.close();
    },
  };
}

describe('POS simulator: the back-office API', () => {
  let sim: RunningSimulator;
  beforeAll(async () => {
    sim = await startPos();
  });
  afterAll(() => sim?.close());

  it('lists stores with their time zones', async () => {
    const { body } = await call(sim, '/api/v1/stores');
    expect(body.stores).toHaveLength(4);
    expect(body.stores[0]).toEqual({ storeId: 'S001', name: dataset.stores[0]!.name, city: dataset.stores[0]!.city, timezone: expect.stringMatching(/^America\//) });
  });

  it('pages a store\'s stock to the end: every SKU once, at the baseline', async () => {
    const store = dataset.stores[1]!;
    const pages = await allPages<{ sku: string; onHand: number; updatedAt: string }>(sim, `/api/v1/stores/${store.id}/stock?limit=100`, 'items');
    expect(pages.map((p) => p.length)).toEqual([100, 100, 50]);
    const items = pages.flat();
    expect(items.map((i) => i.sku)).toEqual(dataset.products.map((p) => p.sku));
    for (const [i, p] of dataset.products.entries()) {
      expect(items[i]).toEqual({ sku: p.sku, onHand: dataset.baselineQty(p, store), updatedAt: dataset.baselineModifiedAt(p, store) });
    }
  });

  it('answers 404 and 400 in its own error shape', async () => {
    expect(await call(sim, '/api/v1/stores/S999/stock')).toEqual({ status: 404, body: { error: 'not_found', message: 'Store S999 does not exist.' } });
    expect(await call(sim, '/api/v1/orders/S001-999999')).toMatchObject({ status: 404, body: { error: 'not_found' } });
    expect(await call(sim, '/api/v1/loyalty/customers/L0')).toMatchObject({ status: 404, body: { error: 'not_found' } });
    expect(await call(sim, '/api/v1/nothing-here')).toMatchObject({ status: 404, body: { error: 'not_found' } });
    expect(await call(sim, '/api/v1/stores/S001/stock?cursor=garbage')).toMatchObject({ status: 400, body: { error: 'bad_request' } });
    expect(await call(sim, '/api/v1/orders?limit=0')).toMatchObject({ status: 400, body: { error: 'bad_request' } });
    expect(await call(sim, '/api/v1/orders?limit=ten')).toMatchObject({ status: 400, body: { error: 'bad_request' } });
  });

  it('answers 401 without the right token', async () => {
    expect(await call(sim, '/api/v1/stores', {}, 'wrong')).toEqual({ status: 401, body: { error: 'unauthorized', message: expect.any(String) } });
    expect(await call(sim, '/admin/sell', { method: 'POST', body: '{}' }, 'wrong')).toMatchObject({ status: 401 });
  });

  it('pages all orders newest first to the end, without gaps or duplicates, in integer cents', async () => {
    const pages = await allPages<any>(sim, '/api/v1/orders?limit=250', 'orders');
    const orders = pages.flat();
    expect(orders.map((o) => o.orderId)).toEqual(newestFirst(dataset.posOrders).map((o) => o.orderId));
    const sample = orders[3];
    const source = dataset.posOrders.find((o) => o.orderId === sample.orderId)!;
    expect(sample).toEqual({
      orderId: source.orderId,
      storeId: source.storeId,
      loyaltyId: source.loyaltyId,
      placedAt: source.placedAt,
      status: source.status,
      currency: 'USD',
      totalCents: Math.round(source.total * 100),
      lines: source.lines.map((l) => ({ sku: l.sku, description: l.name, quantity: l.quantity, unitPriceCents: Math.round(l.unitPrice * 100) })),
    });
    for (const o of orders) {
      expect(Number.isInteger(o.totalCents)).toBe(true);
      expect(o.totalCents).toBe(o.lines.reduce((s: number, l: any) => s + l.quantity * l.unitPriceCents, 0));
    }
  });

  it('filters orders by any of several loyalty ids and by store', async () => {
    const withLoyalty = dataset.posOrders.filter((o) => o.loyaltyId);
    const ids = [...new Set(withLoyalty.map((o) => o.loyaltyId!))].slice(0, 3);
    const pages = await allPages<any>(sim, `/api/v1/orders?${ids.map((id) => `loyaltyId=${id}`).join('&')}&limit=2`, 'orders');
    const expected = newestFirst(dataset.posOrders.filter((o) => ids.includes(o.loyaltyId ?? '')));
    expect(pages.flat().map((o) => o.orderId)).toEqual(expected.map((o) => o.orderId));
    expect(expected.length).toBeGreaterThan(3);

    const both = await call(sim, `/api/v1/orders?loyaltyId=${ids[0]}&storeId=${expected[0]!.storeId}&limit=1000`);
    expect(both.body.orders.map((o: any) => o.orderId)).toEqual(
      expected.filter((o) => o.loyaltyId === ids[0] && o.storeId === expected[0]!.storeId).map((o) => o.orderId),
    );
    const store = await call(sim, '/api/v1/orders?storeId=S002&limit=1000');
    expect(store.body.orders.every((o: any) => o.storeId === 'S002')).toBe(true);
    expect(store.body.orders).toHaveLength(dataset.posOrders.filter((o) => o.storeId === 'S002').length);
  });

  it('answers one order and one loyalty customer by id', async () => {
    const order = dataset.posOrders[10]!;
    expect((await call(sim, `/api/v1/orders/${order.orderId}`)).body.orderId).toBe(order.orderId);
    const pages = await allPages<any>(sim, '/api/v1/loyalty/customers?limit=50', 'customers');
    expect(pages.flat().map((c) => c.loyaltyId)).toEqual(dataset.loyaltyCustomers.map((c) => c.loyaltyId));
    const c = dataset.loyaltyCustomers[5]!;
    const { body } = await call(sim, `/api/v1/loyalty/customers/${c.loyaltyId}`);
    expect(body).toEqual({ loyaltyId: c.loyaltyId, firstName: c.firstName, lastName: c.lastName, email: c.email, phone: c.phone, postcode: c.postcode, homeStoreId: c.homeStoreId, enrolledAt: c.enrolledAt });
  });

  it('suffers faults on business routes, not on admin routes', async () => {
    await post(sim, '/admin/faults', { outage: true }, 'PUT');
    try {
      expect(await call(sim, '/api/v1/stores')).toMatchObject({ status: 503, body: expect.stringContaining('<html>') });
      expect((await post(sim, '/admin/event-rate', { perSecond: 0 }, 'PUT')).status).toBe(200);
    } finally {
      await post(sim, '/admin/faults', { outage: false, garbageRate: 1 }, 'PUT');
    }
    const garbage = await fetch(`${sim.url}/api/v1/stores`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(garbage.status).toBe(200);
    await expect(garbage.json()).rejects.toThrow();
    await post(sim, '/admin/faults', { garbageRate: 0 }, 'PUT');
    expect((await call(sim, '/api/v1/stores')).status).toBe(200);
  });
});

describe('POS simulator: webhooks', () => {
  const closers: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
  });

  async function setUp(answer?: (n: number) => number) {
    const receiver = await startReceiver(answer);
    closers.push(receiver.close);
    const sim = await startPos({ url: receiver.url });
    closers.push(() => sim.close());
    return { receiver, sim };
  }

  it('delivers a sale, signed over the raw body, and records the sale in stock and orders', async () => {
    const { receiver, sim } = await setUp();
    const store = dataset.stores[2]!;
    const product = dataset.products.find((p) => !p.discontinued)!;
    const before = dataset.baselineQty(product, store);

    const { status, body } = await post(sim, '/admin/sell', { storeId: store.id, sku: product.sku, quantity: 2 });
    expect(status).toBe(200);
    expect(body.delivery).toEqual({ status: 'delivered', attempts: 1 });
    expect(body.event).toEqual({ eventId: expect.stringMatching(EVENT_ID), type: 'SALE', storeId: store.id, sku: product.sku, quantity: 2, occurredAt: expect.any(String) });

    expect(receiver.deliveries).toHaveLength(1);
    const [delivery] = receiver.deliveries;
    expect(delivery!.headers['content-type']).toBe('application/json');
    expect(delivery!.headers['x-pos-source']).toBe('pos-main');
    expect(delivery!.headers['x-pos-signature']).toMatch(/^sha256=[0-9a-f]{64}$/);
    const ts = delivery!.headers['x-pos-timestamp'] as string;
    expect(verifyWebhookSignature(SECRET, ts, delivery!.rawBody, delivery!.headers['x-pos-signature'] as string)).toBe(true);
    expect(verifyWebhookSignature('some-other-secret-entirely', ts, delivery!.rawBody, delivery!.headers['x-pos-signature'] as string)).toBe(false);
    expect(delivery!.events).toEqual([body.event]);

    const stock = await call(sim, `/api/v1/stores/${store.id}/stock?limit=1`);
    expect(stock.body.items[0]).toEqual({ sku: product.sku, onHand: before - 2, updatedAt: body.event.occurredAt });
    const orders = await call(sim, `/api/v1/orders?storeId=${store.id}&limit=1`);
    expect(orders.body.orders[0]).toMatchObject({
      storeId: store.id,
      loyaltyId: null,
      placedAt: body.event.occurredAt,
      status: 'COMPLETED',
      totalCents: Math.round(product.price * 100) * 2,
      lines: [{ sku: product.sku, description: product.name, quantity: 2, unitPriceCents: Math.round(product.price * 100) }],
    });
    expect((await call(sim, `/api/v1/orders/${orders.body.orders[0].orderId}`)).status).toBe(200);
  });

  it('delivers returns and adjustments with increasing event ids', async () => {
    const { receiver, sim } = await setUp();
    const sku = dataset.products[3]!.sku;
    const r = await post(sim, '/admin/return', { storeId: 'S001', sku });
    const a = await post(sim, '/admin/adjust', { storeId: 'S001', sku, delta: -4 });
    expect(r.body.event).toMatchObject({ eventId: expect.stringMatching(EVENT_ID), type: 'RETURN', quantity: 1 });
    expect(a.body.event).toMatchObject({ eventId: next(r.body.event.eventId), type: 'ADJUSTMENT', quantity: -4 });
    expect(receiver.deliveries.map((d) => d.events[0]!.eventId)).toEqual([r.body.event.eventId, a.body.event.eventId]);
    const stock = await call(sim, '/api/v1/stores/S001/stock?limit=4');
    expect(stock.body.items[3].onHand).toBe(dataset.baselineQty(dataset.products[3]!, dataset.stores[0]!) + 1 - 4);
  });

  it('retries a delivery the receiver answered 500, with the same event id', async () => {
    const { receiver, sim } = await setUp((n) => (n === 1 ? 500 : 204));
    const { body } = await post(sim, '/admin/sell', { storeId: 'S001', sku: dataset.products[0]!.sku });
    expect(body.delivery).toEqual({ status: 'delivered', attempts: 2 });
    expect(receiver.deliveries).toHaveLength(2);
    expect(receiver.deliveries.map((d) => d.events.map((e) => e.eventId))).toEqual([[body.event.eventId], [body.event.eventId]]);
    for (const d of receiver.deliveries) {
      expect(verifyWebhookSignature(SECRET, d.headers['x-pos-timestamp'] as string, d.rawBody, d.headers['x-pos-signature'] as string)).toBe(true);
    }
  });

  it('does not retry a 4xx other than 408 and 429: the receiver would refuse it again', async () => {
    const statuses = [400, 401, 413];
    const { receiver, sim } = await setUp((n) => statuses[n - 1] ?? 200);
    for (const status of statuses) {
      const { body } = await post(sim, '/admin/sell', { storeId: 'S001', sku: dataset.products[0]!.sku });
      expect(body.delivery).toEqual({ status: 'rejected', attempts: 1 });
      expect(receiver.deliveries).toHaveLength(statuses.indexOf(status) + 1);
    }
  });

  it('retries 408 and 429 like a 5xx', async () => {
    const { receiver, sim } = await setUp((n) => [429, 408][n - 1] ?? 200);
    const { body } = await post(sim, '/admin/sell', { storeId: 'S001', sku: dataset.products[0]!.sku });
    expect(body.delivery).toEqual({ status: 'delivered', attempts: 3 });
    expect(new Set(receiver.deliveries.map((d) => d.events[0]!.eventId)).size).toBe(1);
  });

  it('starts event ids from the clock, so a restarted POS never reuses one', async () => {
    const first = await setUp();
    const before = (await post(first.sim, '/admin/sell', { storeId: 'S001', sku: dataset.products[0]!.sku })).body.event.eventId;
    await first.sim.close();
    const second = await setUp();
    const after = (await post(second.sim, '/admin/sell', { storeId: 'S001', sku: dataset.products[0]!.sku })).body.event.eventId;
    expect(after).toMatch(EVENT_ID);
    expect(after > before).toBe(true);
  });

  it('gives up after 5 attempts', async () => {
    const { receiver, sim } = await setUp(() => 503);
    const { body } = await post(sim, '/admin/adjust', { storeId: 'S001', sku: dataset.products[0]!.sku, delta: 3 });
    expect(body.delivery).toEqual({ status: 'failed', attempts: 5 });
    expect(receiver.deliveries).toHaveLength(5);
  });

  it('records but does not post events while no URL is set; PUT /admin/webhook sets one', async () => {
    const receiver = await startReceiver();
    closers.push(receiver.close);
    const sim = await startPos();
    closers.push(() => sim.close());
    const skipped = await post(sim, '/admin/sell', { storeId: 'S001', sku: dataset.products[1]!.sku });
    expect(skipped.body.delivery).toEqual({ status: 'skipped', attempts: 0 });

    const newSecret = 'a-brand-new-webhook-secret';
    const target = await post(sim, '/admin/webhook', { url: receiver.url, secret: newSecret }, 'PUT');
    expect(target).toEqual({ status: 200, body: { url: receiver.url, source: 'pos-main' } });
    const sent = await post(sim, '/admin/sell', { storeId: 'S001', sku: dataset.products[1]!.sku });
    expect(sent.body.delivery.status).toBe('delivered');
    expect(sent.body.event.eventId).toBe(next(skipped.body.event.eventId));
    const d = receiver.deliveries[0]!;
    expect(verifyWebhookSignature(newSecret, d.headers['x-pos-timestamp'] as string, d.rawBody, d.headers['x-pos-signature'] as string)).toBe(true);
  });

  it('refuses bad admin calls', async () => {
    const { sim } = await setUp();
    expect(await post(sim, '/admin/sell', { storeId: 'S999', sku: 'CG-000001' })).toMatchObject({ status: 404, body: { error: 'not_found', message: 'Unknown store S999.' } });
    expect(await post(sim, '/admin/sell', { storeId: 'S001', sku: 'NOPE' })).toMatchObject({ status: 404, body: { error: 'not_found' } });
    expect(await post(sim, '/admin/sell', { storeId: 'S001', sku: 'CG-000001', quantity: 0 })).toMatchObject({ status: 400, body: { error: 'bad_request' } });
    expect(await post(sim, '/admin/adjust', { storeId: 'S001', sku: 'CG-000001', delta: 0 })).toMatchObject({ status: 400 });
    expect(await post(sim, '/admin/webhook', { url: 'ftp://x' }, 'PUT')).toMatchObject({ status: 400 });
    expect(await post(sim, '/admin/event-rate', { perSecond: -1 }, 'PUT')).toMatchObject({ status: 400 });
    expect(await call(sim, '/admin/sell', { method: 'POST', body: '{not json' })).toMatchObject({ status: 400, body: { error: 'bad_request' } });
  });

  it('emits random events at a rate, and close() stops its timer', async () => {
    // Watch the intervals the simulator starts, and which of them are cleared.
    const started: unknown[] = [];
    const cleared: unknown[] = [];
    const setSpy = vi.spyOn(globalThis, 'setInterval').mockImplementation(((...args: Parameters<typeof setInterval>) => {
      const timer = realSetInterval(...args);
      started.push(timer);
      return timer;
    }) as typeof setInterval);
    const clearSpy = vi.spyOn(globalThis, 'clearInterval').mockImplementation((timer) => {
      cleared.push(timer);
      realClearInterval(timer);
    });
    try {
      const receiver = await startReceiver();
      closers.push(receiver.close);
      const sim = await startPos({ url: receiver.url, eventRate: 100 });
      await receiver.eventsReceived(5);
      const events = receiver.deliveries.flatMap((d) => d.events);
      expect(new Set(events.map((e) => e.eventId)).size).toBe(events.length);
      expect(events.every((e) => ['SALE', 'RETURN', 'ADJUSTMENT'].includes(e.type))).toBe(true);
      expect(started).toHaveLength(1);

      await sim.close();
      expect(cleared).toContain(started[0]);
    } finally {
      setSpy.mockRestore();
      clearSpy.mockRestore();
    }
  });

  it('changes the rate live, and 0 stops it', async () => {
    const { sim } = await setUp();
    expect(await post(sim, '/admin/event-rate', { perSecond: 5 }, 'PUT')).toEqual({ status: 200, body: { perSecond: 5 } });
    expect(await post(sim, '/admin/event-rate', { perSecond: 0 }, 'PUT')).toEqual({ status: 200, body: { perSecond: 0 } });
  });
});
