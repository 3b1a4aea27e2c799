import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { openDatabase, type Database } from '../../../lib/db/database.js';
import { createMemoryStockEventBus } from '../../../lib/events/memory-stock-event-bus.js';
import type { StockEventBus } from '../../../lib/events/stock-event-bus.js';
import { WEBHOOK_HEADERS, signWebhook } from '../../../lib/pos/webhook-signature.js';
import { TEST_DATABASE_URL, dropSchema, uniqueSchema } from '../../../test/support/database.js';
import { queryServer } from '../../../test/support/graphql-client.js';
import { adminCall, setFaults } from '../../../test/support/simulator-admin.js';
import { startUpstreams, type UpstreamFixture } from '../../../test/support/upstream-fixture.js';
import { inventoryOptions } from '../../../test/support/inventory-options.js';
import { POS_WEBHOOK_PATH, startInventorySubgraph, type PosWebhookAnswer, type RunningInventorySubgraph } from '../index.js';

/** The POS webhook through the started subgraph's real HTTP route, on PostgreSQL, with the in-process bus. */
const SECRETS = { 'pos-main': 'pos-main-webhook-secret-0001', 'pos-outlet': 'pos-outlet-webhook-secret-01' };
let upstreams: UpstreamFixture;
let subgraph: RunningInventorySubgraph;
let ledger: Database;
const bus = createMemoryStockEventBus();
const schemas: string[] = [];
const open: Array<{ close(): Promise<void> }> = [];

/** A subgraph on a ledger of its own; each ledger needs a bus of its own too (event ids are per ledger). */
async function start(extra: { awaitInitialLoad?: boolean; bus?: StockEventBus } = {}): Promise<RunningInventorySubgraph> {
  const schema = uniqueSchema('pos_webhook');
  schemas.push(schema);
  const started = await startInventorySubgraph(inventoryOptions(upstreams, bus, schema, { webhook: { secrets: SECRETS, toleranceSeconds: 300 }, ...extra }));
  open.push(started);
  return started;
}

beforeAll(async () => {
  upstreams = await startUpstreams({ skus: 40, warehouses: 1, stores: 3, customers: 10 });
  subgraph = await start();
  ledger = await openDatabase({ url: TEST_DATABASE_URL, schema: schemas[0], poolSize: 1 });
});
afterAll(async () => {
  await ledger?.close();
  for (const o of open.splice(0).reverse()) await o.close();
  await bus.close();
  await upstreams?.close();
  for (const schema of schemas) await dropSchema(schema);
});

const now = () => Math.floor(Date.now() / 1000);
let next = 0;
/** A fresh event id, unique in this file. */
const eventId = () => `pos-main-${String(++next).padStart(16, '0')}`;
const sku = (i: number) => upstreams.dataset.products[i]!.sku;

interface Delivery {
  source?: string | null;
  secret?: string;
  timestamp?: number;
  signature?: string | null;
  method?: string;
}

