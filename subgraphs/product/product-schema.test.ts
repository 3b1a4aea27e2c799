import { printSubgraphSchema } from '@apollo/subgraph';
import { describe, expect, it } from 'vitest';
import { createProductSchema } from './index.js';

describe('product subgraph schema', () => {
  it('declares the Federation 2 contract without any configuration', async () => {
    const sdl = printSubgraphSchema(await createProductSchema());
    expect(sdl).toContain('federation/v2.7');
    expect(sdl).toMatch(/type Product\s+@key\(fields: "sku"\)/);
    expect(sdl).toMatch(/type Category\s+@key\(fields: "id"\)/);
    expect(sdl).toMatch(/product\(sku: ID!\): Product\n/);
    expect(sdl).toMatch(/products\(\s*(?:"""[^"]*"""\s*)?first: Int = 20[\s\S]*?after: String[\s\S]*?search: String[\s\S]*?categoryId: ID[\s\S]*?inStockOnly: Boolean\s*\): ProductConnection!/);
    for (const field of ['sku: ID!', 'name: String!', 'description: String', 'price: Money!', 'images: [Image!]!', 'categories: [Category!]!', 'totalCount: Int!', 'node: Product!', 'url: String!', 'alt: String']) {
      expect(sdl).toContain(field);
    }
    expect(sdl).toMatch(/type Money\s+@shareable/);
    expect(sdl).toMatch(/type PageInfo\s+@shareable/);
    // Internal bookkeeping stays out of the graph.
    expect(sdl).not.toMatch(/entityId|categoryIds/);
  });
});
