import { Ctx, FieldResolver, Resolver, Root } from '../../lib/graphql/type-graphql.js';
import { Customer } from './customer.js';
import type { CustomerContext } from './customer-context.js';
import { Order } from './order.js';

@Resolver(() => Order)
export class OrderCustomerResolver {
  /** The golden record owning the order's Magento account or loyalty card; batched over every order of the request. */
  @FieldResolver(() => Customer, { nullable: true })
  async customer(@Root() order: Order, @Ctx() context: CustomerContext): Promise<Customer | null> {
    if (!order.customerSource) return null;
    return context.customers.bySourceRecord.load(order.customerSource);
  }
}
