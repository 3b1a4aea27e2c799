import { composeServices } from '@apollo/composition';
import { Supergraph } from '@apollo/federation-internals';
import { parse, print, validate, type ExecutionResult } from 'graphql';
import { describe, expect, it } from 'vitest';
import { ANONYMOUS, type Principal } from '../../lib/auth/claims.js';
import { AccessPolicy } from './access-policy.js';
import { OperationAuthorizer } from './authorizer.js';
import { nullRemovedFields } from './null-removed-fields.js';
import { apiSchemaOf, withoutSecurityFeatures } from './security-features.js';

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
const schema = apiSchemaOf(supergraphSdl);
const policy = AccessPolicy.fromSupergraph(parse(supergraphSdl), schema);
const authorizer = new OperationAuthorizer(schema, policy);

const caller = (...scopes: string[]): Principal => ({ authenticated: true, subject: 'client', issuer: 'test', scopes });
const authorize = (query: string, principal: Principal) => authorizer.authorize(parse(query), undefined, principal);
/** What the filtered document asks, printed on one line. */
const asked = (query: string, principal: Principal) => print(authorize(query, principal).document).replace(/\s+/g, ' ');
/** The answer a client gets when the subgraphs answer the filtered operation with `answer`. */
const answered = (query: string, principal: Principal, answer: ExecutionResult) => {
  const verdict = authorize(query, principal);
  return nullRemovedFields(structuredClone(answer), verdict);
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
    expect(authorize(query, caller('customers:read', 'customers:pii')).removed).toBeUndefined();
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
      verdict,
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
    expect(nullRemovedFields({ data: {} }, verdict)).toEqual({ data: null, errors: [forbidden(['wipe'])] });
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

  it('keeps every removal when one response key is selected twice with different protected fields below', () => {
    const query = '{ customer(id: "1") { badge { secret } } customer(id: "1") { email badge { level } } }';
    const result = answered(query, caller('customers:read'), { data: { customer: { badge: { level: 1 } } } });
    expect(result.data).toEqual({ customer: null }); // badge.secret is String!, badge is Badge!: the customer goes
    expect(result.errors?.map((e) => e.path)).toEqual([
      ['customer', 'badge', 'secret'],
      ['customer', 'email'],
    ]);
  });

  it('answers a removed field only where @skip / @include leave it in the request', () => {
    const query = 'query($pii: Boolean!) { customer(id: "1") { name email @include(if: $pii) ... @skip(if: true) { phone: email } } catalog { sku } customers @skip(if: true) { name } }';
    const verdict = authorize(query, ANONYMOUS);
    const run = (pii: boolean) => nullRemovedFields({ data: { catalog: [{ sku: 'A' }] } }, verdict, { pii });
    // Anonymous: customer and customers are gone; customers is skipped, so its non-null null does not take data with it.
    expect(run(false)).toEqual({ data: { catalog: [{ sku: 'A' }], customer: null }, errors: [forbidden(['customer'])] });
    const reader = authorize(query, caller('customers:read'));
    const read = (pii: boolean) => nullRemovedFields({ data: { customer: { name: 'Ada' }, catalog: [] } }, reader, { pii });
    expect(read(false)).toEqual({ data: { customer: { name: 'Ada' }, catalog: [] } });
    expect(read(true)).toEqual({ data: { customer: { name: 'Ada', email: null }, catalog: [] }, errors: [forbidden(['customer', 'email'])] });
  });

  it('puts its placeholder under a key the client does not use, and leaves the client’s own fields alone', () => {
    const query = '{ customer(id: "1") { _authzPlaceholder: name } customers { email } }';
    const verdict = authorize(query, caller('customers:read'));
    expect(verdict.placeholderKey).toBe('_authzPlaceholder1');
    expect(validate(schema, verdict.document)).toEqual([]);
    const result = nullRemovedFields({ data: { customer: { _authzPlaceholder: 'Ada' }, customers: [{ _authzPlaceholder1: 'Customer' }] } }, verdict);
    expect(result.data).toEqual({ customer: { _authzPlaceholder: 'Ada' }, customers: [{ email: null }] });
  });

  it('runs nothing when every root field was removed, and runs the filtered document otherwise', async () => {
    const executed: string[] = [];
    const execute = authorizer.guard(
      async (args) => {
        executed.push(print(args.document).replace(/\s+/g, ' '));
        return { data: { catalog: [] } };
      },
      () => caller('customers:read'),
    );
    expect(await execute({ schema, document: parse('mutation { wipe }') })).toEqual({ data: null, errors: [forbidden(['wipe'])] });
    expect(executed).toEqual([]);
    expect(await execute({ schema, document: parse('{ catalog { sku cost } }') })).toEqual({ data: { catalog: [] } });
    expect(executed).toEqual(['{ catalog { sku } }']);
  });
});
