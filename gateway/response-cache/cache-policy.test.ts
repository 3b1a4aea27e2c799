import { buildSchema, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { cachePolicies, UNCACHEABLE } from './cache-policy.js';

const schema = buildSchema(`
  type Query { products: ProductConnection!  product(sku: ID!): Product  customer(id: ID!): Customer  total: Int }
  type Mutation { touch: Int }
  type ProductConnection { edges: [ProductEdge!]!  totalCount: Int! }
  type ProductEdge { node: Product! }
  type Product { sku: ID!  name: String!  price: Money!  stock: StockSummary!  owner: Customer }
  type Money { amount: String! }
  type StockSummary { available: Int! }
  type Customer { id: ID!  name: String! }
`);
const hints = {
  types: { Product: { maxAgeMs: 30000 }, StockSummary: { maxAgeMs: 10000, stock: true as const }, ProductConnection: { inherit: true as const }, ProductEdge: { inherit: true as const }, Money: { inherit: true as const } },
  fields: { 'Query.products': { maxAgeMs: 60000 } },
};
const policyOf = (query: string, operationName?: string) => cachePolicies(schema, hints).of(parse(query), operationName);

describe('cache policy', () => {
  it('keeps a query for the least max age it selects, inheriting through value types', () => {
    expect(policyOf('{ products { totalCount edges { node { sku name price { amount } } } } }')).toEqual({ maxAgeMs: 30000, stock: false });
    expect(policyOf('{ product(sku: "a") { name stock { available } } }')).toEqual({ maxAgeMs: 10000, stock: true });
  });

  it('never keeps an unhinted root field, an unhinted object type, introspection, or anything but a query', () => {
    expect(policyOf('{ customer(id: "c") { name } }')).toBe(UNCACHEABLE);
    expect(policyOf('{ total }')).toBe(UNCACHEABLE);
    expect(policyOf('{ product(sku: "a") { name owner { name } } }')).toBe(UNCACHEABLE);
    expect(policyOf('{ product(sku: "a") { name } __schema { queryType { name } } }')).toBe(UNCACHEABLE);
    expect(policyOf('mutation { touch }')).toBe(UNCACHEABLE);
  });

  it('follows fragments, inline and named, and picks the named operation', () => {
    const document = `
      query A { product(sku: "a") { ...P } }
      query B { product(sku: "a") { ... on Product { owner { id } } } }
      fragment P on Product { name stock { available } }`;
    expect(policyOf(document, 'A')).toEqual({ maxAgeMs: 10000, stock: true });
    expect(policyOf(document, 'B')).toBe(UNCACHEABLE);
  });

  it('refuses hints naming what the schema does not have', () => {
    expect(() => cachePolicies(schema, { types: { Nope: { maxAgeMs: 1000 } }, fields: {} })).toThrow(/Nope/);
    expect(() => cachePolicies(schema, { types: {}, fields: { 'Query.nope': { maxAgeMs: 1000 } } })).toThrow(/Query.nope/);
  });
});