/** Posts `body` to the webhook, signed as the POS signs it unless told otherwise. */
async function deliver(body: unknown, options: Delivery = {}, url = `${subgraph.url}${POS_WEBHOOK_PATH}`): Promise<{ status: number; body: any }> {
  const raw = typeof body === 'string' ? body : JSON.stringify(body);
  const source = options.source === undefined ? 'pos-main' : options.source;
  const timestamp = String(options.timestamp ?? now());
  const signature = options.signature === undefined ? signWebhook(options.secret ?? SECRETS['pos-main'], timestamp, raw) : options.signature;
  const headers: Record<string, string> = { 'content-type': 'application/json', [WEBHOOK_HEADERS.timestamp]: timestamp };
  if (source !== null) headers[WEBHOOK_HEADERS.source] = source;
  if (signature !== null) headers[WEBHOOK_HEADERS.signature] = signature;
  const res = await fetch(url, { method: options.method ?? 'POST', headers, body: options.method === 'GET' ? undefined : raw });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

const sale = (storeId: string, skuIndex: number, quantity = 1, extra: Record<string, unknown> = {}) => ({
  eventId: eventId(),
  type: 'SALE',
  storeId,
  sku: sku(skuIndex),
  quantity,
  occurredAt: new Date().toISOString(),
  ...extra,
});

async function level(skuIndex: number, locationId: string): Promise<{ on_hand: number; updated_at: Date }> {
  const { rows } = await ledger.query<{ on_hand: number; updated_at: Date }>('SELECT on_hand, updated_at FROM stock_levels WHERE sku = $1 AND location_id = $2', [sku(skuIndex), locationId]);
  return rows[0]!;
}
const baseline = (skuIndex: number, storeIndex: number) => upstreams.dataset.baselineQty(upstreams.dataset.products[skuIndex]!, upstreams.dataset.stores[storeIndex]!);

describe('POS webhook: who may post', () => {
  it('refuses a missing or bad signature, and an unknown source, with 401 before touching the ledger', async () => {
    const body = { events: [sale('S001', 0)] };
    for (const options of [
      { signature: null },
      { signature: 'sha256=00' },
      { secret: SECRETS['pos-outlet'] },
      { source: null },
      { source: 'pos-elsewhere' },
      { source: 'pos-outlet' },
      { source: '__proto__' },
    ] satisfies Delivery[]) {
      const answer = await deliver(body, options);
      expect(answer.status, JSON.stringify(options)).toBe(401);
      expect(answer.body).toMatchObject({ error: 'unauthorized' });
    }
    // Signed over other bytes than those sent.
    const raw = JSON.stringify(body);
    expect((await deliver(`${raw} `, { signature: signWebhook(SECRETS['pos-main'], String(now()), raw) })).status).toBe(401);
    expect((await level(0, 'S001')).on_hand).toBe(baseline(0, 0));
  });

  it('refuses a good signature outside the tolerance with 400 (a replay, or a clock that is off)', async () => {
    for (const timestamp of [now() - 301, now() + 400]) {
      const answer = await deliver({ events: [sale('S001', 0)] }, { timestamp });
      expect(answer).toEqual({ status: 400, body: { error: 'stale_timestamp', message: expect.stringContaining('300 s') } });
    }
    // Outside the tolerance and not signed by the source: still a 401.
    expect((await deliver({ events: [sale('S001', 0)] }, { timestamp: now() - 3_600, secret: 'not-the-secret-at-all' })).status).toBe(401);
    expect((await level(0, 'S001')).on_hand).toBe(baseline(0, 0));
  });

  it('takes POST only, and bodies up to 1 MiB', async () => {
    expect(await deliver({}, { method: 'GET' })).toMatchObject({ status: 405, body: { error: 'method_not_allowed' } });
    const huge = JSON.stringify({ events: [sale('S001', 0, 1, { padding: 'x'.repeat(1024 * 1024) })] });
    expect((await deliver(huge)).status).toBe(413);
  });

  it('is a 503 until the ledger has its opening balance, so the POS retries', async () => {
    await setFaults(upstreams.erp, upstreams.erpConfig.token, { latencyMs: 400 });
    try {
      const ownBus = createMemoryStockEventBus();
      open.push(ownBus);
      const loading = await start({ awaitInitialLoad: false, bus: ownBus });
      const answer = await deliver({ events: [sale('S001', 0)] }, {}, `${loading.url}${POS_WEBHOOK_PATH}`);
      expect(answer).toMatchObject({ status: 503, body: { error: 'not_ready' } });
      await loading.initialLoad;
      expect((await deliver({ events: [sale('S001', 0)] }, {}, `${loading.url}${POS_WEBHOOK_PATH}`)).status).toBe(200);
    } finally {
      await setFaults(upstreams.erp, upstreams.erpConfig.token, { latencyMs: 0 });
    }
  });
});

describe('POS webhook: events', () => {
  it('applies a batch of sales, returns and adjustments, answers 200 with what it applied, and publishes them', async () => {
    const events = [
      sale('S001', 1, 2),
      { ...sale('S001', 1), type: 'RETURN', quantity: 1 },
      { ...sale('S002', 1), type: 'ADJUSTMENT', quantity: -3 },
      { ...sale('S002', 2), type: 'ADJUSTMENT', quantity: 5 },
    ];
    const published = await bus.lastEventId();
    const answer = await deliver({ events });
    expect(answer).toEqual({ status: 200, body: { applied: events.map((e) => e.eventId), duplicates: [], rejected: [] } satisfies PosWebhookAnswer });
    expect((await level(1, 'S001')).on_hand).toBe(baseline(1, 0) - 1);
    expect((await level(1, 'S002')).on_hand).toBe(baseline(1, 1) - 3);
    expect((await level(2, 'S002')).on_hand).toBe(baseline(2, 1) + 5);
    await vi.waitFor(async () => expect(await bus.readAfter(published, 100)).toHaveLength(4), { timeout: 2_000, interval: 20 });
    const [first] = await bus.readAfter(published, 1);
    expect(first).toMatchObject({ sku: sku(1), locationId: 'S001', delta: -2, reason: 'SALE', previousAvailable: Math.max(0, baseline(1, 0)), occurredAt: events[0]!.occurredAt });
  });

  it('accepts one event without the array', async () => {
    const event = sale('S003', 3);
    expect(await deliver(event)).toEqual({ status: 200, body: { applied: [event.eventId], duplicates: [], rejected: [] } });
    expect((await level(3, 'S003')).on_hand).toBe(baseline(3, 2) - 1);
  });

  it('applies a redelivery once and still answers 200, listing it as a duplicate', async () => {
    const events = [sale('S001', 4, 2), sale('S002', 4, 1)];
    expect((await deliver({ events })).body.applied).toHaveLength(2);
    const again = await deliver({ events: [...events, sale('S001', 4, 1)] });
    expect(again).toEqual({ status: 200, body: { applied: [expect.any(String)], duplicates: events.map((e) => e.eventId), rejected: [] } });
    expect((await level(4, 'S001')).on_hand).toBe(baseline(4, 0) - 3);
    // Event ids are per source: another POS may use the same one.
    expect((await deliver({ events: [events[0]] }, { source: 'pos-outlet', secret: SECRETS['pos-outlet'] })).body.applied).toEqual([events[0]!.eventId]);
    expect((await level(4, 'S001')).on_hand).toBe(baseline(4, 0) - 5);
  });

  it('applies the valid events of a batch and answers 400 listing the rejects, each naming its field', async () => {
    const good = [sale('S001', 5, 1), sale('S002', 5, 2)];
    const events = [
      good[0],
      { ...sale('S001', 5), quantity: 0 },
      { ...sale('S001', 5), type: 'ADJUSTMENT', quantity: 0 },
      { ...sale('S001', 5), quantity: 1.5 },
      { ...sale('S001', 5), type: 'REFUND' },
      { ...sale('S001', 5), occurredAt: '2026-11-01 10:00' },
      { ...sale('S001', 5), eventId: '' },
      { ...sale('S001', 5), sku: undefined },
      { ...sale('S404', 5) },
      { ...sale('WH-01', 5) },
      'not an event',
      good[1],
    ];
    const answer = await deliver({ events });
    expect(answer.status).toBe(400);
    expect(answer.body.applied).toEqual(good.map((e) => e!.eventId));
    expect(answer.body.duplicates).toEqual([]);
    const id = (i: number) => (events[i] as { eventId: string }).eventId;
    expect(answer.body.rejected).toEqual([
      { index: 1, eventId: id(1), field: 'quantity', message: expect.stringContaining('at least 1') },
      { index: 2, eventId: id(2), field: 'quantity', message: expect.stringContaining('must not be 0') },
      { index: 3, eventId: id(3), field: 'quantity', message: expect.any(String) },
      { index: 4, eventId: id(4), field: 'type', message: expect.any(String) },
      { index: 5, eventId: id(5), field: 'occurredAt', message: expect.any(String) },
      { index: 6, eventId: '', field: 'eventId', message: expect.any(String) },
      { index: 7, eventId: id(7), field: 'sku', message: 'Required' },
      { index: 8, eventId: id(8), field: 'storeId', message: 'Unknown location S404.' },
      { index: 9, eventId: id(9), field: 'storeId', message: 'WH-01 is not a store.' },
      { index: 10, field: 'event', message: expect.any(String) },
    ]);
    expect((await level(5, 'S001')).on_hand).toBe(baseline(5, 0) - 1);
    expect((await level(5, 'S002')).on_hand).toBe(baseline(5, 1) - 2);
  });

  it('refuses a body that is not JSON or carries no events with 400', async () => {
    expect(await deliver('{"events": [')).toMatchObject({ status: 400, body: { error: 'bad_request' } });
    expect(await deliver({ sales: [] })).toMatchObject({ status: 400, body: { error: 'bad_request' } });
    expect(await deliver({ events: {} })).toMatchObject({ status: 400, body: { error: 'bad_request' } });
    expect(await deliver([sale('S001', 6)])).toMatchObject({ status: 400, body: { error: 'bad_request' } });
    expect(await deliver({ events: Array.from({ length: 1_001 }, () => sale('S001', 6)) })).toMatchObject({ status: 400, body: { message: expect.stringContaining('1000') } });
    expect(await deliver({ events: [] })).toEqual({ status: 200, body: { applied: [], duplicates: [], rejected: [] } });
    expect((await level(6, 'S001')).on_hand).toBe(baseline(6, 0));
  });

  it('applies events that arrive out of order to the same level, and never moves updatedAt back', async () => {
    const at = (minute: number) => new Date(Date.UTC(2030, 0, 1, 10, minute)).toISOString();
    const events = [
      { ...sale('S002', 7, 1), occurredAt: at(30) },
      { ...sale('S002', 7, 2), type: 'RETURN', occurredAt: at(10) },
      { ...sale('S002', 7, 4), occurredAt: at(20) },
    ];
    for (const event of [events[2], events[0], events[1]]) expect((await deliver({ events: [event] })).status).toBe(200);
    const after = await level(7, 'S002');
    expect(after.on_hand).toBe(baseline(7, 1) - 3);
    expect(after.updated_at.toISOString()).toBe(at(30));
  });

  it('records an oversell: onHand goes below 0, available stays 0, and the event says by how much', async () => {
    const onHand = baseline(8, 2);
    const oversell = sale('S003', 8, onHand + 3);
    expect((await deliver({ events: [oversell] })).status).toBe(200);
    const { data } = await queryServer(subgraph, 'query($s: [ID!]!) { stockLevels(skus: $s, locationIds: ["S003"]) { onHand available } }', { s: [sku(8)] });
    expect(data!.stockLevels).toEqual([{ onHand: -3, available: 0 }]);
    const { rows } = await ledger.query<{ oversold: number; available: number }>('SELECT oversold, available FROM stock_events WHERE source_event_id = $1', [`pos-main:${oversell.eventId}`]);
    expect(rows).toEqual([{ oversold: 3, available: 0 }]);
  });
});

describe('POS webhook: from the POS simulator', () => {
  it('takes a sale at the till into the ledger, and the published event resolves through stockChange', async () => {
    const { pos, posConfig } = upstreams;
    await adminCall(pos, posConfig.token, 'PUT', '/admin/webhook', { url: `${subgraph.url}${POS_WEBHOOK_PATH}`, secret: SECRETS['pos-main'] });
    try {
      const published = await bus.lastEventId();
      const sold = await adminCall(pos, posConfig.token, 'POST', '/admin/sell', { storeId: 'S002', sku: sku(9), quantity: 2 });
      expect(sold.delivery).toEqual({ status: 'delivered', attempts: 1 });
      expect((await level(9, 'S002')).on_hand).toBe(baseline(9, 1) - 2);
      const adjusted = await adminCall(pos, posConfig.token, 'POST', '/admin/adjust', { storeId: 'S002', sku: sku(9), delta: 7 });
      expect(adjusted.delivery.status).toBe('delivered');
      expect((await level(9, 'S002')).on_hand).toBe(baseline(9, 1) + 5);

      await vi.waitFor(async () => expect(await bus.readAfter(published, 10)).toHaveLength(2), { timeout: 2_000, interval: 20 });
      const [event] = await bus.readAfter(published, 1);
      const { data, errors } = await queryServer(
        subgraph,
        'query($id: ID!) { stockChange(eventId: $id) { eventId sku delta reason occurredAt location { id type } product { sku } } }',
        { id: event!.eventId },
      );
      expect(errors).toBeUndefined();
      expect(data!.stockChange).toEqual({
        eventId: event!.eventId,
        sku: sku(9),
        delta: -2,
        reason: 'SALE',
        occurredAt: sold.event.occurredAt,
        location: { id: 'S002', type: 'STORE' },
        product: { sku: sku(9) },
      });
    } finally {
      await adminCall(pos, posConfig.token, 'PUT', '/admin/webhook', { url: null });
    }
  });
});
