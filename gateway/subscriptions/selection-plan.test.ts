import { ANONYMOUS } from '../../lib/auth/claims.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GraphQLError, buildSchema, parse, print, type ExecutionArgs, type ExecutionResult } from 'graphql';
import { describe, expect, it, vi } from 'vitest';
import type { StockEvent } from '../../lib/events/stock-event.js';
import { projectRoot } from '../../lib/project-root.js';
import { testLogger } from '../../test/support/logger.js';
import { createSelectionPlan } from './selection-plan.js';
import { analyseStockChanged, type StockChangedOperation } from './stock-changed-operation.js';

const schema = buildSchema(readFileSync(join(projectRoot(), 'schema', 'api.graphql'), 'utf8'));

const event = (id: number, sku: string): StockEvent => ({
  eventId: String(id),
  sku,
  locationId: 'S001',
  previousAvailable: 5,
  available: 4,
  delta: -1,
  reason: 'SALE',
  occurredAt: '2026-11-23T10:00:00.000Z',
});

const analyse = (source: string) => analyseStockChanged(parse(source)) as StockChangedOperation;

/** A stand-in for the gateway's planner: answers each `_i: product(sku:)` (or `location(id:)`) from a table, recording every query. */
function fakeGateway(answer: (sku: string, alias: string) => unknown, errors: (alias: string) => GraphQLError[] = () => []) {
  const queries: Array<{ document: string; variables: Record<string, unknown> }> = [];
  const executeQuery = async (args: ExecutionArgs): Promise<ExecutionResult> => {
    const variables = args.variableValues as Record<string, unknown>;
    queries.push({ document: print(args.document), variables });
    const aliases = [...print(args.document).matchAll(/(_\d+): (?:product\(sku|location\(id): \$(__key\d+)\)/g)];
    const data = Object.fromEntries(aliases.map(([, alias, variable]) => [alias, answer(variables[variable as string] as string, alias as string)]));
    const all = aliases.flatMap(([, alias]) => errors(alias as string));
    return { data, ...(all.length ? { errors: all } : {}) };
  };
  return { queries, executeQuery };
}

const planFor = (operation: StockChangedOperation, gateway: ReturnType<typeof fakeGateway>, variables = {}, reuse?: { ms: number; now: () => number }) =>
  createSelectionPlan(
    { schema, executeQuery: gateway.executeQuery, logger: testLogger('plan'), ...(reuse ? { referenceReuseMs: reuse.ms, now: reuse.now } : {}) },
    operation,
    variables,
    ANONYMOUS,
  );

describe('stockChanged selection analysis', () => {
  const fieldsOf = (source: string) => analyse(source).references?.map((r) => `${r.responseKey}:${r.field}`);

  it('fetches only the reference fields when nothing else needs a subgraph, and sends anything else down the general path', () => {
    expect(analyse('subscription { stockChanged { sku available } }')).toMatchObject({ local: true });
    expect(fieldsOf('subscription { stockChanged { sku available } }')).toBeUndefined();
    expect(fieldsOf('subscription { stockChanged { sku product { name } } }')).toEqual(['product:product']);
    expect(fieldsOf('subscription { stockChanged { sku location { id name } at: location { type } product { name } } }')).toEqual([
      'location:location',
      'at:location',
      'product:product',
    ]);
    expect(fieldsOf('subscription($x: Boolean!) { stockChanged { product @include(if: $x) { name } } }')).toBeUndefined();
    expect(fieldsOf('subscription($x: Boolean!) { stockChanged { ... @include(if: $x) { product { name } } } }')).toBeUndefined();
    // Directives on the event's own fields are evaluated in-process: still the reference path.
    expect(fieldsOf('subscription($x: Boolean!) { stockChanged { sku @include(if: $x) product { name } } }')).toEqual(['product:product']);
  });

  it('merges a reference field by response key and keeps only the variables and fragments it uses', () => {
    const operation = analyse(
      'subscription($x: Boolean!, $skus: [ID!]) { stockChanged(skus: $skus) { sku @skip(if: $x) product { ...P } p: product { sku } product { name } } } fragment P on Product { price { amount } }',
    );
    const references = operation.references!;
    expect(references.map((r) => [r.responseKey, r.selectionSet.selections.length, r.fragments.map((f) => f.name.value), r.variableDefinitions.length])).toEqual([
      ['product', 2, ['P'], 0],
      ['p', 1, [], 0],
    ]);
  });
});

describe('the reference path of a selection plan', () => {
  const operation = analyse('subscription { stockChanged { eventId sku product { name } } }');

  it('fetches every SKU dispatched in one turn in one query, each distinct SKU once', async () => {
    const gateway = fakeGateway((sku) => ({ name: `Name of ${sku}` }));
    const plan = planFor(operation, gateway);
    const results = await Promise.all([plan.resolve(event(1, 'A')), plan.resolve(event(2, 'B')), plan.resolve(event(3, 'A'))]);
    expect(gateway.queries).toHaveLength(1);
    expect(Object.values(gateway.queries[0]!.variables).sort()).toEqual(['A', 'B']);
    expect(results.map((r) => r.data)).toEqual([
      { stockChanged: { eventId: '1', sku: 'A', product: { name: 'Name of A' } } },
      { stockChanged: { eventId: '2', sku: 'B', product: { name: 'Name of B' } } },
      { stockChanged: { eventId: '3', sku: 'A', product: { name: 'Name of A' } } },
    ]);
    await plan.resolve(event(4, 'C'));
    expect(gateway.queries).toHaveLength(2);
  });

  it('passes the variables the product selection reads', async () => {
    const withVariable = analyse('subscription($full: Boolean!) { stockChanged { sku product { name description @include(if: $full) } } }');
    const gateway = fakeGateway(() => ({ name: 'n' }));
    await planFor(withVariable, gateway, { full: false }).resolve(event(1, 'A'));
    expect(gateway.queries[0]!.variables).toEqual({ full: false, __key0: 'A' });
    expect(gateway.queries[0]!.document).toContain('query ($full: Boolean!, $__key0: ID!)');
  });

  it('says why a product is missing with the fetch error, and places nested errors under the subscription field', async () => {
    const failing = fakeGateway(
      () => null,
      () => [new GraphQLError('The product service is unavailable.', { path: ['_0'], extensions: { code: 'SUBGRAPH_UNAVAILABLE', serviceName: 'product' } })],
    );
    const missing = await planFor(operation, failing).resolve(event(1, 'A'));
    expect(missing.data).toBeNull();
    expect(missing.errors).toHaveLength(1);
    expect(missing.errors![0]).toMatchObject({ message: 'The product service is unavailable.', path: ['stockChanged', 'product'], extensions: { code: 'SUBGRAPH_UNAVAILABLE' } });

    const nested = analyse('subscription { stockChanged { sku product { name description } } }');
    const partial = fakeGateway(
      () => ({ name: 'n', description: null }),
      () => [new GraphQLError('Description lookup failed.', { path: ['_0', 'description'], extensions: { code: 'UPSTREAM_UNAVAILABLE' } })],
    );
    const result = await planFor(nested, partial).resolve(event(1, 'A'));
    expect(result.data).toEqual({ stockChanged: { sku: 'A', product: { name: 'n', description: null } } });
    expect(result.errors).toHaveLength(1);
    expect(result.errors![0]).toMatchObject({ message: 'Description lookup failed.', path: ['stockChanged', 'product', 'description'] });
  });

  it('reuses a fetched product for its SKU\'s next events, refreshes it in the background past half the window, never serves one older, nor one that came with errors', async () => {
    let clock = 1_000_000;
    let failing = false;
    let version = 1;
    const gateway = fakeGateway(
      (sku) => (failing ? null : { name: `${sku} v${version}` }),
      (alias) => (failing ? [new GraphQLError('The product service is unavailable.', { path: [alias], extensions: { code: 'SUBGRAPH_UNAVAILABLE' } })] : []),
    );
    const plan = planFor(operation, gateway, {}, { ms: 5_000, now: () => clock });
    const nameIn = async (id: number, sku: string) => ((await plan.resolve(event(id, sku))).data?.stockChanged as { product: { name: string } }).product.name;
    expect(await nameIn(1, 'A')).toBe('A v1');
    clock += 2_000;
    expect(await nameIn(2, 'A')).toBe('A v1');
    expect(gateway.queries).toHaveLength(1);

    // 3 s old: served at once, and fetched afresh behind it for the next events.
    version = 2;
    clock += 1_000;
    expect(await nameIn(3, 'A')).toBe('A v1');
    await vi.waitFor(async () => expect(await nameIn(4, 'A')).toBe('A v2'));
    expect(gateway.queries).toHaveLength(2);

    // Nobody asked within the window: the next event waits for a fresh one rather than take an old one.
    version = 3;
    clock += 5_001;
    expect(await nameIn(5, 'A')).toBe('A v3');
    expect(gateway.queries).toHaveLength(3);

    failing = true;
    expect((await plan.resolve(event(6, 'B'))).errors?.[0]?.extensions?.code).toBe('SUBGRAPH_UNAVAILABLE');
    failing = false;
    expect((await plan.resolve(event(7, 'B'))).data).toEqual({ stockChanged: { eventId: '7', sku: 'B', product: { name: 'B v3' } } });
    expect(gateway.queries).toHaveLength(5);
  });

  it('fetches product and location each with its own key, batched per field', async () => {
    const both = analyse('subscription { stockChanged { sku product { name } store: location { name } } }');
    const gateway = fakeGateway((key) => ({ name: `Name of ${key}` }));
    const plan = planFor(both, gateway);
    const results = await Promise.all([plan.resolve(event(1, 'A')), plan.resolve(event(2, 'B'))]);
    // One query for both products, one for the (shared) location.
    expect(gateway.queries.map((q) => Object.values(q.variables))).toEqual([['A', 'B'], ['S001']]);
    expect(results[0]!.data).toEqual({ stockChanged: { sku: 'A', product: { name: 'Name of A' }, store: { name: 'Name of S001' } } });
    expect(results[1]!.data).toEqual({ stockChanged: { sku: 'B', product: { name: 'Name of B' }, store: { name: 'Name of S001' } } });
  });

  it('answers a product the catalog does not have as the schema says: a non-null violation, not an invented product', async () => {
    const result = await planFor(operation, fakeGateway(() => null)).resolve(event(1, 'GONE'));
    expect(result.data).toBeNull();
    expect(result.errors![0]!.path).toEqual(['stockChanged', 'product']);
  });
});
