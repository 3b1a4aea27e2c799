import { Arg, Ctx, ID, Query, Resolver } from '../../lib/graphql/type-graphql.js';
import { Customer } from './customer.js';
import type { CustomerContext } from './customer-context.js';

@Resolver(() => Customer)
export class CustomerResolver {
  /** From the golden records in the database: a read never calls a system of record. */
  @Query(() => Customer, { nullable: true, description: 'A golden customer by id; null when there is none.' })
  customer(@Arg('id', () => ID) id: string, @Ctx() context: CustomerContext): Promise<Customer | null> {
    return context.customers.byId.load(id);
  }
}
