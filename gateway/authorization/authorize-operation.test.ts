import { composeServices } from '@apollo/composition';
import { Supergraph } from '@apollo/federation-internals';
import { parse, print, validate, type ExecutionResult } from 'graphql';
import { describe, expect, it } from 'vitest';
import { ANONYMOUS, type Principal } from '../../lib/auth/claims.js';
import { AccessPolicy } from './access-policy.js';
import { OperationAuthorizer } from './authorizer.js';
import { nullRemovedFields } from './null-removed-fields.js';
import { withoutSecurityFeatures } from './security-features.js';

const LINK = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", "@authenticated", "@requiresScopes"])`;
const people = `${LINK}
type Query {
  customer(id: ID!): Customer
  customers: [Customer!]!
  me: String @authenticated
  catalog: [Item!]!
}
type Customer @key(fields: "id") @requiresScopes(scopes: [["customers:read"]]) {
  id: ID!
  name: String!
  email: String @requiresScopes(scopes: [["customers:pii"], ["ops"]])
  badge: Badge!
}
type Badge { level: Int!  secret: String! @requiresScopes(scopes: [["ops"]]) }
type Item { sku: ID!  cost: Int @requiresScopes(scopes: [["ops"]]) }
type Mutation { wipe: Boolean! @requiresScopes(scopes: [["ops"]])  ping: Boolean! }`;
const orders = `${LINK}
type Customer @key(fields: "id") { id: ID!  orders: [String!]! @requiresScopes(scopes: [["orders:read"]]) }`;

const composed = composeServices([
  { name: 'people', url: 'http://people', typeDefs: parse(people) },
  { name: 'orders', url: 'http://orders', typeDefs: parse(orders) },
]);
if (!composed.supergraphSdl) throw new Error(String(composed.errors));
const supergraphSdl = composed.supergraphSdl;
const schema = Supergraph.build(withoutSecurityFeatures(supergraphSdl)).apiSchema().toGraphQLJSSchema();
const policy = AccessPolicy.fromSupergraph(parse(supergraphSdl), schema);
const authorizer = new OperationAuthorizer(schema, policy);

const caller = (...scopes: string[]): Principal => ({ authenticated: true, subject: 'client', issuer: 'test', scopes });
const authorize = (query: string, principal: Principal) => authorizer.authorize(parse(query), undefined, principal);
/** What the filtered document asks, printed on one line. */
const asked = (query: string, principal: Principal) => print(authorize(query, principal).document).replace(/\s+/g, ' ');
/** The answer a client gets when the subgraphs answer the filtered operation with `answer`. */
const answered = (query: string, principal: Principal, answer: ExecutionResult) => {
  const verdict = authorize(query, principal);
  return verdict.removed ? nullRemovedFields(structuredClone(answer), verdict.removed) : answer;
};
const forbidden = (path: Array<string | number>) => expect.objectContaining({ path, extensions: { code: 'FORBIDDEN' } });

describe('the supergraph for @apollo/gateway', () => {
  it('loses the SECURITY features and keeps everything the planner reads', () => {
    const stripped = withoutSecurityFeatures(supergraphSdl);
    expect(supergraphSdl).toMatch(/for: SECURITY/);
    expect(stripped).not.toMatch(/for: SECURITY|@authenticated|@requiresScopes|requiresScopes__Scope/);
    expect(stripped).toMatch(/@join__field\(graph: ORDERS\)/);
    expect(Supergraph.build(stripped).apiSchema().toGraphQLJSSchema().getQueryType()?.getFields().customer).toBeDefined();
  });
});

