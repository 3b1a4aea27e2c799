import { Directive, Field, ID, Int, ObjectType, registerEnumType } from '../../lib/graphql/type-graphql.js';
import { RequiresScopes } from '../../lib/graphql/access-directives.js';
import { DateTimeScalar } from '../../lib/graphql/scalars.js';
import { Money, SourceRecord } from '../../lib/graphql/shared-types.js';
import { ProductReference } from './product.js';

/** Where the order was placed: online (Magento) or in a store (POS). */
export enum OrderChannel {
  ONLINE = 'ONLINE',
  STORE = 'STORE',
}
registerEnumType(OrderChannel, { name: 'OrderChannel', description: 'Where an order was placed: online (Magento) or in a store (POS).' });

@ObjectType({ description: 'One product line of an order.' })
export class OrderLine {
  @Field(() => ID)
  sku!: string;

  @Field(() => ProductReference)
  product!: ProductReference;

  @Field(() => Int)
  quantity!: number;

  @Field(() => Money)
  unitPrice!: Money;
}

/** Online and in-store orders under one type; ids say which system holds them (`mag_…`, `pos_…`). Needs orders:read. */
@ObjectType({ description: 'An order, online (Magento) or in store (POS).' })
@Directive('@key(fields: "id")')
@RequiresScopes('orders:read')
export class Order {
  @Field(() => ID, { description: '`mag_<entity_id>` for online orders, `pos_<orderId>` for in-store orders.' })
  id!: string;

  @Field(() => String, { description: "The number the customer sees: Magento's increment id or the POS order id." })
  number!: string;

  @Field(() => OrderChannel)
  channel!: OrderChannel;

  @Field(() => String, { description: 'Upper case: PENDING, PROCESSING, COMPLETE, CANCELED, REFUNDED, …' })
  status!: string;

  @Field(() => DateTimeScalar)
  placedAt!: Date;

  @Field(() => [OrderLine])
  lines!: OrderLine[];

  @Field(() => Money)
  total!: Money;

  /**
   * The source record behind the order, null for guests. Internal linkage:
   * the customer subgraph `@requires` it to resolve `Order.customer`; clients never see it.
   */
  @Field(() => SourceRecord, { nullable: true })
  @Directive('@inaccessible')
  customerSource!: SourceRecord | null;
}
