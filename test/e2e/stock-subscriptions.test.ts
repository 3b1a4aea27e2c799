import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningStack } from '../../bin/start-stack.js';
import type { ProductRecord, LocationRecord } from '../../simulators/data/dataset.js';
import { signedWebhookHeaders } from '../../lib/pos/webhook-signature.js';
import { POS_WEBHOOK_PATH } from '../../subgraphs/inventory/index.js';
import { adminCall } from '../support/simulator-admin.js';
import { graphql, startTestStack } from '../support/stack.js';
import { asClient } from '../support/gateway-token.js';
import { subscribe } from '../support/subscription-client.js';

/**
 * The whole real-time path in one process (in-process event bus): a sale at a
 * POS till → signed webhook → inventory ledger + outbox → bus → gateway hub →
 * graphql-ws subscriber, with fields from the product subgraph.
 */
let stack: RunningStack;
let wsUrl: string;
let gatewayUrl: string;
let p1: ProductRecord;
let p2: ProductRecord;
let s1: LocationRecord;
let s2: LocationRecord;
/** POS terminals hold inventory:read and inventory:write. */
let terminal: { authorization: string };

const CHANGE = `eventId sku delta reason previousAvailable available occurredAt location { id }`;

beforeAll(async () => {
  stack = await startTestStack();
  wsUrl = stack.gateway.websocketUrl;
  gatewayUrl = stack.gateway.graphqlUrl;
  [p1, p2] = stack.dataset.products as [ProductRecord, ProductRecord];
  [s1, s2] = stack.dataset.stores as [LocationRecord, LocationRecord];
  terminal = await asClient(gatewayUrl, 'pos-terminal-s001');
}, 120_000);

afterAll(async () => {
  await stack?.close();
});

/** One graphql-ws client of a POS terminal, with its token in connection_init. */
const watch = <T = Record<string, any>>(query: string, variables: Record<string, unknown> = {}) => subscribe<T>(wsUrl, query, variables, terminal);

/** The stream's position now: subscribing with `after: cursor` cannot miss what follows, however slow the subscribe is. */
const cursor = () => stack.bus.lastEventId();

const sell = (store: LocationRecord, product: ProductRecord, quantity = 1) =>
  adminCall(stack.simulators.pos, stack.config.upstreams.pos.token, 'POST', '/admin/sell', { storeId: store.id, sku: product.sku, quantity });

async function adjust(product: ProductRecord, location: LocationRecord, delta: number) {
  const { body } = await graphql(gatewayUrl, 'mutation($input: StockAdjustmentInput!) { adjustStock(input: $input) { sku available } }', {
    input: { sku: product.sku, locationId: location.id, delta },
  }, terminal);
  expect(body.errors).toBeUndefined();
  return body.data!.adjustStock as { sku: string; available: number };
}

describe('stockChanged through the gateway', () => {
  it('delivers a sale at the till with the product name and price from the product subgraph', async () => {
    const sub = watch(`subscription($skus: [ID!], $after: ID) { stockChanged(skus: $skus, after: $after) { ${CHANGE} product { sku name price { amount currencyCode } } } }`,
      { skus: [p1.sku], after: await cursor() },
    );
    const sale = await sell(s1, p1, 2);
    expect(sale.delivery.status).toBe('delivered');
    const [result] = await sub.take(1);
    expect(result!.errors).toBeUndefined();
    const change = result!.data!.stockChanged;
    expect(change).toMatchObject({ sku: p1.sku, delta: -2, reason: 'SALE', location: { id: s1.id }, product: { sku: p1.sku, name: p1.name } });
    expect(change.available).toBe(Math.max(0, change.previousAvailable - 2));
    expect(change.product.price.amount).toBeDefined();
    await sub.close();
  });

  it('answers a selection of product and location (fetched by key, batched) exactly as the full query plan does, aliases and fragments included', async () => {
    const after = await cursor();
    const selection = `n: eventId ...Change item: product { ...Item sku } product { name } avail: available store: location { id name }`;
    const fragments = `fragment Change on StockChange { sku delta product { price { amount } } } fragment Item on Product { title: name price { currencyCode } }`;
    const variables = { skus: [p1.sku, p2.sku], after };
    // A directive on a fragment holding a reference field sends this one through stockChange(eventId) and the whole query plan.
    const general = watch(`subscription($skus: [ID!], $after: ID) { change: stockChanged(skus: $skus, after: $after) { ${selection} ... @include(if: true) { store: location { id } } } } ${fragments}`, variables);
    const byReference = watch(`subscription($skus: [ID!], $after: ID) { change: stockChanged(skus: $skus, after: $after) { ${selection} } } ${fragments}`, variables);
    await adjust(p1, s1, 2);
    await adjust(p2, s2, -1);
    const [expected, got] = await Promise.all([general.take(2), byReference.take(2)]);
    expect(got).toEqual(expected);
    // Key order is the document's, as a GraphQL executor answers.
    expect(Object.keys(got[0]!.data!.change)).toEqual(['n', 'sku', 'delta', 'product', 'item', 'avail', 'store']);
    expect(got[1]!.data!.change).toMatchObject({ sku: p2.sku, item: { title: p2.name, sku: p2.sku }, product: { name: p2.name }, store: { id: s2.id, name: s2.name } });
    await Promise.all([general.close(), byReference.close()]);
  });

  it('applies the sku and location filters, both together when both are given', async () => {
    const after = await cursor();
    const query = `subscription($skus: [ID!], $locationIds: [ID!], $after: ID) { stockChanged(skus: $skus, locationIds: $locationIds, after: $after) { eventId sku location { id } } }`;
    const bySku = watch(query, { skus: [p1.sku], after });
    const byLocation = watch(query, { locationIds: [s2.id], after });
    const byBoth = watch(query, { skus: [p1.sku], locationIds: [s1.id], after });
    await adjust(p1, s1, 2); // bySku, byBoth
    await adjust(p2, s2, 3); // byLocation
    await adjust(p1, s2, -1); // bySku, byLocation
    await adjust(p2, s1, 1); // nobody
    await adjust(p1, s1, 1); // bySku, byBoth: each one's last, so anything wrongly let through shows before it
    await adjust(p2, s2, 1); // byLocation's last
    const at = (r: { data?: any }) => `${r.data.stockChanged.sku}@${r.data.stockChanged.location.id}`;
    expect((await bySku.take(3)).map(at)).toEqual([`${p1.sku}@${s1.id}`, `${p1.sku}@${s2.id}`, `${p1.sku}@${s1.id}`]);
    expect((await byLocation.take(3)).map(at)).toEqual([`${p2.sku}@${s2.id}`, `${p1.sku}@${s2.id}`, `${p2.sku}@${s2.id}`]);
    expect((await byBoth.take(2)).map(at)).toEqual([`${p1.sku}@${s1.id}`, `${p1.sku}@${s1.id}`]);
    await Promise.all([bySku.close(), byLocation.close(), byBoth.close()]);
  });
});

