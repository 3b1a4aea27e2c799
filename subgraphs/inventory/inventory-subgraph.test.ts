import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../lib/db/database.js';
import { createMemoryStockEventBus } from '../../lib/events/memory-stock-event-bus.js';
import { TEST_DATABASE_URL, dropSchema, uniqueSchema } from '../../test/support/database.js';
import { graphql, queryServer } from '../../test/support/graphql-client.js';
import { adminCall, setFaults } from '../../test/support/simulator-admin.js';
import { totalStock } from '../../test/support/stock.js';
import { startUpstreams, type UpstreamFixture } from '../../test/support/upstream-fixture.js';
import { inventoryOptions } from '../../test/support/inventory-options.js';
import { startInventorySubgraph, type RunningInventorySubgraph } from './index.js';

/** The subgraph end to end on the real PostgreSQL, fed by the real ERP and POS simulators. */
let upstreams: UpstreamFixture;
const schemas: string[] = [];
const open: Array<{ close(): Promise<void> }> = [];

beforeAll(async () => {
  upstreams = await startUpstreams({ skus: 200, warehouses: 2, stores: 3, customers: 20 });
});
afterAll(async () => {
  for (const o of open.splice(0).reverse()) await o.close();
  await upstreams?.close();
  for (const schema of schemas) await dropSchema(schema);
});

function freshSchema(): string {
  const schema = uniqueSchema('inventory');
  schemas.push(schema);
  return schema;
}

async function start(schema: string, extra: { awaitInitialLoad?: boolean } = {}): Promise<RunningInventorySubgraph> {
  const subgraph = await startInventorySubgraph(inventoryOptions(upstreams, createMemoryStockEventBus(), schema, extra));
  open.push(subgraph);
  return subgraph;
}

async function peek(schema: string): Promise<Database> {
  const db = await openDatabase({ url: TEST_DATABASE_URL, schema, poolSize: 1 });
  open.push(db);
  return db;
}

