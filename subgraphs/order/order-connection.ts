import { Field, ObjectType } from '../../lib/graphql/type-graphql.js';
import { PageInfo } from '../../lib/graphql/shared-types.js';
import { Order } from './order.js';

@ObjectType()
export class OrderEdge {
  @Field(() => String)
  cursor!: string;

  @Field(() => Order)
  node!: Order;
}

@ObjectType({ description: "A page of a customer's orders, newest first." })
export class OrderConnection {
  @Field(() => [OrderEdge])
  edges!: OrderEdge[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;
}
