import { parse, subscribe } from 'graphql';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ANONYMOUS } from '../../lib/auth/claims.js';
import { createMemoryStockEventBus } from '../../lib/events/memory-stock-event-bus.js';
import { dropSchema, uniqueSchema } from '../../test/support/database.js';
import { FULL_ACCESS, principalWith } from '../../test/support/gateway-signing.js';
import { queryServer, subgraphGraphql } from '../../test/support/graphql-client.js';
import { startUpstreams, type UpstreamFixture } from '../../test/support/upstream-fixture.js';
import { inventoryOptions } from '../../test/support/inventory-options.js';
import { createInventorySchema, startInventorySubgraph, type RunningInventorySubgraph } from './index.js';

/** `adjustStock` and `stockChange` through the subgraph's /graphql, on PostgreSQL. */
let upstreams: UpstreamFixture;
let subgraph: RunningInventorySubgraph;
const bus = createMemoryStockEventBus();
const schema = uniqueSchema('inventory_writes');

beforeAll(async () => {
  upstreams = await startUpstreams({ skus: 30, warehouses: 2, stores: 2, customers: 10 });
  subgraph = await startInventorySubgraph(inventoryOptions(upstreams, bus, schema, { outboxPollMs: 60_000 }));
});
afterAll(async () => {
  await subgraph?.close();
  await bus.close();
  await upstreams?.close();
  await dropSchema(schema);
});

const ADJUST = `mutation($input: StockAdjustmentInput!) {
  adjustStock(input: $input) { sku onHand reserved available updatedAt location { id name } product { sku } }
}`;
const CHANGE = `query($id: ID!) {
  stockChange(eventId: $id) { eventId sku previousAvailable available delta reason occurredAt location { id type } product { sku } }
}`;
const product = (i: number) => upstreams.dataset.products[i]!;
const warehouse = () => upstreams.dataset.warehouses[1]!;

