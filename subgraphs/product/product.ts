import { Directive, Field, ID, ObjectType } from '../../lib/graphql/type-graphql.js';
import { Money } from '../../lib/graphql/shared-types.js';
import { Image } from './image.js';

/**
 * A catalog product, owned by this subgraph (Magento is its system of
 * record); other subgraphs add fields to it by its SKU.
 * `categories` is resolved by ProductResolver from `categoryIds`.
 */
@ObjectType({ description: 'A product of the catalog.' })
@Directive('@key(fields: "sku")')
export class Product {
  @Field(() => ID)
  sku!: string;

  @Field(() => String)
  name!: string;

  @Field(() => String, { nullable: true, description: 'HTML, as the catalog keeps it.' })
  description!: string | null;

  @Field(() => Money)
  price!: Money;

  @Field(() => [Image])
  images!: Image[];

  /** Not a field: Magento's entity_id, which cursors page by. */
  entityId!: number;

  /** Not a field: Magento category ids, in the order Magento links them. */
  categoryIds!: string[];
}
