import { RequiresScopes } from '../../lib/graphql/access-directives.js';
import { Directive, Field, ID, ObjectType } from '../../lib/graphql/type-graphql.js';
import { SourceRecord } from '../../lib/graphql/shared-types.js';
import { Customer } from './customer.js';

/**
 * The order subgraph's `Order`, to which this subgraph contributes `customer`.
 * The order subgraph knows which Magento customer or loyalty member placed an
 * order (`customerSource`); this subgraph knows whose golden record that is.
 * Needs orders:read, as the order subgraph's `Order` does.
 */
@ObjectType('Order')
@Directive('@key(fields: "id")')
@RequiresScopes('orders:read')
export class Order {
  @Field(() => ID)
  id!: string;

  @Field(() => SourceRecord, { nullable: true })
  @Directive('@external')
  customerSource!: SourceRecord | null;

  @Field(() => Customer, { nullable: true, description: 'Who placed the order; null for a guest checkout.' })
  @Directive('@requires(fields: "customerSource { system externalId }")')
  customer?: Customer | null;
}
