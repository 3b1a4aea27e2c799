import { Directive, Field, ID, ObjectType } from '../../lib/graphql/type-graphql.js';
import { SourceRecord } from '../../lib/graphql/shared-types.js';

/**
 * The customer subgraph's golden customer, extended here with `orders`
 * (customer-orders.resolver.ts). Its source records are external: the gateway
 * fetches them from the customer subgraph and passes them in the representation.
 */
@ObjectType('Customer')
@Directive('@key(fields: "id")')
export class Customer {
  @Field(() => ID)
  id!: string;

  @Field(() => [SourceRecord])
  @Directive('@external')
  sourceRecords!: SourceRecord[];
}