describe('authorizing an operation', () => {
  it('leaves a document that touches nothing protected as it is, for every caller', () => {
    const document = parse('{ catalog { sku } }');
    expect(authorizer.authorize(document, undefined, ANONYMOUS)).toEqual({ document, empty: false });
  });

  it('takes out a protected type wherever it is reached, and answers it null with FORBIDDEN', () => {
    const query = '{ customer(id: "1") { name } catalog { sku } }';
    expect(asked(query, ANONYMOUS)).toBe('{ catalog { sku } }');
    const result = answered(query, ANONYMOUS, { data: { catalog: [{ sku: 'A' }] } });
    expect(result.data).toEqual({ catalog: [{ sku: 'A' }], customer: null });
    expect(result.errors).toEqual([forbidden(['customer'])]);
    expect(result.errors?.[0]?.message).toBe('Query.customer needs scope customers:read.');
  });

  it('nulls PII for a caller without customers:pii and serves the rest', () => {
    const query = '{ customer(id: "1") { name email } }';
    expect(asked(query, caller('customers:read'))).toBe('{ customer(id: "1") { name } }');
    expect(asked(query, caller('customers:read', 'customers:pii'))).toBe(asked(query, caller('customers:read', 'customers:pii')));
    expect(authorize(query, caller('customers:read', 'ops')).removed).toBeUndefined(); // ops is the other way in
    const result = answered(query, caller('customers:read'), { data: { customer: { name: 'Ada' } } });
    expect(result).toEqual({ data: { customer: { name: 'Ada', email: null } }, errors: [forbidden(['customer', 'email'])] });
  });

  it('puts an error at every path of a list', () => {
    const result = answered('{ customers { email } }', caller('customers:read'), { data: { customers: [{ _authzPlaceholder: 'Customer' }, { _authzPlaceholder: 'Customer' }] } });
    expect(result).toEqual({ data: { customers: [{ email: null }, { email: null }] }, errors: [forbidden(['customers', 0, 'email']), forbidden(['customers', 1, 'email'])] });
  });

  it('keeps a selection set valid when everything in it was taken out', () => {
    const verdict = authorize('{ customer(id: "1") { email } }', caller('customers:read'));
    expect(print(verdict.document).replace(/\s+/g, ' ')).toBe('{ customer(id: "1") { _authzPlaceholder: __typename } }');
    expect(validate(schema, verdict.document)).toEqual([]);
  });

  it('propagates a null in a non-null position to the nearest nullable parent', () => {
    // badge.secret is String!: the badge cannot be served, badge is Badge! on a non-null list item, so the list item's parent...
    const query = '{ customer(id: "1") { name badge { level secret } } customers { badge { secret } } }';
    const result = answered(query, caller('customers:read'), {
      data: { customer: { name: 'Ada', badge: { level: 1 } }, customers: [{ badge: { _authzPlaceholder: 'Badge' } }] },
    });
    // ...customer (nullable) becomes null; customers ([Customer!]!) takes data with it.
    expect(result.data).toBeNull();
    expect(result.errors).toEqual([forbidden(['customer', 'badge', 'secret']), forbidden(['customers', 0, 'badge', 'secret'])]);
  });

  it('filters fields that come through fragments, inline copies where a fragment lost fields, and drops fragments no longer used', () => {
    const query = `
      query Q { customer(id: "1") { ...Contact ... on Customer { orders } } customers { ...Contact } catalog { ...Cost } }
      fragment Contact on Customer { name email }
      fragment Cost on Item { cost }
      query Other { me }`;
    const verdict = authorizer.authorize(parse(query), 'Q', caller('customers:read'));
    expect(print(verdict.document).replace(/\s+/g, ' ')).toBe(
      'query Q { customer(id: "1") { ... on Customer { name } } customers { ... on Customer { name } } catalog { _authzPlaceholder: __typename } }',
    );
    expect(validate(schema, verdict.document)).toEqual([]);
    const result = nullRemovedFields(
      { data: { customer: { name: 'Ada' }, customers: [{ name: 'Bob' }], catalog: [{ _authzPlaceholder: 'Item' }] } },
      verdict.removed ?? new Map(),
    );
    // orders is [String!]!: its null takes the (nullable) customer with it.
    expect(result.data).toEqual({ customer: null, customers: [{ name: 'Bob', email: null }], catalog: [{ cost: null }] });
    expect(result.errors?.map((e) => e.path)).toEqual([
      ['customer', 'email'],
      ['customer', 'orders'],
      ['customers', 0, 'email'],
      ['catalog', 0, 'cost'],
    ]);
  });

  it('runs nothing when every root field was taken out, and never sends a mutation the caller may not run', () => {
    const verdict = authorize('mutation { wipe }', caller('customers:read'));
    expect(verdict.empty).toBe(true);
    expect(nullRemovedFields({ data: {} }, verdict.removed ?? new Map())).toEqual({ data: null, errors: [forbidden(['wipe'])] });
    expect(asked('mutation { wipe ping }', ANONYMOUS)).toBe('mutation { ping }');
  });

  it('tells anonymous callers a token is needed for @authenticated fields', () => {
    expect(authorize('{ me }', caller()).removed).toBeUndefined();
    const result = answered('{ me }', ANONYMOUS, { data: {} });
    expect(result.errors?.[0]?.message).toBe('Query.me needs an access token.');
  });

  it('works a document out once per kind of caller', () => {
    const document = parse('{ customer(id: "1") { email } }');
    const first = authorizer.authorize(document, undefined, caller('customers:read'));
    expect(authorizer.authorize(document, undefined, { ...caller('customers:read'), subject: 'another client' })).toBe(first);
    expect(authorizer.authorize(document, undefined, caller('customers:read', 'customers:pii'))).not.toBe(first);
  });
});