/** Posts POS events to the inventory webhook as the POS does: signed over the raw body. */
async function postPosEvents(events: unknown[]): Promise<{ status: number; body: any }> {
  const body = JSON.stringify({ events });
  const res = await fetch(`${stack.subgraphs.inventory.url}${POS_WEBHOOK_PATH}`, {
    method: 'POST',
    headers: signedWebhookHeaders('pos-main', stack.config.simulators.pos.webhookSecret, body),
    body,
  });
  return { status: res.status, body: await res.json() };
}

describe('stockChanged resumes and dedupes', () => {
  it('resumes with `after` from the last eventId received: nothing missed while away, nothing twice', async () => {
    const query = `subscription($skus: [ID!], $after: ID) { stockChanged(skus: $skus, after: $after) { eventId delta } }`;
    const first = watch(query, { skus: [p2.sku], after: await cursor() });
    await adjust(p2, s1, 1);
    await adjust(p2, s1, 2);
    const seen = await first.take(2);
    await first.close();
    // While the terminal is offline.
    await adjust(p2, s1, 3);
    await adjust(p2, s2, 4);
    const last = seen[1]!.data!.stockChanged.eventId as string;
    const again = watch(query, { skus: [p2.sku], after: last });
    await adjust(p2, s1, 5);
    const resumed = await again.take(3);
    expect(resumed.map((r) => r.data!.stockChanged.delta)).toEqual([3, 4, 5]);
    const ids = resumed.map((r) => BigInt(r.data!.stockChanged.eventId as string));
    expect(ids[0]! > BigInt(last)).toBe(true);
    expect(ids[1]! > ids[0]! && ids[2]! > ids[1]!).toBe(true);
    await again.close();
  });

  it('publishes a POS event delivered twice once', async () => {
    const sub = watch(`subscription($skus: [ID!], $after: ID) { stockChanged(skus: $skus, after: $after) { eventId delta reason } }`, {
      skus: [p1.sku],
      after: await cursor(),
    });
    const event = { eventId: `e2e-${Date.now()}`, type: 'RETURN', storeId: s2.id, sku: p1.sku, quantity: 7, occurredAt: new Date().toISOString() };
    const delivered = await postPosEvents([event]);
    expect(delivered.status).toBe(200);
    const redelivered = await postPosEvents([event]);
    expect(redelivered.status).toBe(200);
    expect(redelivered.body.duplicates).toHaveLength(1);
    await adjust(p1, s2, -7); // the marker: the next thing this subscriber sees
    const results = await sub.take(2);
    expect(results.map((r) => [r.data!.stockChanged.reason, r.data!.stockChanged.delta])).toEqual([
      ['RETURN', 7],
      ['ADJUSTMENT', -7],
    ]);
    await sub.close();
  });

  it('refuses an `after` that is not an eventId, and a cursor older than the stream keeps', async () => {
    const query = `subscription($after: ID) { stockChanged(after: $after) { eventId } }`;
    await expect(watch(query, { after: 'yesterday' }).ended).rejects.toEqual([
      expect.objectContaining({ extensions: expect.objectContaining({ code: 'BAD_USER_INPUT' }) }),
    ]);
    await stack.bus.markTrimmedUpTo(await cursor());
    await expect(watch(query, { after: '1' }).ended).rejects.toEqual([
      expect.objectContaining({ extensions: expect.objectContaining({ code: 'STOCK_CURSOR_EXPIRED' }) }),
    ]);
  });

  it('answers queries and mutations over the same socket through the query planner', async () => {
    const sub = watch(`query($sku: ID!) { product(sku: $sku) { name stock { available } } }`, { sku: p1.sku });
    const [result] = await sub.take(1);
    expect(result!.data!.product.name).toBe(p1.name);
    await sub.ended;
  });
});
