import { RequiresScopes } from '../../lib/graphql/access-directives.js';
import { Directive, Field, ID, ObjectType } from '../../lib/graphql/type-graphql.js';
import { SourceRecord } from '../../lib/graphql/shared-types.js';

/**
 * The customer subgraph's golden customer, extended here with `orders`
 * (customer-orders.resolver.ts). Its source records are external: the gateway
 * fetches them from the customer subgraph and passes them in the representation.
 * Needs customers:read, as the customer subgraph's `Customer` does.
 */
@ObjectType('Customer')
@Directive('@key(fields: "id")')
@RequiresScopes('customers:read')
export class Customer {
  @Field(() => ID)
  id!: string;

  @Field(() => [SourceRecord])
  @Directive('@external')
  sourceRecords!: SourceRecord[];
}
