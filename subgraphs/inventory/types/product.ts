import { Directive, Field, ID, ObjectType } from '../../../lib/graphql/type-graphql.js';

/**
 * The product subgraph's entity, as far as this subgraph knows it: just its
 * key. This subgraph contributes `stock` and `stockByLocation` (see
 * product-stock-resolver.ts); a reference resolves to `{sku}` for any SKU,
 * since a SKU the ledger does not know simply has no stock.
 */
@ObjectType()
@Directive('@key(fields: "sku")')
export class Product {
  @Field(() => ID)
  sku!: string;
}

export const productRef = (sku: string): Product => Object.assign(new Product(), { sku });
