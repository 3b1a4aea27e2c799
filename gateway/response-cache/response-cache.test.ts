import type { IncomingMessage } from 'node:http';
import { buildSchema, parse, type ExecutionResult } from 'graphql';
import { describe, expect, it } from 'vitest';
import { ANONYMOUS } from '../../lib/auth/claims.js';
import type { StockEvent } from '../../lib/events/stock-event.js';
import type { GatewayContext } from '../gateway-context.js';
import { createGatewayResponseCache, type StockEventSource } from './response-cache.js';

const schema = buildSchema(`
  type Query { product(sku: ID!): Product }
  type Mutation { adjustStock(sku: ID!): Int }
  type Product { sku: ID!  name: String!  stock: StockSummary! }
  type StockSummary { available: Int! }
`);
const request = (body: string) => ({ method: 'POST', url: '/graphql', headers: {} }) as unknown as IncomingMessage & { body: string };
const context = (reads: GatewayContext['subgraphReads'] = []): GatewayContext => ({ requestId: 'r', principal: ANONYMOUS, stale: [], subgraphReads: reads });
const hints = { types: { Product: { maxAgeMs: 30000 }, StockSummary: { maxAgeMs: 30000, stock: true as const } }, fields: {} };
const OK: ExecutionResult = { data: { product: { sku: 'a', name: 'A', stock: { available: 1 } } } };

/** A bus that delivers nothing unless told: what a gateway sees before an event has reached it. */
function quietBus(): StockEventSource & { emit(skus: string[]): void } {
  let listener: ((events: readonly StockEvent[]) => void) | undefined;
  return {
    following: true,
    onEvents: (l) => ((listener = l), () => (listener = undefined)),
    emit: (skus) => listener?.(skus.map((sku) => ({ sku }) as StockEvent)),
  };
}

/** Runs one request through the cache as the HTTP handler does; the answer it got from the cache, if any. */
function run(cache: ReturnType<typeof createGatewayResponseCache>, query: string, result: ExecutionResult, reads?: GatewayContext['subgraphReads']) {
  const body = JSON.stringify({ query });
  const lookup = cache.lookup(request(body), body, ANONYMOUS);
  if (lookup?.hit) return lookup.hit.body.toString();
  lookup?.executed({ schema, document: parse(query) }, result, context(reads));
  lookup?.responded(200, { 'content-type': 'application/json' }, JSON.stringify(result));
  return undefined;
}

describe('gateway response cache', () => {
  const query = '{ product(sku: "a") { sku name stock { available } } }';
  const read = [{ subgraph: 'inventory', representations: [{ __typename: 'Product', sku: 'a' }] }];

  it('keeps a complete answer and drops it on its SKU\'s event', () => {
    const bus = quietBus();
    const cache = createGatewayResponseCache({ schema, maxBytes: 1 << 20, hints, events: bus });
    expect(run(cache, query, OK, read)).toBeUndefined();
    expect(run(cache, query, OK, read)).toBe(JSON.stringify(OK));
    bus.emit(['b']);
    expect(run(cache, query, OK, read)).toBeDefined();
    bus.emit(['a']);
    expect(run(cache, query, OK, read)).toBeUndefined();
    cache.close();
  });

  it('drops every stock answer after a mutation through the gateway, before its event arrives', async () => {
    const cache = createGatewayResponseCache({ schema, maxBytes: 1 << 20, hints, events: quietBus() });
    run(cache, query, OK, read);
    expect(run(cache, query, OK, read)).toBeDefined();
    // A query through the same executor leaves it; a mutation drops it.
    const execute = cache.dropStockAfterMutations(async () => ({ data: {} }));
    await execute({ schema, document: parse('{ product(sku: "a") { name } }') });
    expect(run(cache, query, OK, read)).toBeDefined();
    await execute({ schema, document: parse('mutation { adjustStock(sku: "a") }') });
    expect(run(cache, query, OK, read)).toBeUndefined();
    cache.close();
  });

  it('neither serves nor keeps a stock answer while events may not reach it', () => {
    const bus = quietBus();
    let following = true;
    const cache = createGatewayResponseCache({ schema, maxBytes: 1 << 20, hints, events: { onEvents: bus.onEvents, get following() { return following; } } });
    const named = '{ product(sku: "b") { name } }';
    run(cache, query, OK, read);
    run(cache, named, { data: { product: { name: 'B' } } });
    following = false;
    // Product data alone does not depend on the bus.
    expect(run(cache, named, { data: { product: { name: 'B' } } })).toBeDefined();
    expect(run(cache, query, OK, read)).toBeUndefined();
    expect(run(cache, query, OK, read)).toBeUndefined();
    following = true;
    expect(run(cache, query, OK, read)).toBeUndefined();
    expect(run(cache, query, OK, read)).toBeDefined();
    cache.close();
  });

  it('keeps no answer with errors', () => {
    const cache = createGatewayResponseCache({ schema, maxBytes: 1 << 20, hints, events: quietBus() });
    const named = '{ product(sku: "b") { name } }';
    run(cache, named, { data: { product: null }, errors: [{ message: 'x' } as never] });
    expect(run(cache, named, { data: { product: { name: 'B' } } })).toBeUndefined();
    expect(run(cache, named, { data: { product: { name: 'B' } } })).toBeDefined();
    cache.close();
  });
});