const count = async (db: Database, table: string) => (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`)).rows[0]!.n;

describe('inventory subgraph on PostgreSQL', () => {
  const schema = freshSchema();
  let subgraph: RunningInventorySubgraph;
  let ledger: Database;

  beforeAll(async () => {
    // Changes made in the ERP and the POS before the first start are part of what it loads.
    await adminCall(upstreams.erp, upstreams.erpConfig.token, 'POST', '/admin/inventory', [{ warehouse: 'WH-02', sku: 'ERP-ONLY-1', qty: 9 }]);
    await adminCall(upstreams.pos, upstreams.posConfig.token, 'POST', '/admin/adjust', { storeId: 'S002', sku: upstreams.dataset.products[0]!.sku, delta: 4 });
    subgraph = await start(schema);
    ledger = await peek(schema);
  });

  it('loads warehouses, stores and every level on first start, and is ready', async () => {
    const { dataset } = upstreams;
    const result = await subgraph.initialLoad;
    expect(result).toMatchObject({ loaded: true, locations: 5, invalidRecords: 0 });
    expect(await count(ledger, 'locations')).toBe(dataset.warehouses.length + dataset.stores.length);
    // Every SKU at every location, plus the one SKU only the ERP's WH-02 knows.
    expect(await count(ledger, 'stock_levels')).toBe(dataset.products.length * 5 + 1);
    expect(await count(ledger, 'inventory_items')).toBe(dataset.products.length + 1);
    expect(await count(ledger, 'stock_events')).toBe(0);
    const discontinued = (await ledger.query<{ sku: string }>('SELECT sku FROM inventory_items WHERE is_discontinued AND discontinued_at IS NOT NULL ORDER BY sku')).rows;
    expect(discontinued.map((r) => r.sku)).toEqual(dataset.products.filter((p) => p.discontinued).map((p) => p.sku));
    const ready = await fetch(`${subgraph.url}/readyz`);
    expect(ready.status).toBe(200);
    // The breakers of the one ERP client (first load and syncs) and the one POS client of the process.
    expect(await ready.json()).toMatchObject({ status: 'ready', upstreams: { erp: 'closed', pos: 'closed' } });
  });

  it('does not load again on the next start', async () => {
    const before = upstreams.calls();
    const second = await start(schema);
    expect(await second.initialLoad).toMatchObject({ loaded: false });
    expect(upstreams.calls()).toEqual(before);
    await second.close();
  });

  it('answers only calls the gateway signed: a direct one gets 401 UNAUTHENTICATED', async () => {
    const direct = await graphql(`${subgraph.url}/graphql`, '{ locations { id } }');
    expect(direct.status).toBe(401);
    expect(direct.body.errors).toEqual([expect.objectContaining({ extensions: { code: 'UNAUTHENTICATED', requestId: direct.headers.get('x-request-id') } })]);
    expect((await fetch(`${subgraph.url}/healthz`)).status).toBe(200);
  });

  it('lists locations, warehouses first', async () => {
    const { data } = await queryServer(subgraph, '{ locations { id name type } }');
    const { dataset } = upstreams;
    expect(data!.locations).toEqual([
      ...dataset.warehouses.map((w) => ({ id: w.id, name: w.name, type: 'WAREHOUSE' })),
      ...dataset.stores.map((s) => ({ id: s.id, name: s.name, type: 'STORE' })),
    ]);
  });

  it('sums stock over every location for product entities, 0 for a SKU it does not know', async () => {
    const { dataset } = upstreams;
    const [adjusted, plain] = [dataset.products[0]!, dataset.products[1]!];
    const discontinued = dataset.products.find((p) => p.discontinued)!;
    const skus = [adjusted.sku, plain.sku, discontinued.sku, 'ERP-ONLY-1', 'NO-SUCH-SKU'];
    const before = upstreams.calls();
    const { data, errors } = await queryServer(
      subgraph,
      'query($r: [_Any!]!) { _entities(representations: $r) { ... on Product { sku stock { available inStock } } } }',
      { r: skus.map((sku) => ({ __typename: 'Product', sku })) },
    );
    expect(errors).toBeUndefined();
    const expected = [totalStock(upstreams.dataset, adjusted) + 4, totalStock(upstreams.dataset, plain), 0, 9, 0];
    expect(data!._entities).toEqual(skus.map((sku, i) => ({ sku, stock: { available: expected[i], inStock: expected[i]! > 0 } })));
    // Reads come from the ledger only.
    expect(upstreams.calls()).toEqual(before);
  });

  it('serves stock by location, filtered to the locations asked for', async () => {
    const { dataset } = upstreams;
    const product = dataset.products[7]!;
    const query = `query($r: [_Any!]!, $ids: [ID!]) { _entities(representations: $r) { ... on Product {
      stockByLocation(locationIds: $ids) { sku location { id type } onHand reserved available updatedAt product { sku } } } } }`;
    const all = await queryServer(subgraph, query, { r: [{ __typename: 'Product', sku: product.sku }] });
    expect(all.errors).toBeUndefined();
    const levels = all.data!._entities[0].stockByLocation;
    expect(levels.map((l: any) => l.location.id)).toEqual(['WH-01', 'WH-02', 'S001', 'S002', 'S003']);

    const [warehouse, store] = [dataset.warehouses[1]!, dataset.stores[2]!];
    const some = await queryServer(subgraph, query, { r: [{ __typename: 'Product', sku: product.sku }], ids: [store.id, warehouse.id, 'NOWHERE'] });
    const filtered = some.data!._entities[0].stockByLocation;
    expect(filtered).toHaveLength(2);
    for (const location of [warehouse, store]) {
      const onHand = dataset.baselineQty(product, location);
      expect(filtered).toContainEqual({
        sku: product.sku,
        location: { id: location.id, type: location.type },
        onHand,
        reserved: 0,
        available: onHand,
        updatedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT.*Z$/),
        product: { sku: product.sku },
      });
    }
    // The POS's own timestamp is kept for store levels.
    expect(filtered.find((l: any) => l.location.id === store.id).updatedAt).toBe(dataset.baselineModifiedAt(product, store));
    const none = await queryServer(subgraph, query, { r: [{ __typename: 'Product', sku: product.sku }], ids: [] });
    expect(none.data!._entities[0].stockByLocation).toEqual([]);
  });

  it('answers stockLevels in the order asked, nothing for an unknown SKU', async () => {
    const { dataset } = upstreams;
    const [a, b] = [dataset.products[20]!, dataset.products[3]!];
    const { data, errors } = await queryServer(
      subgraph,
      'query($skus: [ID!]!, $ids: [ID!]) { stockLevels(skus: $skus, locationIds: $ids) { sku location { id name } onHand } }',
      { skus: [a.sku, 'NO-SUCH-SKU', b.sku, a.sku], ids: ['WH-01', 'S003'] },
    );
    expect(errors).toBeUndefined();
    expect(data!.stockLevels.map((l: any) => `${l.sku}@${l.location.id}`)).toEqual([`${a.sku}@WH-01`, `${a.sku}@S003`, `${b.sku}@WH-01`, `${b.sku}@S003`]);
    expect(data!.stockLevels[1]).toEqual({ sku: a.sku, location: { id: 'S003', name: dataset.stores[2]!.name }, onHand: dataset.baselineQty(a, dataset.stores[2]!) });

    const unknown = await queryServer(subgraph, '{ stockLevels(skus: ["NO-SUCH-SKU"]) { sku } }');
    expect(unknown).toEqual({ data: { stockLevels: [] } });
  });

  it('resolves Location references, null for an unknown id', async () => {
    const { data } = await queryServer(
      subgraph,
      '{ _entities(representations: [{__typename: "Location", id: "S002"}, {__typename: "Location", id: "X"}]) { ... on Location { id name type } } }',
    );
    expect(data!._entities).toEqual([{ id: 'S002', name: upstreams.dataset.stores[1]!.name, type: 'STORE' }, null]);
  });

  it('refuses more than 500 SKUs, and blank ones, with BAD_USER_INPUT', async () => {
    const skus = Array.from({ length: 501 }, (_, i) => `CG-${String(i + 1).padStart(6, '0')}`);
    const tooMany = await queryServer(subgraph, 'query($skus: [ID!]!) { stockLevels(skus: $skus) { sku } }', { skus });
    expect(tooMany.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argumentName: 'skus', max: 500 });
    expect(tooMany.data).toBeNull();
    const fine = await queryServer(subgraph, 'query($skus: [ID!]!) { stockLevels(skus: $skus) { sku } }', { skus: skus.slice(0, 500) });
    expect(fine.errors).toBeUndefined();
    const blank = await queryServer(subgraph, '{ stockLevels(skus: [" "]) { sku } }');
    expect(blank.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argumentName: 'skus' });
    const missing = await queryServer(subgraph, '{ stockLevels { sku } }');
    expect(missing.errors![0]!.extensions!.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });
});

describe('inventory subgraph start-up', () => {
  it('says 503 on /readyz until the first-start load is done', async () => {
    await setFaults(upstreams.erp, upstreams.erpConfig.token, { latencyMs: 300 });
    try {
      const subgraph = await start(freshSchema(), { awaitInitialLoad: false });
      const during = await fetch(`${subgraph.url}/readyz`);
      expect(during.status).toBe(503);
      expect(await during.json()).toMatchObject({ status: 'starting' });
      expect((await fetch(`${subgraph.url}/healthz`)).status).toBe(200);
      expect(await subgraph.initialLoad).toMatchObject({ loaded: true });
      expect((await fetch(`${subgraph.url}/readyz`)).status).toBe(200);
    } finally {
      await setFaults(upstreams.erp, upstreams.erpConfig.token, { latencyMs: 0 });
    }
  });

  it('rejects the start when the load fails, leaving the ledger empty for the next start', async () => {
    const schema = freshSchema();
    await setFaults(upstreams.pos, upstreams.posConfig.token, { outage: true });
    try {
      await expect(start(schema)).rejects.toMatchObject({ extensions: { code: 'UPSTREAM_UNAVAILABLE', service: 'pos' } });
    } finally {
      await setFaults(upstreams.pos, upstreams.posConfig.token, { outage: false });
    }
    const ledger = await peek(schema);
    expect(await count(ledger, 'locations')).toBe(0);
    const retried = await start(schema);
    expect(await retried.initialLoad).toMatchObject({ loaded: true, locations: 5 });
  });

  it('stops a load under way when closed', async () => {
    const schema = freshSchema();
    await setFaults(upstreams.pos, upstreams.posConfig.token, { latencyMs: 200 });
    try {
      const subgraph = await start(schema, { awaitInitialLoad: false });
      await subgraph.close();
      await expect(subgraph.initialLoad).rejects.toThrow();
    } finally {
      await setFaults(upstreams.pos, upstreams.posConfig.token, { latencyMs: 0 });
    }
    expect(await count(await peek(schema), 'locations')).toBe(0);
  });
});
