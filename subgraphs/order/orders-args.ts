import 'reflect-metadata'; // type-graphql's decorators need it loaded before any decorated class
import { ArgsType, Field, Int } from 'type-graphql';
import { DEFAULT_PAGE_SIZE } from './order-pagination.js';

/** `orders(first: Int = 20, after: String)`: a class keeps the arguments in the contract's order. */
@ArgsType()
export class OrdersArgs {
  @Field(() => Int, { nullable: true, defaultValue: DEFAULT_PAGE_SIZE })
  first!: number | null;

  @Field(() => String, { nullable: true })
  after!: string | null;
}
