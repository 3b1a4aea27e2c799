import { getIntrospectionQuery } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningStack } from '../../bin/start-stack.js';
import { graphql, resetUpstreamCalls, startTestStack, upstreamCalls } from '../support/stack.js';

/** Operations past the gateway's limits are refused with OPERATION_LIMIT_EXCEEDED before any subgraph (or system) is called. */
let stack: RunningStack;
let url: string;

beforeAll(async () => {
  stack = await startTestStack({ GRAPHQL_MAX_DEPTH: '6', GRAPHQL_MAX_ALIASES: '3', GRAPHQL_MAX_ROOT_FIELDS: '4', GRAPHQL_MAX_COST: '200' });
  url = stack.gateway.graphqlUrl;
}, 120_000);
afterAll(async () => {
  await stack?.close();
});

/** Sends the operation and checks it was refused with the limits' code, with Magento never asked. */
async function refused(query: string, variables?: Record<string, unknown>): Promise<string> {
  const { magento } = stack.simulators;
  const token = stack.config.upstreams.magento.token;
  await resetUpstreamCalls(magento, token);
  const { status, body } = await graphql(url, query, variables);
  expect(status).toBe(400);
  expect(body.data).toBeUndefined();
  expect(body.errors![0]!.extensions).toMatchObject({ code: 'OPERATION_LIMIT_EXCEEDED' });
  expect((await upstreamCalls(magento, token)).requests).toBe(0);
  return body.errors![0]!.message;
}

describe('operation limits', () => {
  it('refuses an operation nested deeper than GRAPHQL_MAX_DEPTH, fragments followed', async () => {
    const deep = `{ products(first: 1) { edges { node { stockByLocation { location { ...L } } } } } } fragment L on Location { id }`;
    expect(await refused(deep)).toMatch(/depth limit of 6 exceeded/);
    expect((await graphql(url, '{ products(first: 1) { edges { node { stock { available } } } } }')).body.errors).toBeUndefined();
  });

  it('refuses more aliases than GRAPHQL_MAX_ALIASES and more root fields than GRAPHQL_MAX_ROOT_FIELDS', async () => {
    expect(await refused('{ a: locations { id } b: locations { id } c: locations { id } d: locations { id } }')).toMatch(/alias/i);
    expect(await refused('{ locations { id } l2: locations { name } products(first: 1) { pageInfo { hasNextPage } } product(sku: "CG-000001") { sku } stockLevels(skus: ["CG-000001"]) { onHand } }')).toMatch(/5 root fields; at most 4/);
  });

  it('refuses an operation whose cost, with lists counted by first, is over GRAPHQL_MAX_COST, and serves the same one smaller', async () => {
    const query = 'query($n: Int) { products(first: $n) { edges { node { sku name price { amount } } } } }';
    expect(await refused(query, { n: 50 })).toMatch(/estimated cost is \d+; at most 200/);
    const { body } = await graphql(url, query, { n: 5 });
    expect(body.errors).toBeUndefined();
    expect(body.data!.products.edges).toHaveLength(5);
  });

  it('lets introspection through (GraphiQL needs it), deep as it is', async () => {
    const { status, body } = await graphql(url, getIntrospectionQuery());
    expect(body.errors).toBeUndefined();
    expect(status).toBe(200);
  });
});
