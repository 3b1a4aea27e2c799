import 'reflect-metadata'; // type-graphql's decorators need it loaded before any decorated class
import { Field, Int, ObjectType } from 'type-graphql';
import { PageInfo } from '../../lib/graphql/shared-types.js';
import { Product } from './product.js';

@ObjectType()
export class ProductEdge {
  @Field(() => String)
  cursor!: string;

  @Field(() => Product)
  node!: Product;
}

@ObjectType({ description: 'A page of products, in catalog order.' })
export class ProductConnection {
  @Field(() => [ProductEdge])
  edges!: ProductEdge[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;

  @Field(() => Int, { description: 'Every product matching the filters, on all pages.' })
  totalCount!: number;
}
