import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningStack } from '../../bin/start-stack.js';
import { SCOPES, type Scope } from '../../lib/auth/claims.js';
import { TokenSigner } from '../../lib/auth/keyring.js';
import { busyCustomerId } from '../support/busy-customer.js';
import { graphql, startTestStack, type GraphQLResponse } from '../support/stack.js';
import { subscribe } from '../support/subscription-client.js';
import { startTestIdp, type TestIdp } from '../support/test-idp.js';

/**
 * The scopes of api.graphql, enforced by the gateway before any subgraph is
 * called: each protected field against a caller without its scope and one
 * with it, over HTTP and over graphql-ws. Tokens come from an identity
 * provider the test runs (its JWKS on a local port), so each can carry
 * exactly the scopes a case needs.
 */
let stack: RunningStack;
let idp: TestIdp;
let sku: string;

beforeAll(async () => {
  idp = await startTestIdp('https://idp.authorization.test');
  stack = await startTestStack({ AUTH_EXTERNAL_ISSUERS: idp.trustedBy });
  sku = stack.dataset.products[0]!.sku;
}, 120_000);
afterAll(async () => {
  await stack?.close();
  await idp?.close();
});

/** A token of the test's IdP with exactly these scopes; `ageS` back-dates it (a token 905 s old has expired). */
const tokenWith = (scopes: readonly string[], ageS = 0) =>
  new TokenSigner({ keyring: idp.keyring, issuer: idp.issuer, audience: idp.audience, now: () => Date.now() - ageS * 1000 }).sign({ subject: 'matrix', scopes }).token;
const allBut = (...missing: Scope[]) => SCOPES.filter((s) => !missing.includes(s));

type Answer = GraphQLResponse['body'];
const overHttp = async (query: string, scopes: readonly string[]): Promise<Answer> =>
  (await graphql(stack.gateway.graphqlUrl, query, undefined, { authorization: `Bearer ${tokenWith(scopes)}` })).body;
const overWebSocket = async (query: string, scopes: readonly string[]): Promise<Answer> => {
  const sub = subscribe(stack.gateway.websocketUrl, query, {}, { token: tokenWith(scopes) });
  const [result] = await sub.take(1);
  await sub.close();
  return result as Answer;
};

const forbiddenAt = (answer: Answer, path: Array<string | number>) =>
  expect(answer.errors).toContainEqual(expect.objectContaining({ path, extensions: expect.objectContaining({ code: 'FORBIDDEN' }) }));

/** Each protected field: what it needs, a query for it, the path its refusal is reported at, and what a permitted answer shows. */
const MATRIX: Array<{ field: string; needs: Scope[]; query: () => string; refusedAt: Array<string | number>; served: (data: any) => unknown }> = [
  {
    field: 'Query.stockLevels',
    needs: ['inventory:read'],
    query: () => `{ stockLevels(skus: ["${sku}"]) { sku onHand } }`,
    refusedAt: ['stockLevels'],
    served: (data) => data.stockLevels[0].sku,
  },
  {
    field: 'Product.stockByLocation',
    needs: ['inventory:read'],
    query: () => `{ product(sku: "${sku}") { name stockByLocation { available } } }`,
    refusedAt: ['product', 'stockByLocation'],
    served: (data) => data.product.stockByLocation.length > 0,
  },
  {
    field: 'Query.syncJobs',
    needs: ['ops'],
    query: () => '{ syncJobs(last: 1) { id } }',
    refusedAt: ['syncJobs'],
    served: (data) => Array.isArray(data.syncJobs),
  },
  {
    field: 'Query.customer',
    needs: ['customers:read'],
    query: () => `{ customer(id: "${busyCustomerId(stack.dataset)}") { name } }`,
    refusedAt: ['customer'],
    served: (data) => data.customer.name,
  },
  {
    field: 'Customer.email (PII)',
    needs: ['customers:pii'],
    query: () => `{ customer(id: "${busyCustomerId(stack.dataset)}") { name email } }`,
    refusedAt: ['customer', 'email'],
    served: (data) => data.customer.email,
  },
  {
    field: 'Customer.phone (PII)',
    needs: ['customers:pii'],
    query: () => `{ customer(id: "${busyCustomerId(stack.dataset)}") { name phone } }`,
    refusedAt: ['customer', 'phone'],
    served: (data) => data.customer.phone,
  },
  {
    field: 'Customer.orders',
    needs: ['orders:read'],
    query: () => `{ customer(id: "${busyCustomerId(stack.dataset)}") { orders(first: 1) { edges { node { number } } } } }`,
    refusedAt: ['customer', 'orders'],
    served: (data) => data.customer.orders.edges[0].node.number,
  },
  {
    field: 'Query.order',
    needs: ['orders:read'],
    query: () => `{ order(id: "mag_1") { number } }`,
    refusedAt: ['order'],
    served: (data) => data.order.number,
  },
];

