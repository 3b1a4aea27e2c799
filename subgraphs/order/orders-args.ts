import { ArgsType, Field, Int } from '../../lib/graphql/type-graphql.js';
import { DEFAULT_PAGE_SIZE } from '../../lib/graphql/paging.js';

/** `orders(first: Int = 20, after: String)`: a class keeps the arguments in the contract's order. */
@ArgsType()
export class OrdersArgs {
  @Field(() => Int, { nullable: true, defaultValue: DEFAULT_PAGE_SIZE })
  first!: number | null;

  @Field(() => String, { nullable: true })
  after!: string | null;
}
