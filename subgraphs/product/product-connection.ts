import { Field, Int, ObjectType } from '../../lib/graphql/type-graphql.js';
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