describe.each([
  ['HTTP', overHttp],
  ['graphql-ws', overWebSocket],
] as const)('the scope matrix over %s', (_transport, ask) => {
  it.each(MATRIX)('$field needs $needs', async ({ needs, query, refusedAt, served }) => {
    const refused = await ask(query(), allBut(...needs));
    forbiddenAt(refused, refusedAt);
    const permitted = await ask(query(), SCOPES);
    expect(permitted.errors).toBeUndefined();
    expect(served(permitted.data)).toBeTruthy();
  });
});

describe('authorization through the gateway', () => {
  it('nulls PII without customers:pii and serves the rest of the customer', async () => {
    const answer = await overHttp(`{ customer(id: "${busyCustomerId(stack.dataset)}") { name email phone loyaltyId } }`, ['customers:read']);
    expect(answer.data!.customer).toMatchObject({ name: expect.any(String), email: null, phone: null });
    forbiddenAt(answer, ['customer', 'email']);
    forbiddenAt(answer, ['customer', 'phone']);
    expect(answer.errors).toHaveLength(2);
  });

  it('serves anonymous callers the catalog and stock summary, and nothing protected', async () => {
    const { body } = await graphql(stack.gateway.graphqlUrl, `{ product(sku: "${sku}") { name stock { available inStock } } customer(id: "x") { name } }`);
    expect(body.data).toEqual({ product: { name: expect.any(String), stock: { available: expect.any(Number), inStock: expect.any(Boolean) } }, customer: null });
    expect(body.errors).toEqual([expect.objectContaining({ path: ['customer'], extensions: expect.objectContaining({ code: 'FORBIDDEN' }) })]);
  });

  it('never sends a mutation the caller may not run to its subgraph', async () => {
    const level = `{ stockLevels(skus: ["${sku}"], locationIds: ["WH-01"]) { onHand } }`;
    const before = (await overHttp(level, ['inventory:read'])).data!.stockLevels[0].onHand;
    const adjust = `mutation { adjustStock(input: { sku: "${sku}", locationId: "WH-01", delta: 5 }) { onHand } }`;
    const refused = await overHttp(adjust, ['inventory:read']);
    expect(refused.data).toBeNull();
    forbiddenAt(refused, ['adjustStock']);
    expect((await overHttp(level, ['inventory:read'])).data!.stockLevels[0].onHand).toBe(before);
    const done = await overHttp(adjust, ['inventory:write']);
    expect(done).toEqual({ data: { adjustStock: { onHand: before + 5 } } });
    const sync = await overHttp('mutation { runErpSync { id } }', ['inventory:write']);
    forbiddenAt(sync, ['runErpSync']);
  });

  it('checks scopes per subscription: stockChanged needs inventory:read', async () => {
    const query = 'subscription { stockChanged { sku } }';
    const anonymous = subscribe(stack.gateway.websocketUrl, query);
    await expect(anonymous.ended).rejects.toEqual([expect.objectContaining({ extensions: expect.objectContaining({ code: 'FORBIDDEN' }) })]);
    const storefront = subscribe(stack.gateway.websocketUrl, query, {}, { token: tokenWith(allBut('inventory:read')) });
    await expect(storefront.ended).rejects.toEqual([expect.objectContaining({ message: expect.stringMatching(/inventory:read/) })]);
    const terminal = subscribe(stack.gateway.websocketUrl, query, {}, { token: tokenWith(['inventory:read']) });
    await terminal.connected;
    await terminal.close();
  });

  it('closes a WebSocket with 4403 when its token expires', async () => {
    // 905 s old with a 900 s lifetime: still inside the 30 s clock tolerance, so accepted, and already past its expiry.
    const expiring = subscribe(stack.gateway.websocketUrl, 'subscription { stockChanged { sku } }', {}, { token: tokenWith(['inventory:read'], 905) });
    await expect(expiring.ended).rejects.toMatchObject({ code: 4403, reason: 'Token expired' });
  });
});
