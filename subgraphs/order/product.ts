import { Directive, Field, ID, ObjectType } from '../../lib/graphql/type-graphql.js';

/**
 * The product on an order line, as a reference only: the product subgraph owns
 * and resolves it (`resolvable: false`), this subgraph just names the SKU.
 */
@ObjectType('Product')
@Directive('@key(fields: "sku", resolvable: false)')
export class ProductReference {
  @Field(() => ID)
  sku!: string;
}

export const productReference = (sku: string): ProductReference => Object.assign(new ProductReference(), { sku });
