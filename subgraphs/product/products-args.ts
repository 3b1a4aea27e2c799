import { ArgsType, Field, ID, Int } from '../../lib/graphql/type-graphql.js';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../../lib/graphql/paging.js';

/** `products(first: Int = 20, after: String, search: String, categoryId: ID, inStockOnly: Boolean)`, in the contract's order. */
@ArgsType()
export class ProductsArgs {
  @Field(() => Int, { nullable: true, defaultValue: DEFAULT_PAGE_SIZE, description: `Page size, 1 to ${MAX_PAGE_SIZE}.` })
  first!: number | null;

  @Field(() => String, { nullable: true, description: 'The endCursor of the previous page.' })
  after!: string | null;

  @Field(() => String, { nullable: true, description: 'Text the name or SKU contains (case-insensitive).' })
  search!: string | null;

  @Field(() => ID, { nullable: true })
  categoryId!: string | null;

  @Field(() => Boolean, { nullable: true, description: 'Only products with stock to sell.' })
  inStockOnly!: boolean | null;
}
