import { Field, ObjectType } from '../../lib/graphql/type-graphql.js';

@ObjectType({ description: 'A product image.' })
export class Image {
  @Field(() => String, { description: 'Absolute URL of the image file.' })
  url!: string;

  @Field(() => String, { nullable: true, description: 'Alternative text, from the Magento image label.' })
  alt!: string | null;
}

export const image = (url: string, alt: string | null): Image => Object.assign(new Image(), { url, alt });
