import { execute, parse, type ExecutionResult } from 'graphql';
import type { IncomingMessage } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database, Queryable } from '../../lib/db/database.js';
import { openTestDatabase } from '../../test/support/database.js';
import { FULL_ACCESS } from '../../test/support/gateway-signing.js';
import { loadLedger } from '../../test/support/loaded-ledger.js';
import { totalStock } from '../../test/support/stock.js';
import { startUpstreams, type UpstreamFixture } from '../../test/support/upstream-fixture.js';
import type { ErpSync } from './erp-sync/erp-sync.js';
import { inventoryContext } from './inventory-context.js';
import { createInventorySchema } from './inventory-schema.js';
import { LedgerRepository } from './ledger/ledger-repository.js';
import { LedgerWriter } from './ledger/ledger-writer.js';

/** One SQL query per loader per operation, however many products the gateway asks about. */
let upstreams: UpstreamFixture;
let db: Database;
const statements: string[] = [];

/** The database's query function, wrapped to record every statement. */
const counting = (inner: Queryable): Queryable => ({
  query: (sql, params) => {
    statements.push(sql);
    return inner.query(sql, params);
  },
});

beforeAll(async () => {
  upstreams = await startUpstreams({ skus: 120, warehouses: 2, stores: 4, customers: 10 });
  db = await openTestDatabase('inventory_loaders');
  await loadLedger(db, upstreams);
});
afterAll(async () => {
  await db?.close();
  await upstreams?.close();
});

/** These queries never reach the ERP sync. */
const NO_ERP_SYNC = {} as ErpSync;

async function run(query: string, variables?: Record<string, unknown>): Promise<{ result: ExecutionResult; queries: number }> {
  const schema = await createInventorySchema();
  const context = inventoryContext({ ledger: new LedgerRepository(counting(db)), writer: new LedgerWriter(db), erpSync: NO_ERP_SYNC })({ requestId: 'test', req: {} as IncomingMessage, principal: FULL_ACCESS });
  statements.length = 0;
  const result = await execute({ schema, document: parse(query), variableValues: variables, contextValue: context });
  return { result, queries: statements.length };
}

const products = (n: number) => upstreams.dataset.products.slice(0, n).map((p) => ({ __typename: 'Product', sku: p.sku }));

describe('inventory loaders', () => {
  it('sums stock for 50 products in one SQL query', async () => {
    const { result, queries } = await run('query($r: [_Any!]!) { _entities(representations: $r) { ... on Product { sku stock { available inStock } } } }', { r: products(50) });
    expect(result.errors).toBeUndefined();
    expect(queries).toBe(1);
    const entities = (result.data as any)._entities;
    expect(entities).toHaveLength(50);
    for (const [i, p] of upstreams.dataset.products.slice(0, 50).entries()) expect(entities[i].stock.available).toBe(totalStock(upstreams.dataset, p));
  });

  it('reads stock by location with its locations for 50 products in one SQL query', async () => {
    const { result, queries } = await run(
      'query($r: [_Any!]!) { _entities(representations: $r) { ... on Product { stockByLocation(locationIds: ["WH-02", "S004"]) { available location { id name type } } } } }',
      { r: products(50) },
    );
    expect(result.errors).toBeUndefined();
    expect(queries).toBe(1);
    expect((result.data as any)._entities.every((e: any) => e.stockByLocation.length === 2)).toBe(true);
  });

  it('answers summary, levels and locations together in one query each', async () => {
    const { result, queries } = await run(
      `query($r: [_Any!]!) { _entities(representations: $r) { ... on Product { stock { available } all: stockByLocation { onHand } some: stockByLocation(locationIds: ["S001"]) { onHand } } } }`,
      { r: products(30) },
    );
    expect(result.errors).toBeUndefined();
    // One summary query, one level query per distinct location filter.
    expect(queries).toBe(3);
  });

  it('resolves many Location references in one SQL query', async () => {
    const ids = ['WH-01', 'WH-02', 'S001', 'S002', 'S003', 'S004', 'NOPE'];
    const { result, queries } = await run('query($r: [_Any!]!) { _entities(representations: $r) { ... on Location { id type } } }', {
      r: ids.map((id) => ({ __typename: 'Location', id })),
    });
    expect(result.errors).toBeUndefined();
    expect(queries).toBe(1);
    expect((result.data as any)._entities.at(-1)).toBeNull();
  });

  it('answers stockLevels for many SKUs, with locations, in one SQL query', async () => {
    const skus = upstreams.dataset.products.slice(0, 100).map((p) => p.sku);
    const { result, queries } = await run('query($skus: [ID!]!) { stockLevels(skus: $skus) { sku location { name } } }', { skus });
    expect(result.errors).toBeUndefined();
    expect(queries).toBe(1);
    expect((result.data as any).stockLevels).toHaveLength(100 * 6);
  });

  it('resolves many stockChange ids in one SQL query, null for ids that name none', async () => {
    const { applied } = await new LedgerWriter(db).apply(
      upstreams.dataset.products.slice(0, 20).map((p, i) => ({ sku: p.sku, locationId: 'S001', delta: -1 - (i % 3), reason: 'SALE' as const, occurredAt: new Date() })),
    );
    const ids = [...applied.map((e) => e.eventId), '999999999', 'nope'];
    const query = `query { ${ids.map((id, i) => `c${i}: stockChange(eventId: "${id}") { eventId sku delta reason }`).join(' ')} }`;
    const { result, queries } = await run(query);
    expect(result.errors).toBeUndefined();
    expect(queries).toBe(1);
    const data = result.data as Record<string, unknown>;
    expect(ids.map((_, i) => data[`c${i}`])).toEqual([...applied.map((e) => ({ eventId: e.eventId, sku: e.sku, delta: e.delta, reason: 'SALE' })), null, null]);
  });
});