describe('adjustStock', () => {
  it('records an adjustment, answers the new level, and publishes the change', async () => {
    const before = upstreams.dataset.baselineQty(product(0), warehouse());
    const published = await bus.lastEventId();
    const { data, errors } = await queryServer(subgraph, ADJUST, { input: { sku: product(0).sku, locationId: warehouse().id, delta: -4, note: 'pallet dropped' } });
    expect(errors).toBeUndefined();
    expect(data!.adjustStock).toEqual({
      sku: product(0).sku,
      onHand: before - 4,
      reserved: 0,
      available: Math.max(0, before - 4),
      updatedAt: expect.any(String),
      location: { id: warehouse().id, name: warehouse().name },
      product: { sku: product(0).sku },
    });

    // Published by the outbox relay, woken by the commit (the poll is a minute away here).
    await vi.waitFor(async () => expect(await bus.readAfter(published, 10)).toHaveLength(1), { timeout: 2_000, interval: 20 });
    const [event] = await bus.readAfter(published, 10);
    expect(event).toEqual({
      eventId: expect.stringMatching(/^\d+$/),
      sku: product(0).sku,
      locationId: warehouse().id,
      previousAvailable: before,
      available: Math.max(0, before - 4),
      delta: -4,
      reason: 'ADJUSTMENT',
      occurredAt: data!.adjustStock.updatedAt,
    });

    const change = await queryServer(subgraph, CHANGE, { id: event!.eventId });
    expect(change).toEqual({
      data: {
        stockChange: {
          eventId: event!.eventId,
          sku: product(0).sku,
          previousAvailable: before,
          available: Math.max(0, before - 4),
          delta: -4,
          reason: 'ADJUSTMENT',
          occurredAt: event!.occurredAt,
          location: { id: warehouse().id, type: 'WAREHOUSE' },
          product: { sku: product(0).sku },
        },
      },
    });
  });

  it('takes SALE and RETURN keyed in by hand, and starts a SKU the ledger does not know at 0', async () => {
    const sold = await queryServer(subgraph, ADJUST, { input: { sku: 'NEW-SKU-1', locationId: 'S001', delta: -2, reason: 'SALE' } });
    expect(sold.errors).toBeUndefined();
    expect(sold.data!.adjustStock).toMatchObject({ sku: 'NEW-SKU-1', onHand: -2, available: 0 });
    const returned = await queryServer(subgraph, ADJUST, { input: { sku: 'NEW-SKU-1', locationId: 'S001', delta: 5, reason: 'RETURN', note: null } });
    expect(returned.data!.adjustStock).toMatchObject({ onHand: 3, available: 3 });
  });

  it('refuses what makes no sense with BAD_USER_INPUT naming the field, and an unknown location with NOT_FOUND', async () => {
    const input = { sku: product(1).sku, locationId: 'S002', delta: 1 };
    const cases: Array<[Record<string, unknown>, string, string]> = [
      [{ delta: 0 }, 'BAD_USER_INPUT', 'delta'],
      [{ delta: 1_000_001 }, 'BAD_USER_INPUT', 'delta'],
      [{ delta: 3, reason: 'SALE' }, 'BAD_USER_INPUT', 'delta'],
      [{ delta: -3, reason: 'RETURN' }, 'BAD_USER_INPUT', 'delta'],
      [{ reason: 'ERP_SYNC' }, 'BAD_USER_INPUT', 'reason'],
      [{ reason: 'RESERVATION' }, 'BAD_USER_INPUT', 'reason'],
      [{ reason: 'RELEASE' }, 'BAD_USER_INPUT', 'reason'],
      [{ sku: '  ' }, 'BAD_USER_INPUT', 'sku'],
      [{ note: 'x'.repeat(1_001) }, 'BAD_USER_INPUT', 'note'],
      [{ locationId: 'NOWHERE' }, 'NOT_FOUND', 'locationId'],
    ];
    for (const [change, code, field] of cases) {
      const { data, errors } = await queryServer(subgraph, ADJUST, { input: { ...input, ...change } });
      expect(data, JSON.stringify(change)).toBeNull();
      expect(errors![0]!.extensions, JSON.stringify(change)).toMatchObject({ code, argumentName: 'input', field });
    }
    const { data } = await queryServer(subgraph, 'query($s: [ID!]!) { stockLevels(skus: $s, locationIds: ["S002"]) { onHand } }', { s: [product(1).sku] });
    expect(data!.stockLevels).toEqual([{ onHand: upstreams.dataset.baselineQty(product(1), upstreams.dataset.stores[1]!) }]);
  });
});

