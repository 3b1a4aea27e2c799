import { composeServices } from '@apollo/composition';
import { ROUTER_SUPPORTED_SUPERGRAPH_FEATURES, Supergraph } from '@apollo/federation-internals';
import { printSubgraphSchema } from '@apollo/subgraph';
import { parse, printSchema } from 'graphql';
import { beforeAll, describe, expect, it } from 'vitest';
import { createOrderSchema } from './index.js';

let sdl: string;
beforeAll(async () => {
  sdl = printSubgraphSchema(await createOrderSchema());
});

const LINK = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", "@shareable", "@external", "@requires"])';

/** The other subgraphs' side of the contract, as small as it gets: what this subgraph relies on them for. */
const customerSide = `${LINK}
type Customer @key(fields: "id") { id: ID! name: String! sourceRecords: [SourceRecord!]! }
type SourceRecord @shareable { system: String! externalId: String! }
type Order @key(fields: "id") {
  id: ID!
  customerSource: SourceRecord @external
  customer: Customer @requires(fields: "customerSource { system externalId }")
}
type Query { customer(id: ID!): Customer }`;
const productSide = `${LINK}
type Product @key(fields: "sku") { sku: ID! name: String! }
type Query { product(sku: ID!): Product }`;

describe('order subgraph schema', () => {
  it('declares the Federation 2 contract: Order entity, Product stub, Customer.orders with @requires', () => {
    expect(sdl).toMatch(/type Order\s+@key\(fields: "id"\)/);
    expect(sdl).toMatch(/customerSource: SourceRecord @inaccessible/);
    expect(sdl).toMatch(/type Product\s+@key\(fields: "sku", resolvable: false\)/);
    expect(sdl).toMatch(/type Customer\s+@key\(fields: "id"\)/);
    expect(sdl).toMatch(/sourceRecords: \[SourceRecord!\]! @external/);
    expect(sdl).toMatch(/orders\(first: Int = 20, after: String\): OrderConnection! @requires\(fields: "sourceRecords \{ system externalId \}"\)/);
    expect(sdl).toMatch(/order\(id: ID!\): Order/);
    expect(sdl).toMatch(/enum OrderChannel \{\s+ONLINE\s+STORE\s+\}/);
    // Public `Order.customer` belongs to the customer subgraph.
    expect(sdl).not.toMatch(/\bcustomer:/);
  });

  it('builds the same schema again in the same process (compose and serve both build it)', async () => {
    expect(printSubgraphSchema(await createOrderSchema())).toBe(sdl);
  });

  it('composes with the customer and product subgraphs; customerSource stays out of the public API', () => {
    const result = composeServices([
      { name: 'order', url: 'http://order/graphql', typeDefs: parse(sdl) },
      { name: 'customer', url: 'http://customer/graphql', typeDefs: parse(customerSide) },
      { name: 'product', url: 'http://product/graphql', typeDefs: parse(productSide) },
    ]);
    expect(result.errors?.map((e) => e.message)).toBeUndefined();
    // The supergraph links the SECURITY features (@requiresScopes), which only the router's feature set knows.
    const supergraph = Supergraph.build(result.supergraphSdl as string, { supportedFeatures: ROUTER_SUPPORTED_SUPERGRAPH_FEATURES });
    const api = printSchema(supergraph.apiSchema().toGraphQLJSSchema());
    expect(api).toMatch(/orders\(first: Int = 20, after: String\): OrderConnection!/);
    expect(api).toMatch(/customer: Customer\n/);
    expect(api).not.toMatch(/customerSource/);
  });
});
