import 'reflect-metadata'; // type-graphql's decorators need it loaded before any decorated class
import { Directive, Field, ID, ObjectType } from 'type-graphql';

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