describe('access (the subgraph enforces its own @requiresScopes)', () => {
  const POS_TERMINAL = principalWith('inventory:read');

  it('refuses adjustStock without inventory:write, and writes nothing', async () => {
    const levelOf = async () =>
      (await queryServer(subgraph, 'query($s: [ID!]!) { stockLevels(skus: $s, locationIds: ["S001"]) { onHand } }', { s: [product(2).sku] })).data!.stockLevels;
    const before = await levelOf();
    const published = await bus.lastEventId();
    for (const principal of [POS_TERMINAL, principalWith(), ANONYMOUS]) {
      const refused = await queryServer(subgraph, ADJUST, { input: { sku: product(2).sku, locationId: 'S001', delta: 7 } }, principal);
      expect(refused.data).toBeNull();
      expect(refused.errors).toEqual([expect.objectContaining({ message: 'Mutation.adjustStock needs scope inventory:write.', path: ['adjustStock'], extensions: expect.objectContaining({ code: 'FORBIDDEN' }) })]);
    }
    expect(await levelOf()).toEqual(before);
    expect(await bus.lastEventId()).toBe(published);
  });

  it('serves inventory:read data to a POS terminal, not the ops-only sync jobs', async () => {
    const { data, errors } = await queryServer(subgraph, '{ locations { id } stockLevels(skus: ["NEW-SKU-1"]) { sku } }', undefined, POS_TERMINAL);
    expect(errors).toBeUndefined();
    expect(data!.locations.length).toBeGreaterThan(0);
    const jobs = await queryServer(subgraph, '{ syncJobs { id } }', undefined, POS_TERMINAL);
    expect(jobs.errors).toEqual([expect.objectContaining({ message: 'Query.syncJobs needs scope ops.', extensions: expect.objectContaining({ code: 'FORBIDDEN' }) })]);
    const run = await queryServer(subgraph, 'mutation { runErpSync { id } }', undefined, POS_TERMINAL);
    expect(run.errors![0]!.extensions).toMatchObject({ code: 'FORBIDDEN' });
  });

  it('answers the public fields and nulls the protected ones, each with FORBIDDEN, for an anonymous caller', async () => {
    const query = `query($r: [_Any!]!) {
      locations { id }
      stockChange(eventId: "1") { eventId }
      _entities(representations: $r) { ... on Product { sku stock { available } } }
    }`;
    const { data, errors } = await queryServer(subgraph, query, { r: [{ __typename: 'Product', sku: product(3).sku }] }, ANONYMOUS);
    expect(data!.locations.length).toBeGreaterThan(0);
    expect(data!.stockChange).toBeNull();
    expect(data!._entities).toEqual([{ sku: product(3).sku, stock: { available: expect.any(Number) } }]);
    expect(errors).toEqual([expect.objectContaining({ path: ['stockChange'], message: 'Query.stockChange needs scope inventory:read.', extensions: expect.objectContaining({ code: 'FORBIDDEN' }) })]);
    // Product.stockByLocation, reached through _entities as the gateway reaches it: the entity is nulled (the field is non-null).
    const byLocation = await queryServer(subgraph, 'query($r: [_Any!]!) { _entities(representations: $r) { ... on Product { stockByLocation { available } } } }', { r: [{ __typename: 'Product', sku: product(3).sku }] }, ANONYMOUS);
    expect(byLocation.data).toEqual({ _entities: [null] });
    expect(byLocation.errors![0]).toMatchObject({ path: ['_entities', 0, 'stockByLocation'], extensions: { code: 'FORBIDDEN' } });
  });
});

describe('stockChange', () => {
  it('is null for an id that names no change', async () => {
    for (const id of ['999999999', 'abc', '-1', '99999999999999999999999']) {
      expect(await queryServer(subgraph, CHANGE, { id }), id).toEqual({ data: { stockChange: null } });
    }
  });
});

describe('outbox on restart', () => {
  it('publishes what the ledger holds onto a bus that has lost it (a restarted Redis, here a new bus)', async () => {
    const fresh = createMemoryStockEventBus();
    const restarted = await startInventorySubgraph(inventoryOptions(upstreams, fresh, schema, { outboxPollMs: 60_000 }));
    try {
      const expected = await bus.readAfter('0', 1_000);
      expect(expected.length).toBeGreaterThan(0);
      await vi.waitFor(async () => expect(await fresh.readAfter('0', 1_000)).toEqual(expected), { timeout: 2_000, interval: 20 });
    } finally {
      await restarted.close();
      await fresh.close();
    }
  });
});

describe('stockChanged', () => {
  it('is in the schema, and is served by the gateway, not over HTTP here', async () => {
    const { status, body } = await subgraphGraphql(`${subgraph.url}/graphql`, 'subscription { stockChanged(skus: ["X"]) { eventId } }');
    expect(status).toBeGreaterThanOrEqual(400);
    expect(body.errors?.[0]?.message).toMatch(/[Ss]ubscription/);
    // Executed against the schema directly, it says where to go.
    const direct = await subscribe({ schema: await createInventorySchema(), document: parse('subscription { stockChanged(after: "5") { eventId } }'), contextValue: { principal: FULL_ACCESS } });
    expect(direct).toMatchObject({ errors: [{ message: 'stockChanged is served by the gateway over graphql-ws.', extensions: { code: 'BAD_REQUEST' } }] });
  });
});
