import { Arg, Ctx, ID, Query, Resolver } from '../../lib/graphql/type-graphql.js';
import type { OrderContext } from './order-context.js';
import { Order } from './order.js';

@Resolver(() => Order)
export class OrderResolver {
  /** Unknown and malformed ids alike answer null: an id is not a secret worth an error. */
  @Query(() => Order, { nullable: true, description: 'One order, online (`mag_…`) or in store (`pos_…`).' })
  order(@Arg('id', () => ID) id: string, @Ctx() context: OrderContext): Promise<Order | null> {
    return context.loaders.orderById.load(id);
  }
}
